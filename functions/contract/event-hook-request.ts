import * as z from 'zod';
import { displayTextField, konnectIdField, redirectUrisField } from './fields';

/** Fields every Konnect event hook carries; only event_type and client_id are relied on. */
export const eventHookEnvelope = z.object({
  event_type: z.string().min(1, 'must not be empty').max(100),
  client_id: z.string().min(1, 'must not be empty').max(255),
  application_id: konnectIdField.optional(),
  application_name: displayTextField(255).optional(),
  portal_id: konnectIdField.optional(),
  organization_id: konnectIdField.optional(),
  developer_id: konnectIdField.optional(),
});

export const updateApplicationEvent = eventHookEnvelope.extend({
  event_type: z.literal('update_application'),
  redirect_uris: redirectUrisField,
});

export const registrationEvent = eventHookEnvelope.extend({
  event_type: z.enum(['add_registration', 'remove_registration']),
  api_product_version_id: z.string().min(1, 'must not be empty').max(255),
  audience: z.string().max(2000).optional(),
});

export type EventHookEnvelope = z.output<typeof eventHookEnvelope>;
export type UpdateApplicationEvent = z.output<typeof updateApplicationEvent>;
export type RegistrationEvent = z.output<typeof registrationEvent>;
