import * as z from 'zod/mini';
import { displayTextField, listField, scopeField } from './fields';
import { konnectIdFields } from './konnect-ids';
import { redirectUrisField } from './redirect-uris';

/** Auth methods that leave the developer with a client secret, which is what Konnect displays. */
export const SECRET_AUTH_METHODS: readonly string[] = [
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
];

export const DEFAULT_CLIENT_NAME = 'Konnect application';
export const CLIENT_NAME_MAX = 255;
export const DESCRIPTION_MAX = 1000;

/**
 * Konnect's create body, as loose as Kong's published spec: free strings for `grant_types` and
 * `token_endpoint_auth_method`, defaults for what is missing, text cut rather than refused.
 * Unknown fields are dropped, not refused: Konnect has added fields after launch (developer_id,
 * auth_strategy_id, dcr_provider_id) and a strict schema broke every time.
 */
export const createApplicationRequest = z.object({
  client_name: displayTextField(CLIENT_NAME_MAX, { fallback: DEFAULT_CLIENT_NAME }),
  redirect_uris: z.pipe(
    z.nullish(redirectUrisField),
    z.transform((uris: string[] | null | undefined) => uris ?? []),
  ),
  grant_types: listField(z.string().check(z.maxLength(200, 'must be at most 200 characters')), 50),
  scopes: listField(scopeField, 50, { split: true }),
  token_endpoint_auth_method: z.nullish(z.string().check(z.maxLength(200, 'must be at most 200 characters'))),
  application_description: displayTextField(DESCRIPTION_MAX, { multiLine: true }),
  ...konnectIdFields,
});

export type CreateApplicationRequest = z.output<typeof createApplicationRequest>;
