import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseKeySecret } from '../auth/konnect-key-source';
import { rememberSecret } from '../commons/known-secrets';

/**
 * The key Konnect should hold: the newest in the bridge's key secret (one key, or a JSON list
 * during a rotation, newest last). The bridge accepts every key in the list, so handing Konnect
 * the newest one is always safe.
 */
export async function readNewestKonnectKey(client: SecretsManagerClient, secretId: string): Promise<string> {
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const keys = parseKeySecret(answer.SecretString ?? '');
  for (const key of keys) rememberSecret(key);
  return keys[keys.length - 1] as string;
}
