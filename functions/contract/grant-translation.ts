import { invalidClientMetadata } from '../commons/bridge-error';

/** Auth methods Konnect puts into `grant_types` (they are Konnect's, not OAuth grant types). */
export const KONNECT_AUTH_METHODS = [
  'client_credentials',
  'bearer',
  'session',
  'authorization_code',
  'refresh_token',
  'implicit',
] as const;
export type KonnectAuthMethod = (typeof KONNECT_AUTH_METHODS)[number];

export type OAuthGrantType = 'client_credentials' | 'authorization_code' | 'refresh_token' | 'implicit';

const NEEDS_REDIRECT: ReadonlySet<KonnectAuthMethod> = new Set(['authorization_code', 'refresh_token', 'implicit']);

export interface TranslatedGrants {
  grantTypes: OAuthGrantType[];
  responseTypes: string[];
}

/**
 * Konnect's `bearer` means "the app sends tokens it obtained itself", which at the IdP is the client
 * credentials grant; `session` is portal-session auth and needs no grant. The credentials the bridge
 * returns must work at the token endpoint, so client credentials is always granted.
 */
export function translateGrants(
  methods: readonly KonnectAuthMethod[],
  redirectUris: readonly string[],
): TranslatedGrants {
  const grants = new Set<OAuthGrantType>(['client_credentials']);
  for (const method of methods) {
    if (method === 'bearer' || method === 'session' || method === 'client_credentials') continue;
    if (NEEDS_REDIRECT.has(method) && redirectUris.length === 0) {
      throw invalidClientMetadata(`grant_types: "${method}" needs at least one entry in redirect_uris.`);
    }
    grants.add(method);
  }
  const responseTypes: string[] = [];
  if (grants.has('authorization_code')) responseTypes.push('code');
  if (grants.has('implicit')) responseTypes.push('token');
  return { grantTypes: [...grants], responseTypes };
}
