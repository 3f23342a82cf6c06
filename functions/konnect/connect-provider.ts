import { setTimeout as sleepFor } from 'node:timers/promises';
import { REDACTED } from '../commons/redaction';
import type {
  CreateHttpDcrProvider,
  DcrProvider,
  DcrProviderApi,
  DcrProviderVerification,
  UpdateHttpDcrProvider,
} from './dcr-provider';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint, STACK_LABEL } from './key-fingerprint';
import { assertMayManage, OWNER_LABEL } from './provider-owner';
import { DEFAULT_ACCEPT_DELAY_MS } from './rotate-with-konnect';

/** What the bridge's provider in Konnect should look like. */
export interface DesiredProvider {
  /** Found by this name; created with it. */
  name: string;
  /** The deployed bridge's base URL (the stack's DcrBaseUrl output). */
  dcrBaseUrl: string;
  /** The IdP's issuer, as the auth strategy will expect it. */
  issuer: string;
  /** The key Konnect must send (the newest in the key secret). */
  apiKey: string;
  /** True for adapters that cannot rotate a client secret. */
  disableRefreshSecret: boolean;
  /** A label value naming who manages the provider (stack name); unset leaves that label alone. */
  stackLabel?: string;
  /** The `dcr-bridge-owner` label (the stack's UUID): only a provider with it is changed. */
  owner?: string;
}

