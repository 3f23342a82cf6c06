import type { AdapterCall } from '../../unit/support/fake-idp-adapter';
import { isValidClientId } from './client-id-parts';

/**
 * Written from the contract, independently of the bridge's zod schemas: what any call that
 * reaches the IdP must look like, whatever request led to it.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it looks for
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/;
const GRANTS = new Set(['client_credentials', 'authorization_code', 'refresh_token', 'implicit']);
const SECRET_AUTH_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

/**
 * https with a host, http on loopback, or a private-use scheme with a period (RFC 8252 §7.1);
 * never a wildcard, userinfo, whitespace or fragment, and only in the form `new URL()` writes.
 */
export function isContractRedirectUri(uri: unknown): boolean {
  if (typeof uri !== 'string' || uri.length > 2000 || /[\s#*]/.test(uri)) return false;
  const url = URL.canParse(uri) ? new URL(uri) : undefined;
  if (!url || url.href !== uri || url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  return url.protocol.includes('.');
}

const redirectUrisProblem = (uris: unknown) =>
  !Array.isArray(uris) || uris.length > 20 || !uris.every(isContractRedirectUri) ? 'redirect URIs' : undefined;

/** Why a call must not have reached the IdP; undefined when it is one the contract allows. */
export function callProblem(call: AdapterCall): string | undefined {
  switch (call.method) {
    case 'deleteClient':
    case 'rotateSecret':
      return isValidClientId(call.clientId) ? undefined : 'client id';
    case 'updateRedirectUris':
      return isValidClientId(call.clientId) ? redirectUrisProblem(call.redirectUris) : 'client id';
    case 'addRegistration':
    case 'removeRegistration': {
      const { clientId, apiProductVersionId, audience } = call.change;
      if (!isValidClientId(clientId)) return 'client id';
      if (apiProductVersionId.length < 1 || apiProductVersionId.length > 255) return 'api_product_version_id';
      return audience !== undefined && audience.length > 2000 ? 'audience' : undefined;
    }
    case 'createClient': {
      const { client } = call;
      const name = client.clientName;
      if (typeof name !== 'string' || name.trim() === '' || name.length > 255 || CONTROL.test(name))
        return 'client name';
      if (client.description.length > 1000 || CONTROL.test(client.description.replace(/[\t\r\n]/g, ' ')))
        return 'description';
      if (redirectUrisProblem(client.redirectUris)) return 'redirect URIs';
      if (!client.grantTypes.includes('client_credentials') || !client.grantTypes.every((g) => GRANTS.has(g)))
        return 'grants';
      if (client.grantTypes.some((g) => g !== 'client_credentials') && client.redirectUris.length === 0)
        return 'grants';
      if (client.scopes.length > 50 || !client.scopes.every((s) => SCOPE.test(s))) return 'scopes';
      return SECRET_AUTH_METHODS.has(client.tokenEndpointAuthMethod) ? undefined : 'token endpoint auth method';
    }
  }
}

/** The client name the IdP must get for what Konnect sent: control characters as spaces, trimmed, cut at 255, or the default. */
export function expectedClientName(sent: unknown): string {
  const text = typeof sent === 'string' ? sent.replace(new RegExp(CONTROL, 'g'), ' ').trim() : '';
  if (text === '') return 'Konnect application';
  const cut = text.slice(0, 255);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}
