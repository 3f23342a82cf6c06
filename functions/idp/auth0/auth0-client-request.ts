import { invalidClientMetadata } from '../../commons/bridge-error';
import type { KonnectIds, NewClient } from '../idp-adapter';

/** Auth0 client `description`: "max length: 140 characters". */
export const DESCRIPTION_MAX_LENGTH = 140;
/** Auth0 client_metadata: string values of at most 255 characters, at most 10 properties. */
const METADATA_VALUE_MAX_LENGTH = 255;
const METADATA_MAX_PROPERTIES = 10;
/** Grants that send a user through a browser: the client is then a regular web application. */
const INTERACTIVE_GRANTS = new Set(['authorization_code', 'implicit', 'refresh_token']);
/** Auth0's `token_endpoint_auth_method` values that use a client secret. */
const AUTH0_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

/** The body of `POST /api/v2/clients` for a Konnect application. */
export function createClientBody(client: NewClient): Record<string, unknown> {
  if (!AUTH0_SECRET_METHODS.has(client.tokenEndpointAuthMethod)) {
    throw invalidClientMetadata(
      `token_endpoint_auth_method: Auth0 does not support "${client.tokenEndpointAuthMethod}" for client secrets; use client_secret_basic or client_secret_post.`,
    );
  }
  const interactive = client.grantTypes.some((grant) => INTERACTIVE_GRANTS.has(grant));
  const description = truncate(client.description.trim(), DESCRIPTION_MAX_LENGTH);
  return {
    name: auth0ClientName(client.clientName),
    app_type: interactive ? 'regular_web' : 'non_interactive',
    grant_types: client.grantTypes,
    callbacks: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(description && { description }),
    client_metadata: konnectMetadata(client.konnect),
  };
}

/** Auth0 names must not contain "<" or ">" (and need not be unique). */
export function auth0ClientName(name: string): string {
  return name.replace(/[<>]/g, '').trim() || 'Konnect application';
}

/** Cuts at a character boundary (not inside a surrogate pair), marking the cut with "…". */
export function truncate(text: string, maxLength: number): string {
  const characters = Array.from(text);
  if (characters.length <= maxLength) return text;
  return `${characters
    .slice(0, maxLength - 1)
    .join('')
    .trimEnd()}…`;
}

/** Konnect's ids on the Auth0 client, to trace it back; only string values, within Auth0's limits. */
export function konnectMetadata(ids: KonnectIds): Record<string, string> {
  const entries: [string, string | undefined][] = [
    ['managed_by', 'konnect-dcr-bridge'],
    ['konnect_portal_id', ids.portalId],
    ['konnect_organization_id', ids.organizationId],
    ['konnect_developer_id', ids.developerId],
    ['konnect_application_id', ids.applicationId],
    ['konnect_auth_strategy_id', ids.authStrategyId],
    ['konnect_dcr_provider_id', ids.dcrProviderId],
  ];
  const present = entries.filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length <= METADATA_VALUE_MAX_LENGTH,
  );
  return Object.fromEntries(present.slice(0, METADATA_MAX_PROPERTIES));
}
