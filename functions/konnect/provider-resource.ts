import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { logger } from '../commons/logger';
import { connectProvider } from './connect-provider';
import { labelValue } from './key-fingerprint';
import { KonnectApi } from './konnect-api';
import { KonnectApiError } from './konnect-api-error';
import { readNewestKonnectKey } from './konnect-key-secret';
import { konnectApiUrl } from './konnect-regions';
import { readKonnectToken } from './konnect-token';
import { isOwnerValue, OWNER_LABEL } from './provider-owner';

/**
 * The CloudFormation custom resource behind the stack's Konnect wiring (aws-cdk-lib
 * custom-resources Provider framework: `onEvent` returns the physical id, the framework answers
 * CloudFormation). Create/Update create or update the HTTP DCR provider and have Konnect verify
 * it; a failed verify fails the deployment with Konnect's errors. Delete leaves the provider in
 * Konnect (auth strategies may point at it) unless RemoveOnDelete is "true".
 *
 * Environment: KONNECT_TOKEN_SECRET_ARN, KONNECT_API_KEY_SECRET_ARN.
 * ResourceProperties (strings, as CloudFormation passes them): KonnectApiUrl (URL or region),
 * ProviderName, DcrBaseUrl, Issuer, DisableRefreshSecret, RemoveOnDelete, StackLabel, Owner (the
 * stack's UUID, written as the dcr-bridge-owner label: only a provider with it is changed or
 * deleted), Adopt ("true" takes over a same-named provider without owner label), and Verify
 * (optional, "false" skips Konnect's verify).
 */

export interface ProviderResourceResult {
  PhysicalResourceId: string;
  Data?: { ProviderId: string; Action: string };
}

export interface ProviderResourceDependencies {
  secretsManager: SecretsManagerClient;
  env: NodeJS.ProcessEnv;
  /** Ends every Konnect call in time for the function to report its failure itself. */
  deadline?: AbortSignal;
  /** The wait before Konnect gets a key stored moments ago (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

/** Kept back from the Lambda's remaining time, to log and answer CloudFormation. */
const REPORTING_MARGIN_MS = 10_000;

interface Properties {
  apiUrl: string;
  name: string;
  dcrBaseUrl: string;
  issuer: string;
  disableRefreshSecret: boolean;
  stackLabel?: string;
  owner?: string;
  adopt: boolean;
  verify: boolean;
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class ProviderResourceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderResourceError';
  }
}

function properties(raw: Record<string, unknown>): Properties {
  const text = (name: string) => {
    const value = raw[name];
    if (typeof value !== 'string' || value.trim() === '') {
      throw new ProviderResourceError(`the Konnect provider resource needs the property ${name}`);
    }
    return value.trim();
  };
  const flag = (name: string, fallback: boolean) => {
    const value = raw[name];
    if (value === undefined || value === '') return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new ProviderResourceError(`the property ${name} must be "true" or "false"`);
  };
  const stack = typeof raw.StackLabel === 'string' ? labelValue(raw.StackLabel) : undefined;
  const owner = typeof raw.Owner === 'string' && raw.Owner.trim() !== '' ? raw.Owner.trim() : undefined;
  if (owner !== undefined && !isOwnerValue(owner)) {
    throw new ProviderResourceError('the property Owner must be a Konnect label value (the stack UUID)');
  }
  return {
    apiUrl: konnectApiUrl(text('KonnectApiUrl')),
    name: text('ProviderName'),
    dcrBaseUrl: text('DcrBaseUrl'),
    issuer: text('Issuer'),
    disableRefreshSecret: flag('DisableRefreshSecret', false),
    stackLabel: stack,
    owner,
    adopt: flag('Adopt', false),
    verify: flag('Verify', true),
  };
}

function secretArn(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ProviderResourceError(`${name} is not set`);
  return value;
}

/** Names the secret that failed; SDK errors carry names and messages, never a secret value. */
async function readSecret<T>(what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new ProviderResourceError(`could not read ${what}: ${detail}`, { cause: error });
  }
}

async function konnectApi(props: Properties, deps: ProviderResourceDependencies): Promise<KonnectApi> {
  const arn = secretArn(deps.env, 'KONNECT_TOKEN_SECRET_ARN');
  const token = await readSecret('the Konnect token secret', () => readKonnectToken(deps.secretsManager, arn));
  // Verify makes a real create through the bridge and IdP: a generous bound per call, all of them
  // within the function's own deadline.
  return new KonnectApi({
    baseUrl: props.apiUrl,
    token,
    callTimeoutMs: 60_000,
    operationTimeoutMs: 120_000,
    signal: deps.deadline,
  });
}

