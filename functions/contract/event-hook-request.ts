import * as z from 'zod/mini';
import { CLIENT_NAME_MAX, DESCRIPTION_MAX } from './create-application-request';
import { displayTextField } from './fields';
import { konnectIdFields } from './konnect-ids';
import { redirectUrisField } from './redirect-uris';

const missingToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** Fields every Konnect event hook carries; only event_type and client_id are relied on, the rest is logged. */
export const eventHookEnvelope = z.object({
  event_type: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(100)),
  client_id: z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(255)),
  application_name: z.optional(displayTextField(CLIENT_NAME_MAX)),
  application_description: z.optional(displayTextField(DESCRIPTION_MAX, { multiLine: true })),
  ...konnectIdFields,
});

/** Without `redirect_uris` (missing or null) the event is acknowledged: a missing list must never wipe the IdP's. */
export const updateApplicationEvent = z.extend(eventHookEnvelope, {
  event_type: z.literal('update_application'),
  redirect_uris: z.nullish(redirectUrisField),
});

/** Without `api_product_version_id` (missing, null or empty) the event is acknowledged without action. */
export const registrationEvent = z.extend(eventHookEnvelope, {
  event_type: z.enum(['add_registration', 'remove_registration']),
  api_product_version_id: z.pipe(z.transform(missingToUndefined), z.optional(z.string().check(z.maxLength(255)))),
  audience: z.pipe(z.transform(missingToUndefined), z.optional(z.string().check(z.maxLength(2000)))),
});

export type EventHookEnvelope = z.output<typeof eventHookEnvelope>;
export type UpdateApplicationEvent = z.output<typeof updateApplicationEvent>;
export type RegistrationEvent = z.output<typeof registrationEvent>;
