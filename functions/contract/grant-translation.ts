import { invalidClientMetadata } from '../commons/bridge-error';

export type OAuthGrantType = 'client_credentials' | 'authorization_code' | 'refresh_token' | 'implicit';

/**
 * The auth methods in Konnect's `grant_types` (the openid-connect plugin's `auth_methods`, not
 * OAuth grant types) that mean something at the IdP. `bearer` means "the app sends tokens it
 * obtained itself", which at the IdP is the client credentials grant; `session` is portal-session
 * auth. Everything else (`password`, `introspection`, `userinfo`, `kong_oauth2`, new ones) is
 * ignored: the password grant in particular is never requested.
 */
const GRANT_OF_AUTH_METHOD: Readonly<Record<string, OAuthGrantType>> = {
  client_credentials: 'client_credentials',
  bearer: 'client_credentials',
  session: 'client_credentials',
  authorization_code: 'authorization_code',
  refresh_token: 'refresh_token',
  implicit: 'implicit',
};

export const TRANSLATED_AUTH_METHODS = Object.keys(GRANT_OF_AUTH_METHOD);

export interface TranslatedGrants {
  grantTypes: OAuthGrantType[];
  responseTypes: string[];
  /** Auth methods without an OAuth meaning at the IdP, each once, for the log. */
  ignored: string[];
}

/** The credentials the bridge returns must work at the token endpoint, so client credentials is always granted. */
export function translateGrants(methods: readonly string[], redirectUris: readonly string[]): TranslatedGrants {
  const grants = new Set<OAuthGrantType>(['client_credentials']);
  const ignored = new Set<string>();
  for (const method of methods) {
    const grant = Object.hasOwn(GRANT_OF_AUTH_METHOD, method) ? GRANT_OF_AUTH_METHOD[method] : undefined;
    if (grant === undefined) {
      ignored.add(method);
      continue;
    }
    if (grant !== 'client_credentials' && redirectUris.length === 0) {
      throw invalidClientMetadata(`grant_types: "${method}" needs at least one entry in redirect_uris.`);
    }
    grants.add(grant);
  }
  const responseTypes: string[] = [];
  if (grants.has('authorization_code')) responseTypes.push('code');
  if (grants.has('implicit')) responseTypes.push('token');
  return { grantTypes: [...grants], responseTypes, ignored: [...ignored] };
}
