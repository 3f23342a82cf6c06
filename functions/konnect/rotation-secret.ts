import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { rememberSecret } from '../commons/known-secrets';
import { readKeySecretVersion, type VersionedRead } from './konnect-key-secret';
import { KeyRotationError, type KeySecret } from './rotate-with-konnect';
import { keySecretValue } from './rotation-keys';

/** What a write adds to PutSecretValue, in a Secrets Manager rotation. */
export interface SecretWriteOptions {
  /** The new version's id (idempotent retries). */
  clientRequestToken?: string;
  /** The rotation event's RotationToken, passed on as Secrets Manager asks. */
  rotationToken?: string;
}

/**
 * The key secret as the bridge reads it: AWSCURRENT, the version GetSecretValue answers by default.
 * A write refuses when AWSCURRENT is no longer the version last read or written here: another
 * rotation wrote meanwhile, and writing over it could drop the key Konnect holds. Secrets Manager
 * has no compare-and-swap, so the check is a read right before PutSecretValue: it narrows the
 * window to one call, it does not close it.
 */
export function currentKeySecret(
  client: SecretsManagerClient,
  secretId: string,
  writeOptions: SecretWriteOptions = {},
): KeySecret {
  let knownVersion: string | undefined;
  return {
    read: async () => {
      const read = await readKeySecretVersion(client, secretId);
      knownVersion = read.versionId;
      return read.keys;
    },
    write: async (keys) => {
      for (const key of keys) rememberSecret(key);
      if (knownVersion !== undefined) {
        const now = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
        if (now.VersionId !== knownVersion) {
          throw new KeyRotationError(
            `The key secret changed since it was read (another rotation, or an edit); nothing was written. Run the rotation again.`,
          );
        }
      }
      // Without VersionStages, PutSecretValue moves AWSCURRENT to the new version (and AWSPREVIOUS to the old).
      const answer = await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: keySecretValue(keys),
          ClientRequestToken: writeOptions.clientRequestToken,
          RotationToken: writeOptions.rotationToken,
        }),
      );
      knownVersion = answer.VersionId;
    },
  };
}

/**
 * Refuses while Secrets Manager's own rotation of the key secret is under way (rotation enabled,
 * and AWSPENDING on a version that is not AWSCURRENT): two rotations at once could each hand
 * Konnect a different key.
 */
export async function assertNoScheduledRotation(client: SecretsManagerClient, secretId: string): Promise<void> {
  const answer = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
  if (answer.RotationEnabled !== true) return;
  const pending = Object.entries(answer.VersionIdsToStages ?? {}).find(
    ([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
  );
  if (!pending) return;
  throw new KeyRotationError(
    `A scheduled rotation of ${secretId} is under way (version ${pending[0]} is AWSPENDING), so this one did not start. ` +
      'Wait for it to finish; if it failed (the rotation alarm), fix the cause and let Secrets Manager retry it ' +
      '(aws secretsmanager rotate-secret --secret-id <arn>), then run this again if needed.',
  );
}

/** The accepted keys of one version, oldest first, without repeats. Errors never quote the value. */
export async function readKeys(
  client: SecretsManagerClient,
  secretId: string,
  version: VersionedRead = {},
): Promise<string[]> {
  return (await readKeySecretVersion(client, secretId, version)).keys;
}
