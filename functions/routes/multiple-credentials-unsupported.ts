import { BridgeError } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import type { RouteHandler } from './route-handler';

/** What the Konnect admin reads in the portal, and what to change there. */
export const MULTIPLE_CREDENTIALS_UNSUPPORTED =
  'This bridge keeps one client secret per application and cannot add or remove further credentials. ' +
  'In Konnect, turn off "Allow Multiple Credentials" in the DCR provider; developers can still refresh ' +
  "their application's secret.";

/**
 * POST /{clientId}/secrets and DELETE /{clientId}/secrets/{secretId} — Konnect calls these when
 * "Allow Multiple Credentials" is on. The bridge keeps one secret per client (RFC 7591 knows no
 * second one), so the answer is a 4xx naming that setting, before any IdP call.
 */
export const refuseMultipleCredentials: RouteHandler = async (event) => {
  const clientId = parseClientId(event.pathParameters?.clientId);
  logger.appendKeys({ client_id: clientId });
  throw new BridgeError(400, 'multiple_credentials_unsupported', MULTIPLE_CREDENTIALS_UNSUPPORTED);
};
