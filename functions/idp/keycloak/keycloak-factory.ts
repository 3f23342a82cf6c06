import * as z from 'zod/mini';
import { defineAdapter } from '../adapter-factory';
import { ManagementToken } from '../oauth/management-token';
import { Ownership } from '../ownership';
import { optionalSetting, requiredSetting, requiredUrlSetting } from '../settings';
import { KeycloakAdapter } from './keycloak-adapter';
import { KeycloakAdminApi } from './keycloak-admin-api';
import { CLIENT_ID_PREFIX_PATTERN } from './keycloak-client-id';
import { keycloakUrls } from './keycloak-urls';

const DEFAULT_CLIENT_ID_PREFIX = 'konnect-';

/**
 * Keycloak through the Admin REST API with a service account (realm-management "manage-clients").
 * Keycloak's own DCR endpoint works through IDP_TYPE=generic instead (docs/idps/keycloak.md).
 */
export const keycloakAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({
    IDP_KEYCLOAK_URL: requiredUrlSetting,
    IDP_KEYCLOAK_REALM: requiredSetting,
    IDP_KEYCLOAK_CLIENT_ID_PREFIX: optionalSetting.check(
      z.refine(
        (prefix) => prefix === undefined || CLIENT_ID_PREFIX_PATTERN.test(prefix),
        'must be at most 64 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"',
      ),
    ),
  }),
  create(settings, { http, credentials }) {
    const urls = keycloakUrls(settings.IDP_KEYCLOAK_URL, settings.IDP_KEYCLOAK_REALM);
    const token = new ManagementToken(
      { idpName: 'keycloak', tokenEndpoint: urls.token, parameters: {}, clientAuthentication: 'basic' },
      http,
      credentials,
    );
    return new KeycloakAdapter(
      { clientIdPrefix: settings.IDP_KEYCLOAK_CLIENT_ID_PREFIX ?? DEFAULT_CLIENT_ID_PREFIX },
      new KeycloakAdminApi(urls, http, token),
      new Ownership('keycloak', credentials),
    );
  },
});
