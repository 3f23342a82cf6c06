import { noContent } from '../bridge/responses';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import type { RouteHandler } from './route-handler';

/** DELETE /{clientId} — idempotent: a client that is already gone is still a 204. */
export const deleteApplication: RouteHandler = async (event, { adapter, operation }) => {
  const clientId = parseClientId(event.pathParameters?.clientId);
  logger.appendKeys({ client_id: clientId });
  await adapter.deleteClient(clientId, operation);
  logger.info('Client deleted');
  return noContent();
};
