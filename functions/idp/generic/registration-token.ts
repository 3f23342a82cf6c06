import * as z from 'zod/mini';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { idpErrorFromResponse } from '../idp-error';

const tokenResponse = z.object({ access_token: z.string().check(z.minLength(1)) });

/**
 * The RFC 7591 initial access token for one registration: a static token, or (Curity-style) a
 * fresh one obtained by client credentials with a registration scope, or none for open registration.
 */
export async function initialAccessToken(
  credentials: IdpCredentials,
  scope: string | undefined,
  tokenEndpoint: string | undefined,
  http: HttpClient,
  idpName: string,
  context: OperationContext,
): Promise<string | undefined> {
  if (!scope) return credentials.initialAccessToken;
  const { clientId, clientSecret } = credentials;
  if (!clientId || !clientSecret) {
    throw idpFailed(`The bridge has no client id and secret to obtain a "${scope}" token from ${idpName}.`);
  }
  if (!tokenEndpoint) throw idpFailed(`The bridge has no token endpoint for ${idpName}.`);
  const response = await http.call(
    {
      method: 'POST',
      url: tokenEndpoint,
      headers: { authorization: basicAuthorization(clientId, clientSecret) },
      form: { grant_type: 'client_credentials', scope },
    },
    context,
  );
  const token = tokenResponse.safeParse(response.body);
  if (response.status !== 200 || !token.success) {
    throw idpErrorFromResponse(
      idpName,
      `the bridge's token request (scope "${scope}")`,
      response.status,
      response.body,
    );
  }
  return token.data.access_token;
}

/** RFC 6749 section 2.3.1: id and secret are form-encoded before Basic encoding. */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
}
