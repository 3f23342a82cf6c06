import { jsonResponse } from '../bridge/responses';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import type { RouteHandler } from './route-handler';

/**
 * GET /{clientId}/secrets — Konnect lists an application's credentials when "Allow Multiple
 * Credentials" is on. The bridge keeps one secret per application, so the list is that one, without
 * its value and without asking the IdP. Provisional: Konnect publishes no contract for this route;
 * the shape is the one a public bridge answers.
 */
export const listSecrets: RouteHandler = async (event) => {
  const clientId = parseClientId(event.pathParameters?.clientId);
  logger.appendKeys({ client_id: clientId });
  logger.info('Single credential listed');
  return jsonResponse(200, {
    secrets: [{ secret_id: clientId, client_id: clientId, status: 'ACTIVE', created_at: null, expires_at: null }],
  });
};
