import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { KeyConfigurationError, parseKeySecret } from '../auth/konnect-key-source';
import { rememberSecret } from '../commons/known-secrets';
import { dedupeKeepingNewest } from './rotation-keys';

export interface KeySecretVersion {
  /** The accepted keys, oldest first, without repeats. */
  keys: string[];
  versionId?: string;
  /** When this version was written (CreatedDate), if Secrets Manager said. */
  createdAt?: Date;
}

/** Which version to read; AWSCURRENT (what the bridge reads) by default. */
export interface VersionedRead {
  versionId?: string;
  versionStage?: string;
}

/** One version of the bridge's key secret. Errors never quote the value; the logger masks the keys from now on. */
export async function readKeySecretVersion(
  client: SecretsManagerClient,
  secretId: string,
  version: VersionedRead = {},
): Promise<KeySecretVersion> {
  const answer = await client.send(
    new GetSecretValueCommand({ SecretId: secretId, VersionId: version.versionId, VersionStage: version.versionStage }),
  );
  if (typeof answer.SecretString !== 'string') {
    throw new KeyConfigurationError('the Konnect key secret has no string value');
  }
  const keys = dedupeKeepingNewest(parseKeySecret(answer.SecretString));
  for (const key of keys) rememberSecret(key);
  const createdAt = answer.CreatedDate instanceof Date ? answer.CreatedDate : undefined;
  return { keys, versionId: answer.VersionId, createdAt };
}

export interface NewestKonnectKey {
  key: string;
  /** When this version of the secret was written (CreatedDate), if Secrets Manager said. */
  storedAt?: Date;
}

/**
 * The key Konnect should hold: the newest in the bridge's key secret (one key, or a JSON list
 * during a rotation, newest last). The bridge accepts every key in the list, so handing Konnect
 * the newest one is always safe, once it has been stored for the accept delay (connect-provider.ts).
 */
export async function readNewestKonnectKey(client: SecretsManagerClient, secretId: string): Promise<NewestKonnectKey> {
  const { keys, createdAt } = await readKeySecretVersion(client, secretId);
  return { key: keys[keys.length - 1] as string, storedAt: createdAt };
}
