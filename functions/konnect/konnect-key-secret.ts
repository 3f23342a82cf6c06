import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseKeySecret } from '../auth/konnect-key-source';
import { rememberSecret } from '../commons/known-secrets';

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
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const keys = parseKeySecret(answer.SecretString ?? '');
  for (const key of keys) rememberSecret(key);
  const storedAt = answer.CreatedDate instanceof Date ? answer.CreatedDate : undefined;
  return { key: keys[keys.length - 1] as string, storedAt };
}
