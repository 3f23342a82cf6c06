import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { KeyConfigurationError, parseKeySecret } from '../auth/konnect-key-source';
import { rememberSecret } from '../commons/known-secrets';
import type { KeySecret } from './rotate-with-konnect';
import { dedupeKeepingNewest, keySecretValue } from './rotation-keys';

export interface VersionedRead {
  /** Reads this version (by id) instead of AWSCURRENT. */
  versionId?: string;
  versionStage?: string;
}

/** What a write adds to PutSecretValue, in a Secrets Manager rotation. */
export interface SecretWriteOptions {
  /** The new version's id (idempotent retries). */
  clientRequestToken?: string;
  /** The rotation event's RotationToken, passed on as Secrets Manager asks. */
  rotationToken?: string;
}

/** The key secret as the bridge reads it: AWSCURRENT, the version GetSecretValue answers by default. */
export function currentKeySecret(
  client: SecretsManagerClient,
  secretId: string,
  writeOptions: SecretWriteOptions = {},
): KeySecret {
  return {
    read: () => readKeys(client, secretId),
    write: async (keys) => {
      for (const key of keys) rememberSecret(key);
      // Without VersionStages, PutSecretValue moves AWSCURRENT to the new version (and AWSPREVIOUS to the old).
      await client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: keySecretValue(keys),
          ClientRequestToken: writeOptions.clientRequestToken,
          RotationToken: writeOptions.rotationToken,
        }),
      );
    },
  };
}

/** The accepted keys of one version, oldest first, without repeats. Errors never quote the value. */
export async function readKeys(
  client: SecretsManagerClient,
  secretId: string,
  version: VersionedRead = {},
): Promise<string[]> {
  const answer = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: version.versionId, VersionStage: version.versionStage }),
  );
  if (typeof answer.SecretString !== 'string') {
    throw new KeyConfigurationError('the Konnect key secret has no string value');
  }
  const keys = dedupeKeepingNewest(parseKeySecret(answer.SecretString));
  // The logger masks them from now on (redaction.ts), a second line of defence.
  for (const key of keys) rememberSecret(key);
  return keys;
}