export interface ConnectOptions {
  /** Ask Konnect to verify (a real create through the bridge). @default true */
  verify?: boolean;
  /** Take over a provider of that name without an owner label (and label it, with `owner`). */
  adopt?: boolean;
  /** A provider with this id is adopted as with `adopt` (the custom resource's own provider). */
  adoptProviderId?: string;
  /** When the key's secret version was written (GetSecretValue's CreatedDate). */
  keyStoredAt?: Date;
  /** How long a new key must have been stored before Konnect gets it. @default DEFAULT_ACCEPT_DELAY_MS */
  acceptDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

export type ConnectAction = 'created' | 'updated' | 'unchanged';

export interface ConnectResult {
  providerId: string;
  action: ConnectAction;
  /** The fields PATCHed (spec names, e.g. dcr_config.dcr_base_url); empty unless updated. */
  changed: string[];
  /** Undefined when verification was not asked for. */
  verification?: DcrProviderVerification;
}

/** Konnect's verify answered `failed`: its errors, redacted of the key. The provider stays as written. */
export class KonnectVerificationFailed extends Error {
  constructor(
    readonly errors: readonly string[],
    readonly result: Omit<ConnectResult, 'verification'>,
  ) {
    const listed = errors.length > 0 ? errors.join('; ') : 'no errors given';
    super(`Konnect could not verify the bridge: ${listed}`);
    this.name = 'KonnectVerificationFailed';
  }
}

/** A provider of another type (okta, auth0, ...) has the name: never touched. */
export class ProviderTypeConflict extends Error {
  constructor(readonly provider: Pick<DcrProvider, 'id' | 'name' | 'provider_type'>) {
    super(
      `Konnect already has a DCR provider named "${provider.name}" of type ${provider.provider_type} (${provider.id}); ` +
        'the bridge manages http providers only and left it untouched: choose another name',
    );
    this.name = 'ProviderTypeConflict';
  }
}

/** The bridge serves event hooks and one credential per application. */
const EVENT_HOOKS_DISABLED = false;
const MULTIPLE_CREDENTIALS = false;

const withoutTrailingSlash = (url: string | undefined) => (url ?? '').replace(/\/+$/, '');

/**
 * Creates or updates (found by name) the bridge's HTTP DCR provider, then has Konnect verify it.
 * Idempotent: a second run with the same input sends no write, only the lookup and the verify.
 * Only differing fields are PATCHed; the key only when the fingerprint label shows Konnect holds
 * another one (Konnect never returns the key itself). A provider found by name is changed only
 * when its owner label is `desired.owner`, or it has none and adoption is asked (provider-owner.ts).
 */
export async function connectProvider(
  api: DcrProviderApi,
  desired: DesiredProvider,
  options: ConnectOptions = {},
): Promise<ConnectResult> {
  const fingerprint = konnectKeyFingerprint(desired.apiKey);
  const existing = await api.findByName(desired.name);
  let result: Omit<ConnectResult, 'verification'>;
  if (!existing) {
    await waitUntilKeyIsAccepted(options);
    const created = await api.create(createBody(desired, fingerprint));
    result = { providerId: created.id, action: 'created', changed: [] };
  } else {
    if (existing.provider_type !== 'http') throw new ProviderTypeConflict(existing);
    const adopt = options.adopt === true || existing.id === options.adoptProviderId;
    const { setOwner } = assertMayManage(existing, desired.owner, adopt);
    const { body, changed } = differences(existing, desired, fingerprint, setOwner);
    if (body.dcr_config?.api_key !== undefined) await waitUntilKeyIsAccepted(options);
    if (changed.length > 0) await api.update(existing.id, body);
    result = { providerId: existing.id, action: changed.length > 0 ? 'updated' : 'unchanged', changed };
  }
  if (options.verify === false) return result;
  const verification = await api.verify(result.providerId);
  const errors = verification.errors.map((error) => error.split(desired.apiKey).join(REDACTED));
  if (verification.status !== 'success') throw new KonnectVerificationFailed(errors, result);
  return { ...result, verification: { ...verification, errors } };
}

/**
 * A key written moments ago may still be refused by a bridge container that re-read its keys just
 * before the write (it re-reads at most every KEY_REFRESH_MIN_INTERVAL_SECONDS), and Konnect's
 * verify sends the key at once: wait until the key has been stored for the accept delay.
 */
async function waitUntilKeyIsAccepted(options: ConnectOptions): Promise<void> {
  if (!options.keyStoredAt) return;
  const now = (options.now ?? Date.now)();
  const wait = options.keyStoredAt.getTime() + (options.acceptDelayMs ?? DEFAULT_ACCEPT_DELAY_MS) - now;
  if (wait > 0) await (options.sleep ?? sleepFor)(wait);
}

function createBody(desired: DesiredProvider, fingerprint: string): CreateHttpDcrProvider {
  const labels: Record<string, string> = { [KEY_FINGERPRINT_LABEL]: fingerprint };
  if (desired.stackLabel) labels[STACK_LABEL] = desired.stackLabel;
  if (desired.owner) labels[OWNER_LABEL] = desired.owner;
  return {
    name: desired.name,
    provider_type: 'http',
    issuer: desired.issuer,
    dcr_config: {
      dcr_base_url: desired.dcrBaseUrl,
      api_key: desired.apiKey,
      disable_event_hooks: EVENT_HOOKS_DISABLED,
      disable_refresh_secret: desired.disableRefreshSecret,
      allow_multiple_credentials: MULTIPLE_CREDENTIALS,
    },
    labels,
  };
}

/** The PATCH body holding only what differs, and the names of those fields. */
export function differences(
  existing: DcrProvider,
  desired: DesiredProvider,
  fingerprint = konnectKeyFingerprint(desired.apiKey),
  setOwner = false,
): { body: UpdateHttpDcrProvider; changed: string[] } {
  const changed: string[] = [];
  const config: NonNullable<UpdateHttpDcrProvider['dcr_config']> = {};
  const labels: Record<string, string> = {};
  const current = existing.dcr_config;
  // A trailing slash makes no difference to Konnect's calls; the issuer's does to token checks.
  if (withoutTrailingSlash(current.dcr_base_url) !== withoutTrailingSlash(desired.dcrBaseUrl)) {
    config.dcr_base_url = desired.dcrBaseUrl;
  }
  if ((current.disable_refresh_secret ?? false) !== desired.disableRefreshSecret) {
    config.disable_refresh_secret = desired.disableRefreshSecret;
  }
  if ((current.disable_event_hooks ?? false) !== EVENT_HOOKS_DISABLED)
    config.disable_event_hooks = EVENT_HOOKS_DISABLED;
  if ((current.allow_multiple_credentials ?? false) !== MULTIPLE_CREDENTIALS) {
    config.allow_multiple_credentials = MULTIPLE_CREDENTIALS;
  }
  if (existing.labels?.[KEY_FINGERPRINT_LABEL] !== fingerprint) {
    config.api_key = desired.apiKey;
    labels[KEY_FINGERPRINT_LABEL] = fingerprint;
  }
  for (const field of Object.keys(config)) changed.push(`dcr_config.${field}`);
  if (desired.stackLabel && existing.labels?.[STACK_LABEL] !== desired.stackLabel) {
    labels[STACK_LABEL] = desired.stackLabel;
    changed.push(`labels.${STACK_LABEL}`);
  }
  if (setOwner && desired.owner) {
    labels[OWNER_LABEL] = desired.owner;
    changed.push(`labels.${OWNER_LABEL}`);
  }
  const body: UpdateHttpDcrProvider = {};
  if (existing.issuer !== desired.issuer) {
    body.issuer = desired.issuer;
    changed.unshift('issuer');
  }
  if (Object.keys(config).length > 0) body.dcr_config = config;
  // The labels already there go along: whether Konnect merges or replaces labels on PATCH
  // (LabelsUpdate allows null to remove one, which suggests a merge), none of them is lost.
  if (Object.keys(labels).length > 0) body.labels = { ...existing.labels, ...labels };
  return { body, changed };
}
