import { jsonResponse } from '../bridge/responses';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import type { RouteHandler } from './route-handler';

/** POST /{clientId}/new-secret — a developer asked for a new secret; the old one must stop working. */
export const rotateSecret: RouteHandler = async (event, { adapter, operation }) => {
  const clientId = parseClientId(event.pathParameters?.clientId);
  logger.appendKeys({ client_id: clientId });
  const rotated = await adapter.rotateSecret(clientId, operation);
  logger.info('Client secret rotated');
  return jsonResponse(200, { client_id: rotated.clientId, client_secret: rotated.clientSecret });
};
