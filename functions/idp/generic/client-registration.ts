import * as z from 'zod/mini';
import { isNativeRedirectList } from '../../contract/redirect-uris';
import type { IssuedClient, NewClient } from '../idp-adapter';

/** The parts of an RFC 7591/7592 client information response the bridge relies on. */
export const clientInformation = z.looseObject({
  client_id: z.string().check(z.minLength(1)),
  client_secret: z.optional(z.string().check(z.minLength(1))),
  client_id_issued_at: z.optional(z.number().check(z.int(), z.nonnegative())),
  client_secret_expires_at: z.optional(z.number().check(z.int(), z.nonnegative())),
  registration_access_token: z.optional(z.string().check(z.minLength(1))),
  registration_client_uri: z.optional(z.url({ protocol: /^https?$/ })),
});

export type ClientInformation = z.output<typeof clientInformation>;

// RFC 7592 section 2.2: these must not be sent back in an update (the last one is Curity's).
const SERVER_OWNED_FIELDS = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
  'registration_access_token_expires_in',
] as const;

// Single-valued metadata of RFC 7591 section 2 and OpenID Connect Dynamic Client Registration
// section 2. Some servers read them back as arrays and then refuse those arrays in an update.
const SINGLE_VALUED_FIELDS = new Set([
  'client_id',
  'client_secret',
  'client_name',
  'scope',
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'jwks_uri',
  'software_id',
  'software_version',
  'software_statement',
  'token_endpoint_auth_method',
  'token_endpoint_auth_signing_alg',
  'application_type',
  'sector_identifier_uri',
  'subject_type',
  'initiate_login_uri',
  'id_token_signed_response_alg',
  'id_token_encrypted_response_alg',
  'id_token_encrypted_response_enc',
  'userinfo_signed_response_alg',
  'userinfo_encrypted_response_alg',
  'userinfo_encrypted_response_enc',
  'request_object_signing_alg',
  'request_object_encryption_alg',
  'request_object_encryption_enc',
]);

/**
 * The metadata to PUT back for an RFC 7592 update: the full current record (PUT replaces it) minus
 * server-owned fields, with single-valued fields as single values again (`scope` joined with
 * spaces, others their first element). Dropping `client_secret` asks an IdP that rotates on update
 * for a new one; keeping it (RFC 7592 requires it to match) asks it to keep the current secret.
 */
export function metadataForUpdate(
  current: ClientInformation,
  changes: Record<string, unknown>,
  secret: 'keep' | 'renew',
): Record<string, unknown> {
  const metadata: Record<string, unknown> = { ...current, ...changes };
  for (const field of SERVER_OWNED_FIELDS) delete metadata[field];
  if (secret === 'renew') delete metadata.client_secret;
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null) delete metadata[key];
    else if (Array.isArray(value) && SINGLE_VALUED_FIELDS.has(key)) {
      const single = key === 'scope' ? value.join(' ') : value[0];
      if (single === undefined || single === '') delete metadata[key];
      else metadata[key] = single;
    }
  }
  return metadata;
}

/** RFC 7591 metadata for a new client, leaving out what is empty. Konnect's ids have no RFC field. */
export function registrationRequest(client: NewClient): Record<string, unknown> {
  return {
    client_name: client.clientName,
    grant_types: client.grantTypes,
    response_types: client.responseTypes,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(client.redirectUris.length > 0 && { redirect_uris: client.redirectUris }),
    ...(isNativeRedirectList(client.redirectUris) && { application_type: 'native' }),
    ...(client.scopes.length > 0 && { scope: client.scopes.join(' ') }),
  };
}

/** What Konnect gets for a registration answer, once its secret is known to be there. */
export const issuedClientFrom = (info: ClientInformation, clientSecret: string): IssuedClient => ({
  clientId: info.client_id,
  clientSecret,
  clientIdIssuedAt: info.client_id_issued_at,
  clientSecretExpiresAt: info.client_secret_expires_at,
});
