import { jsonResponse } from '../bridge/responses';
import { invalidRequest } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import { parseClientId } from '../contract/client-id';
import { eventHookEnvelope, registrationEvent, updateApplicationEvent } from '../contract/event-hook-request';
import { droppedKonnectIds, konnectIdLogKeys } from '../contract/konnect-ids';
import { parseBody } from '../contract/validation';
import type { RouteHandler } from './route-handler';

/** Answers an event without acting on it: any non-2xx would halt Konnect, so leave a trace instead. */
function acknowledged(eventType: string, reason: string) {
  logger.info(`Event acknowledged without action: ${reason}`);
  return jsonResponse(200, { event_type: eventType, handled: false });
}

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
    application_name: envelope.application_name,
    application_description: envelope.application_description,
    ...konnectIdLogKeys(envelope),
  });
  const droppedIds = droppedKonnectIds(event.body);
  if (droppedIds.length > 0) logger.info('Konnect request adjusted', { dropped_ids: droppedIds });
  switch (envelope.event_type) {
    case 'update_application': {
      const update = parseBody(updateApplicationEvent, event.body);
      if (update.redirect_uris == null) return acknowledged(update.event_type, 'no redirect_uris in the event');
      await adapter.updateRedirectUris(clientId, update.redirect_uris, operation);
      break;
    }
    case 'add_registration':
    case 'remove_registration': {
      const registration = parseBody(registrationEvent, event.body);
      const { api_product_version_id: apiProductVersionId, audience } = registration;
      logger.appendKeys({ api_product_version_id: apiProductVersionId, audience });
      if (apiProductVersionId === undefined) {
        return acknowledged(registration.event_type, 'no api_product_version_id in the event');
      }
      const change = { clientId, apiProductVersionId, audience };
      if (registration.event_type === 'add_registration') await adapter.addRegistration(change, operation);
      else await adapter.removeRegistration(change, operation);
      break;
    }
    default:
      return acknowledged(envelope.event_type, 'unknown event type');
  }
  logger.info('Event hook handled');
  return jsonResponse(200, { event_type: envelope.event_type, handled: true });
};
