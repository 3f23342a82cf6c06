import * as z from 'zod';
import { displayTextField, konnectIdField, redirectUrisField, scopeField } from './fields';
import { KONNECT_AUTH_METHODS } from './grant-translation';

/** Auth methods that leave the developer with a client secret, which is what Konnect displays. */
export const SECRET_AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'] as const;

const emptyToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/**
 * Konnect's create body. Unknown fields are dropped, not refused: Konnect has added fields after
 * launch (developer_id, auth_strategy_id, dcr_provider_id) and a strict schema broke every time.
 */
export const createApplicationRequest = z.object({
  client_name: displayTextField(255).pipe(z.string().trim().min(1, 'must not be empty')),
  redirect_uris: redirectUrisField.default([]),
  grant_types: z
    .array(z.enum(KONNECT_AUTH_METHODS, `must be one of ${KONNECT_AUTH_METHODS.join(', ')}`))
    .max(10)
    .default([]),
  scopes: z.array(scopeField).max(50, 'at most 50 scopes are allowed').default([]),
  token_endpoint_auth_method: z.preprocess(
    emptyToUndefined,
    z
      .enum(SECRET_AUTH_METHODS, `must be one of ${SECRET_AUTH_METHODS.join(', ')} (the bridge issues client secrets)`)
      .default('client_secret_basic'),
  ),
  application_description: z.preprocess(emptyToUndefined, displayTextField(1000, { multiLine: true }).default('')),
  portal_id: konnectIdField.optional(),
  organization_id: konnectIdField.optional(),
  developer_id: konnectIdField.optional(),
  auth_strategy_id: konnectIdField.optional(),
  dcr_provider_id: konnectIdField.optional(),
});

export type CreateApplicationRequest = z.output<typeof createApplicationRequest>;
