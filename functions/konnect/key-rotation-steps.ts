import {
  DescribeSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { rememberSecret } from '../commons/known-secrets';
import type { DcrProviderApi } from './dcr-provider';
import {
  addKey,
  assertKonnectHolds,
  chooseNewKey,
  findHttpProvider,
  handKeyToKonnect,
  KeyRotationError,
  type ProviderRef,
  type RotationTiming,
  verifyThroughKonnect,
} from './rotate-with-konnect';
import { currentKeySecret, readKeys } from './rotation-secret';

/**
 * What Secrets Manager sends the rotation function
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda.html).
 */
export interface SecretsManagerRotationEvent {
  Step: string;
  SecretId: string;
  /** The id of the version this rotation creates (the AWSPENDING one). */
  ClientRequestToken: string;
  /** Passed on to PutSecretValue: required for rotation with an assumed role or across accounts. */
  RotationToken?: string;
}

export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

export interface KeyRotationDependencies extends RotationTiming {
  client: SecretsManagerClient;
  api: DcrProviderApi;
  provider: ProviderRef;
  /** The stack's UUID: only a provider with this dcr-bridge-owner label is rotated. */
  owner?: string;
  generate?: () => string;
}

/** What a step did, for the log line; never a key. */
export type StepOutcome =
  | 'pending-key-created'
  | 'pending-key-exists'
  | 'konnect-updated'
  | 'konnect-already-updated'
  | 'verified'
  | 'pending-key-made-current'
  | 'already-current';

const CURRENT = 'AWSCURRENT';
const PENDING = 'AWSPENDING';

/**
 * One step of a Secrets Manager rotation of the Konnect key, mapped onto rotate-with-konnect.ts
 * so that the bridge never refuses the key Konnect holds. The bridge reads AWSCURRENT only:
 *
 * - createSecret: the new key alone, as AWSPENDING (the rotation's version: its final value).
 * - setSecret: AWSCURRENT becomes [old…, new] (both accepted), then, after the accept delay,
 *   Konnect's provider gets the new key.
 * - testSecret: Konnect's verify makes a real create through the bridge.
 * - finishSecret: once Konnect's label says it holds the new key, AWSCURRENT moves to the
 *   AWSPENDING version: the old key is dropped.
 *
 * Every step is idempotent (Secrets Manager retries them); a failed one throws and leaves both
 * keys accepted. Steps follow AWS's rotation template (aws-samples/aws-secrets-manager-rotation-lambdas,
 * SecretsManagerRotationTemplate/lambda_function.py).
 */
export async function runRotationStep(
  event: SecretsManagerRotationEvent,
  deps: KeyRotationDependencies,
): Promise<StepOutcome> {
  if (!(ROTATION_STEPS as readonly string[]).includes(event.Step)) {
    throw new KeyRotationError(`Unknown rotation step "${event.Step}".`);
  }
  const secret = await describe(deps.client, event.SecretId);
  if (!secret.rotationEnabled) throw new KeyRotationError(`Rotation is not enabled for ${event.SecretId}.`);
  const stages = secret.versions[event.ClientRequestToken];
  if (!stages) throw new KeyRotationError(`Version ${event.ClientRequestToken} has no stage for rotation.`);
  // The template's guard: a finished rotation invoked again does nothing.
  if (stages.includes(CURRENT)) return 'already-current';
  if (!stages.includes(PENDING)) throw new KeyRotationError(`Version ${event.ClientRequestToken} is not AWSPENDING.`);
  switch (event.Step as RotationStep) {
    case 'createSecret':
      return createSecret(event, deps);
    case 'setSecret':
      return setSecret(event, deps);
    case 'testSecret':
      return testSecret(event, deps);
    case 'finishSecret':
      return finishSecret(event, deps, secret.currentVersion);
  }
}

/** The new key alone, stored as AWSPENDING under the rotation's token; nothing the bridge reads changes. */
async function createSecret(event: SecretsManagerRotationEvent, deps: KeyRotationDependencies): Promise<StepOutcome> {
  const current = await readKeys(deps.client, event.SecretId, { versionStage: CURRENT });
  if (await pendingKey(deps.client, event).catch(notFoundAsUndefined)) return 'pending-key-exists';
  const { newKey } = chooseNewKey(current, deps.generate);
  rememberSecret(newKey);
  await deps.client.send(
    new PutSecretValueCommand({
      SecretId: event.SecretId,
      ClientRequestToken: event.ClientRequestToken,
      SecretString: newKey,
      VersionStages: [PENDING],
      RotationToken: event.RotationToken,
    }),
  );
  return 'pending-key-created';
}

/** The bridge accepts old and new keys (a new AWSCURRENT version), then Konnect gets the new one. */
async function setSecret(event: SecretsManagerRotationEvent, deps: KeyRotationDependencies): Promise<StepOutcome> {
  const newKey = await pendingKey(deps.client, event);
  const provider = await findHttpProvider(deps.api, deps.provider, deps.owner);
  const secret = currentKeySecret(deps.client, event.SecretId, { rotationToken: event.RotationToken });
  await addKey(secret, newKey);
  const updated = await handKeyToKonnect(deps.api, provider.id, newKey, { ...deps, secret });
  return updated ? 'konnect-updated' : 'konnect-already-updated';
}

/**
 * Konnect's verify, whatever key it holds. With RotateImmediately=false Secrets Manager calls this
 * step alone, on an AWSPENDING version it made itself holding a copy of the current value (as
 * moto#8547 models AWS): not a key of ours to hand over, so it only masks a key Konnect might quote.
 */
async function testSecret(event: SecretsManagerRotationEvent, deps: KeyRotationDependencies): Promise<StepOutcome> {
  const pending = await pendingKey(deps.client, event).catch(notFoundAsUndefined);
  const provider = await findHttpProvider(deps.api, deps.provider, deps.owner);
  await verifyThroughKonnect(deps.api, provider.id, pending ? [pending] : []);
  return 'verified';
}

async function finishSecret(
  event: SecretsManagerRotationEvent,
  deps: KeyRotationDependencies,
  currentVersion: string | undefined,
): Promise<StepOutcome> {
  const newKey = await pendingKey(deps.client, event);
  const provider = await findHttpProvider(deps.api, deps.provider, deps.owner);
  await assertKonnectHolds(deps.api, provider.id, newKey);
  // Moving AWSCURRENT also moves AWSPREVIOUS to the version it leaves (UpdateSecretVersionStage).
  await deps.client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: event.SecretId,
      VersionStage: CURRENT,
      MoveToVersionId: event.ClientRequestToken,
      RemoveFromVersionId: currentVersion,
    }),
  );
  return 'pending-key-made-current';
}

/** The newest key of the rotation's AWSPENDING version. */
async function pendingKey(client: SecretsManagerClient, event: SecretsManagerRotationEvent): Promise<string> {
  const keys = await readKeys(client, event.SecretId, {
    versionId: event.ClientRequestToken,
    versionStage: PENDING,
  });
  return keys[keys.length - 1] as string;
}

async function describe(client: SecretsManagerClient, secretId: string) {
  const answer = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  const versions = answer.VersionIdsToStages ?? {};
  const currentVersion = Object.keys(versions).find((id) => versions[id]?.includes(CURRENT));
  return { rotationEnabled: answer.RotationEnabled === true, versions, currentVersion };
}

/** Secrets Manager answers ResourceNotFoundException for a version that has no value yet. */
function notFoundAsUndefined(error: unknown): undefined {
  if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
  throw error;
}
