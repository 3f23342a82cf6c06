import { invalidClientMetadata } from '../../commons/bridge-error';
import { truncate } from '../../contract/fields';
import { isPrivateUseRedirectUri } from '../../contract/redirect-uris';
import type { KonnectIds, NewClient } from '../idp-adapter';
import { MANAGED_BY } from '../ownership';

/**
 * Auth0 client `description`: "max length: 140 characters"
 * (https://auth0.com/docs/api/management/v2/clients/post-clients); cut, never refused.
 */
export const DESCRIPTION_MAX_LENGTH = 140;
/** Auth0 client_metadata: string values of at most 255 characters, at most 10 properties. */
const METADATA_VALUE_MAX_LENGTH = 255;
const METADATA_MAX_PROPERTIES = 10;
/** One create's own id in client_metadata, so a client whose create answer was lost can be found again. */
export const CREATION_ID_KEY = 'konnect_creation_id';
/** Grants that send a user through a browser: the client is then a regular web application. */
const INTERACTIVE_GRANTS = new Set(['authorization_code', 'implicit', 'refresh_token']);
/** Auth0's `token_endpoint_auth_method` values that use a client secret. */
const AUTH0_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post']);

/**
 * Auth0 takes private-use scheme callbacks from native applications
 * (https://auth0.com/docs/secure/security-guidance/measures-against-app-impersonation); a native
 * app with a client secret stays confidential, so client credentials still work
 * (https://auth0.com/docs/get-started/applications/confidential-and-public-applications/view-application-type).
 */
export const hasNativeCallbacks = (redirectUris: readonly string[]) => redirectUris.some(isPrivateUseRedirectUri);

/** The body of `POST /api/v2/clients` for a Konnect application; `creationId` names this one create. */
export function createClientBody(client: NewClient, creationId: string): Record<string, unknown> {
  if (!AUTH0_SECRET_METHODS.has(client.tokenEndpointAuthMethod)) {
    throw invalidClientMetadata(
      `token_endpoint_auth_method: Auth0 does not support "${client.tokenEndpointAuthMethod}" for client secrets; use client_secret_basic or client_secret_post.`,
    );
  }
  const interactive = client.grantTypes.some((grant) => INTERACTIVE_GRANTS.has(grant));
  const description = truncate(client.description.trim(), DESCRIPTION_MAX_LENGTH).trim();
  return {
    name: auth0ClientName(client.clientName),
    app_type: appType(client.redirectUris, interactive),
    grant_types: client.grantTypes,
    callbacks: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    ...(description && { description }),
    client_metadata: konnectMetadata(client.konnect, creationId),
  };
}

function appType(redirectUris: readonly string[], interactive: boolean): string {
  if (hasNativeCallbacks(redirectUris)) return 'native';
  return interactive ? 'regular_web' : 'non_interactive';
}

/** Auth0 names must not contain "<" or ">" (and need not be unique). */
export function auth0ClientName(name: string): string {
  return name.replace(/[<>]/g, '').trim() || 'Konnect application';
}

/** Konnect's ids on the Auth0 client, to trace it back; only string values, within Auth0's limits. */
export function konnectMetadata(ids: KonnectIds, creationId?: string): Record<string, string> {
  const entries: [string, string | undefined][] = [
    // The bridge's mark: it acts only on clients that carry it (see Auth0Adapter.readOwnership).
    ['managed_by', MANAGED_BY],
    [CREATION_ID_KEY, creationId],
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
