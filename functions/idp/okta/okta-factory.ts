import * as z from 'zod/mini';
import { defineAdapter } from '../adapter-factory';
import { Ownership } from '../ownership';
import { optionalSetting, requiredUrlSetting } from '../settings';
import { OktaAdapter } from './okta-adapter';
import { OktaClientsApi } from './okta-api';
import { OAuthAuthorization, type OktaAuthorization, SswsAuthorization } from './okta-authorization';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** The org's base URL: an okta.com / oktapreview.com org, a custom domain or a test server. */
const orgUrlSetting = z.pipe(
  requiredUrlSetting.check(
    z.refine((value) => URL.canParse(value) && !new URL(value).search && !new URL(value).hash, {
      message: 'must be the Okta org URL without query or fragment, e.g. https://acme.okta.com',
    }),
  ),
  z.transform((value: string) => value.replace(/\/+$/, '')),
);

/** Okta's Dynamic Client Registration API, with an SSWS API token or OAuth for Okta. */
export const oktaAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({
    IDP_OKTA_ORG_URL: orgUrlSetting,
    IDP_OKTA_AUTH_MODE: z.pipe(
      z.transform(emptyToUndefined),
      z._default(z.enum(['ssws', 'oauth'], { error: 'must be ssws or oauth' }), 'ssws'),
    ),
    IDP_OKTA_KEY_ID: optionalSetting,
    // Dangerous, for migrations only: `true` lets whoever holds the Konnect key rotate, redirect and
    // delete any OAuth app these Okta credentials can manage, not only the bridge's own (name suffix).
    // The bridge's own service app stays refused either way.
    IDP_OKTA_MANAGE_UNMARKED_CLIENTS: z.pipe(
      z.transform(emptyToUndefined),
      z._default(z.enum(['true', 'false'], { error: 'must be true or false' }), 'false'),
    ),
  }),
  create(settings, { http, credentials }) {
    const orgUrl = settings.IDP_OKTA_ORG_URL;
    const authorization: OktaAuthorization =
      settings.IDP_OKTA_AUTH_MODE === 'oauth'
        ? new OAuthAuthorization(orgUrl, http, credentials, settings.IDP_OKTA_KEY_ID)
        : new SswsAuthorization(credentials);
    return new OktaAdapter(
      new OktaClientsApi(orgUrl, http, authorization),
      { manageUnmarkedClients: settings.IDP_OKTA_MANAGE_UNMARKED_CLIENTS === 'true' },
      new Ownership('okta', credentials),
    );
  },
});
