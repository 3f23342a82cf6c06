import type { NewClient } from '../idp-adapter';

/**
 * RFC 7591 metadata for Curity's non-templatized registration
 * (https://curity.io/docs/identity-server/profiles/token-profile/clients/dcr/dcr-api).
 * Konnect's ids are not sent: Curity has no field for them.
 */
export function curityRegistrationRequest(client: NewClient): Record<string, unknown> {
  return {
    client_name: client.clientName,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.redirectUris.length > 0 && { redirect_uris: client.redirectUris }),
    ...(client.scopes.length > 0 && { scope: client.scopes.join(' ') }),
  };
}

/** Server-owned fields Curity adds to its answers, beyond RFC 7592's, never to be sent back. */
export const CURITY_SERVER_FIELDS = ['registration_access_token_expires_in'] as const;
