import * as z from 'zod/mini';
import { isNativeRedirectUri, isPrivateUseRedirectUri } from '../../contract/redirect-uris';
import type { NewClient } from '../idp-adapter';

/**
 * The parts of Okta's client application object the bridge relies on; other fields are kept so
 * an update can send the full object back.
 * https://developer.okta.com/docs/reference/api/oauth-clients/#client-application-properties
 */
export const oktaClient = z.looseObject({
  client_id: z.string().check(z.minLength(1)),
  client_name: z.nullish(z.string()),
  client_secret: z.nullish(z.string().check(z.minLength(1))),
  client_id_issued_at: z.nullish(z.number().check(z.int(), z.nonnegative())),
  client_secret_expires_at: z.nullish(z.number().check(z.int(), z.nonnegative())),
  application_type: z.nullish(z.string()),
  redirect_uris: z.nullish(z.array(z.string())),
  grant_types: z.nullish(z.array(z.string())),
  response_types: z.nullish(z.array(z.string())),
  token_endpoint_auth_method: z.nullish(z.string()),
});

export type OktaClient = z.output<typeof oktaClient>;

export const oktaClientList = z.array(oktaClient);

/** Grants that send a user's browser back to the app, so Okta needs a `web` app with redirect URIs. */
const REDIRECT_GRANTS = new Set(['authorization_code', 'refresh_token', 'implicit']);

export const usesRedirects = (grantTypes: readonly string[] | null | undefined): boolean =>
  (grantTypes ?? []).some((grant) => REDIRECT_GRANTS.has(grant));

/**
 * Okta registers apps whose sign-in redirects use private-use schemes as `native` apps
 * (https://developer.okta.com/docs/guides/sign-into-mobile-app-redirect/); like OpenID Connect
 * Dynamic Client Registration §2, native apps use such schemes or loopback http, never https.
 */
export const isOktaNativeApp = (redirectUris: readonly string[]): boolean =>
  redirectUris.some(isPrivateUseRedirectUri) && redirectUris.every(isNativeRedirectUri);

/**
 * The registration body. A client-credentials-only app is an Okta `service` app (no redirect URIs,
 * response type `token`, as in Okta's service app example); any redirect-based grant makes it a
 * `web` app, the only type that also allows `client_credentials`, or a `native` app when its
 * redirect URIs are a native app's: Okta allows native apps no `client_credentials`, so that grant
 * is left out there. Okta's DCR object has no `scope` or description field: scopes are granted by
 * authorization server policies.
 * https://developer.okta.com/docs/reference/api/oauth-clients/#register-new-client
 */
export function registrationBody(client: NewClient, clientName: string): Record<string, unknown> {
  const common = { client_name: clientName, token_endpoint_auth_method: client.tokenEndpointAuthMethod };
  if (!usesRedirects(client.grantTypes)) {
    return {
      ...common,
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    };
  }
  const native = isOktaNativeApp(client.redirectUris);
  return {
    ...common,
    application_type: native ? 'native' : 'web',
    grant_types: native ? client.grantTypes.filter((grant) => grant !== 'client_credentials') : client.grantTypes,
    response_types: client.responseTypes,
    redirect_uris: client.redirectUris,
  };
}

// Okta: "client_secret_expires_at or client_id_issued_at must not be included"; the secret may be omitted.
const NOT_FOR_UPDATE = ['client_secret', 'client_secret_expires_at', 'client_id_issued_at', '_links', '_embedded'];

/**
 * The body of an update: Okta replaces the whole object ("partial updates aren't supported"), so
 * it is the current object with the change applied, minus the fields Okta refuses on update.
 * https://developer.okta.com/docs/reference/api/oauth-clients/#update-a-client-application
 */
export function updateBody(current: OktaClient, changes: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { ...current, ...changes };
  for (const field of NOT_FOR_UPDATE) delete body[field];
  return body;
}
