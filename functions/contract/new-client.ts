import type { NewClient } from '../idp/idp-adapter';
import {
  CLIENT_NAME_MAX,
  type CreateApplicationRequest,
  DEFAULT_CLIENT_NAME,
  DESCRIPTION_MAX,
  SECRET_AUTH_METHODS,
} from './create-application-request';
import { isTooLong } from './fields';
import { translateGrants } from './grant-translation';
import { droppedKonnectIds } from './konnect-ids';

/** What the bridge changed in what Konnect sent, as log keys; empty when nothing. */
export type Adjustments = Record<string, unknown>;

/**
 * The client to register for a parsed create, and what was adjusted on the way (`body` is the
 * request body as sent, to tell what was dropped or cut).
 */
export function newClientFrom(
  request: CreateApplicationRequest,
  body: unknown,
): { client: NewClient; adjustments: Adjustments } {
  const { grantTypes, responseTypes, ignored } = translateGrants(request.grant_types, request.redirect_uris);
  const requested = request.token_endpoint_auth_method;
  // Konnect shows the developer a client secret: any other method would leave them without credentials.
  const tokenEndpointAuthMethod =
    requested && SECRET_AUTH_METHODS.includes(requested) ? requested : 'client_secret_basic';
  const sent = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const truncated = [
    isTooLong(sent.client_name, CLIENT_NAME_MAX) && 'client_name',
    isTooLong(sent.application_description, DESCRIPTION_MAX, { multiLine: true }) && 'application_description',
  ].filter(Boolean);
  const droppedIds = droppedKonnectIds(body);
  const adjustments: Adjustments = {
    ...(ignored.length > 0 && { ignored_auth_methods: ignored }),
    ...(tokenEndpointAuthMethod !== requested && {
      requested_auth_method: requested ?? null,
      used_auth_method: tokenEndpointAuthMethod,
    }),
    ...(request.client_name === DEFAULT_CLIENT_NAME &&
      sent.client_name !== DEFAULT_CLIENT_NAME && { defaulted_client_name: DEFAULT_CLIENT_NAME }),
    ...(truncated.length > 0 && { truncated_fields: truncated }),
    ...(droppedIds.length > 0 && { dropped_ids: droppedIds }),
  };
  const client: NewClient = {
    clientName: request.client_name,
    description: request.application_description,
    redirectUris: request.redirect_uris,
    grantTypes,
    responseTypes,
    scopes: request.scopes,
    tokenEndpointAuthMethod,
    konnect: {
      portalId: request.portal_id,
      organizationId: request.organization_id,
      developerId: request.developer_id,
      applicationId: request.application_id,
      authStrategyId: request.auth_strategy_id,
      dcrProviderId: request.dcr_provider_id,
    },
  };
  return { client, adjustments };
}
