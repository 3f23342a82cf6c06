import { jsonResponse } from '../bridge/responses';
import { logger } from '../commons/logger';
import { createApplicationRequest } from '../contract/create-application-request';
import { konnectIdLogKeys } from '../contract/konnect-ids';
import { isKonnectVerification } from '../contract/konnect-verification';
import { newClientFrom } from '../contract/new-client';
import { parseBody } from '../contract/validation';
import { retirePreviousVerificationClient } from './retire-verification-client';
import type { RouteHandler } from './route-handler';
import { refuseUnmanageableClient } from './unmanageable-client';

/** POST / — Konnect created an application: register a client and return its credentials. */
export const createApplication: RouteHandler = async (event, { adapter, operation, verificationLedger }) => {
  const request = parseBody(createApplicationRequest, event.body, 'client_metadata');
  logger.appendKeys({
    client_name: request.client_name,
    application_description: request.application_description,
    ...konnectIdLogKeys(request),
  });
  const { client, adjustments } = newClientFrom(request, event.body);
  if (Object.keys(adjustments).length > 0) logger.info('Konnect request adjusted', adjustments);
  const verification = isKonnectVerification(request);
  if (verification) {
    logger.appendKeys({ konnect_verification: true });
    logger.info('Konnect verification create');
  }
  const issued = await adapter.createClient(client, operation);
  await refuseUnmanageableClient(issued.clientId, adapter);
  logger.appendKeys({ client_id: issued.clientId });
  logger.info('Client created');
  if (verification) await retirePreviousVerificationClient(issued.clientId, adapter, verificationLedger, operation);
  return jsonResponse(201, {
    client_id: issued.clientId,
    client_secret: issued.clientSecret,
    ...(issued.clientIdIssuedAt !== undefined && { client_id_issued_at: issued.clientIdIssuedAt }),
    ...(issued.clientSecretExpiresAt !== undefined && { client_secret_expires_at: issued.clientSecretExpiresAt }),
  });
};
