import * as z from 'zod/mini';
import { rememberSecret } from '../commons/known-secrets';

/**
 * The bridge's own credentials at the IdP; every field a secret, each adapter using its own.
 * In AWS they live in the IdP credentials secret as JSON with the snake_case names below; in
 * local runs they come from IDP_CLIENT_ID, IDP_CLIENT_SECRET, IDP_INITIAL_ACCESS_TOKEN,
 * IDP_API_TOKEN and IDP_PRIVATE_KEY.
 */
export interface IdpCredentials {
  clientId?: string;
  clientSecret?: string;
  /** RFC 7591 initial access token. */
  initialAccessToken?: string;
  /** A vendor API token (Okta SSWS). */
  apiToken?: string;
  /** A private key for private_key_jwt client authentication (PEM or JWK JSON). */
  privateKey?: string;
}

const credentialsSecretJson = z.object({
  client_id: z.optional(z.string()),
  client_secret: z.optional(z.string()),
  initial_access_token: z.optional(z.string()),
  api_token: z.optional(z.string()),
  private_key: z.optional(z.string()),
});

export const idpCredentialsSecret = z.pipe(
  credentialsSecretJson,
  z.transform(
    (secret: z.output<typeof credentialsSecretJson>): IdpCredentials =>
      remembered({
        clientId: secret.client_id,
        clientSecret: secret.client_secret,
        initialAccessToken: secret.initial_access_token,
        apiToken: secret.api_token,
        privateKey: secret.private_key,
      }),
  ),
);

export const idpCredentialsFromEnv = (env: NodeJS.ProcessEnv): IdpCredentials =>
  remembered({
    clientId: env.IDP_CLIENT_ID || undefined,
    clientSecret: env.IDP_CLIENT_SECRET || undefined,
    initialAccessToken: env.IDP_INITIAL_ACCESS_TOKEN || undefined,
    apiToken: env.IDP_API_TOKEN || undefined,
    privateKey: env.IDP_PRIVATE_KEY || undefined,
  });

/** Every secret field is masked wherever it might appear later (an IdP's error text, a log line). */
function remembered(credentials: IdpCredentials): IdpCredentials {
  const { clientSecret, initialAccessToken, apiToken, privateKey } = credentials;
  for (const value of [clientSecret, initialAccessToken, apiToken, privateKey]) rememberSecret(value);
  return credentials;
}