async function connect(
  props: Properties,
  deps: ProviderResourceDependencies,
  physicalId?: string,
): Promise<ProviderResourceResult> {
  const api = await konnectApi(props, deps);
  const keyArn = secretArn(deps.env, 'KONNECT_API_KEY_SECRET_ARN');
  const newest = await readSecret('the Konnect key secret', () => readNewestKonnectKey(deps.secretsManager, keyArn));
  const result = await connectProvider(
    api,
    {
      name: props.name,
      dcrBaseUrl: props.dcrBaseUrl,
      issuer: props.issuer,
      apiKey: newest.key,
      disableRefreshSecret: props.disableRefreshSecret,
      stackLabel: props.stackLabel,
      owner: props.owner,
    },
    {
      verify: props.verify,
      adopt: props.adopt,
      // The provider this resource created before it labelled its providers is its own.
      adoptProviderId: physicalId && UUID_PATTERN.test(physicalId) ? physicalId : undefined,
      keyStoredAt: newest.storedAt,
      sleep: deps.sleep,
    },
  );
  logger.info('Konnect DCR provider connected', {
    provider_id: result.providerId,
    provider_name: props.name,
    action: result.action,
    changed: result.changed,
    verification: result.verification?.status ?? 'skipped',
  });
  return { PhysicalResourceId: result.providerId, Data: { ProviderId: result.providerId, Action: result.action } };
}

async function remove(
  physicalId: string,
  props: Properties,
  deps: ProviderResourceDependencies,
): Promise<ProviderResourceResult> {
  const kept = { PhysicalResourceId: physicalId };
  // A Create that failed before a provider existed has no provider id to remove.
  if (!UUID_PATTERN.test(physicalId)) return kept;
  const api = await konnectApi(props, deps);
  try {
    const provider = await api.get(physicalId);
    // Only this stack's own provider: one adopted or relabelled by another stack is not ours to delete.
    if (props.owner === undefined || provider.labels?.[OWNER_LABEL] !== props.owner) {
      logger.warn(`Left the Konnect DCR provider in place: its ${OWNER_LABEL} label is not this stack's`, {
        provider_id: physicalId,
      });
      return kept;
    }
    // Deleting a provider an auth strategy still uses would break that portal's applications.
    if (provider.active) {
      logger.warn('Left the Konnect DCR provider in place: an auth strategy still uses it', {
        provider_id: physicalId,
      });
      return kept;
    }
    await api.remove(physicalId);
    logger.info('Removed the Konnect DCR provider', { provider_id: physicalId });
  } catch (error) {
    if (!(error instanceof KonnectApiError && error.status === 404)) throw error;
    logger.info('The Konnect DCR provider was already gone', { provider_id: physicalId });
  }
  return kept;
}

/** One CloudFormation event, with its dependencies given (tests give their own). */
export async function handleProviderEvent(
  event: CloudFormationCustomResourceEvent,
  deps: ProviderResourceDependencies,
): Promise<ProviderResourceResult> {
  if (event.RequestType === 'Delete') {
    // Leaving the provider needs no property, token or call: a stack deletes even when they are broken.
    if (String(event.ResourceProperties.RemoveOnDelete) !== 'true') {
      logger.info('Left the Konnect DCR provider in place (RemoveOnDelete is not "true")', {
        provider_id: event.PhysicalResourceId,
      });
      return { PhysicalResourceId: event.PhysicalResourceId };
    }
    return remove(event.PhysicalResourceId, properties(event.ResourceProperties), deps);
  }
  const physicalId = event.RequestType === 'Update' ? event.PhysicalResourceId : undefined;
  return connect(properties(event.ResourceProperties), deps, physicalId);
}

let secretsManager: SecretsManagerClient | undefined;

/** The Provider framework's onEvent entry point. */
export async function onEvent(
  event: CloudFormationCustomResourceEvent,
  context?: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<ProviderResourceResult> {
  secretsManager ??= new SecretsManagerClient({});
  logger.info('Konnect provider resource event', { request_type: event.RequestType });
  const remaining = context?.getRemainingTimeInMillis();
  const deadline =
    remaining === undefined ? undefined : AbortSignal.timeout(Math.max(1000, remaining - REPORTING_MARGIN_MS));
  return handleProviderEvent(event, { secretsManager, env: process.env, deadline });
}
