import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { rememberSecret } from '../commons/known-secrets';

export class KonnectTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KonnectTokenError';
  }
}

/**
 * The Konnect access token from a secret string: the token itself, or JSON {"token": "..."}
 * (what a key/value secret in the console looks like). Never quotes the value in an error.
 */
export function parseKonnectToken(value: string | undefined): string {
  const trimmed = (value ?? '').trim();
  let token: unknown = trimmed;
  if (trimmed.startsWith('{')) {
    try {
      token = (JSON.parse(trimmed) as { token?: unknown }).token;
    } catch {
      throw new KonnectTokenError('the Konnect token secret starts with "{" but is not JSON');
    }
  }
  if (typeof token !== 'string' || token.trim() === '') {
    throw new KonnectTokenError('the Konnect token secret must hold the token, or JSON {"token": "<token>"}');
  }
  // A header value cannot carry whitespace or control characters; a pasted line break would.
  if (!/^[\x21-\x7e]+$/.test(token.trim())) {
    throw new KonnectTokenError('the Konnect token contains spaces or characters a token never has');
  }
  return token.trim();
}

/** Reads the token from Secrets Manager; the logger masks it from then on. */
export async function readKonnectToken(client: SecretsManagerClient, secretId: string): Promise<string> {
  const answer = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  const token = parseKonnectToken(answer.SecretString);
  rememberSecret(token);
  return token;
}
