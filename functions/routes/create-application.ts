import { jsonResponse } from '../bridge/responses';
import { logger } from '../commons/logger';
import { createApplicationRequest } from '../contract/create-application-request';
import { translateGrants } from '../contract/grant-translation';
import { parseBody } from '../contract/validation';
import type { RouteHandler } from './route-handler';

/** POST / — Konnect created an application: register a client and return its credentials. */
export const createApplication: RouteHandler = async (event, { adapter, operation }) => {
  const request = parseBody(createApplicationRequest, event.body, 'client_metadata');
  logger.appendKeys({
    portal_id: request.portal_id,
    organization_id: request.organization_id,
    developer_id: request.developer_id,
  });
  const { grantTypes, responseTypes } = translateGrants(request.grant_types, request.redirect_uris);
  const issued = await adapter.createClient(
    {
      clientName: request.client_name,
      description: request.application_description,
      redirectUris: request.redirect_uris,
      grantTypes,
      responseTypes,
      scopes: request.scopes,
      tokenEndpointAuthMethod: request.token_endpoint_auth_method,
      konnect: {
        portalId: request.portal_id,
        organizationId: request.organization_id,
        developerId: request.developer_id,
        authStrategyId: request.auth_strategy_id,
        dcrProviderId: request.dcr_provider_id,
      },
    },
    operation,
  );
  logger.appendKeys({ client_id: issued.clientId });
  logger.info('Client created');
  return jsonResponse(201, {
    client_id: issued.clientId,
    client_secret: issued.clientSecret,
    ...(issued.clientIdIssuedAt !== undefined && { client_id_issued_at: issued.clientIdIssuedAt }),
    ...(issued.clientSecretExpiresAt !== undefined && { client_secret_expires_at: issued.clientSecretExpiresAt }),
  });
};
