import { jsonResponse } from '../bridge/responses';
import { invalidRequest } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import { eventHookEnvelope, registrationEvent, updateApplicationEvent } from '../contract/event-hook-request';
import { parseBody } from '../contract/validation';
import type { RouteHandler } from './route-handler';

/** POST /{clientId}/event-hook — Konnect tells what changed about an application. */
export const handleEventHook: RouteHandler = async (event, { adapter, operation }) => {
  const clientId = parseClientId(event.pathParameters?.clientId);
  const envelope = parseBody(eventHookEnvelope, event.body);
  if (envelope.client_id !== clientId) {
    throw invalidRequest('client_id: must match the client id in the path.');
  }
  logger.appendKeys({
    client_id: clientId,
    event_type: envelope.event_type,
    application_id: envelope.application_id,
    portal_id: envelope.portal_id,
    organization_id: envelope.organization_id,
    developer_id: envelope.developer_id,
  });
  switch (envelope.event_type) {
    case 'update_application': {
      const update = parseBody(updateApplicationEvent, event.body);
      await adapter.updateRedirectUris(clientId, update.redirect_uris, operation);
      break;
    }
    case 'add_registration':
    case 'remove_registration': {
      const registration = parseBody(registrationEvent, event.body);
      const change = {
        clientId,
        apiProductVersionId: registration.api_product_version_id,
        audience: registration.audience,
      };
      if (registration.event_type === 'add_registration') await adapter.addRegistration(change, operation);
      else await adapter.removeRegistration(change, operation);
      break;
    }
    default:
      // New event types must not halt Konnect: acknowledge, and leave a trace.
      logger.info('Unknown event type acknowledged without action');
      return jsonResponse(200, { event_type: envelope.event_type, handled: false });
  }
  logger.info('Event hook handled');
  return jsonResponse(200, { event_type: envelope.event_type, handled: true });
};
