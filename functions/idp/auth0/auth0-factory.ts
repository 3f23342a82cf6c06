import { defineAdapter } from '../adapter-factory';
import { ManagementToken } from '../oauth/management-token';
import { Ownership } from '../ownership';
import { Auth0Adapter } from './auth0-adapter';
import { Auth0ManagementApi } from './auth0-management-api';
import { auth0SettingsSchema } from './auth0-settings';

/** Auth0 via its Management API v2, with a management token obtained by client credentials. */
export const auth0Adapter = defineAdapter({
  needsRegistrationStore: false,
  settings: auth0SettingsSchema,
  create(settings, { http, credentials }) {
    const token = new ManagementToken(
      {
        idpName: 'auth0',
        tokenEndpoint: settings.tokenEndpoint,
        parameters: { audience: settings.managementAudience },
        // Auth0's documented request sends the credentials in the form body.
        clientAuthentication: 'post',
        // Management API tokens live 24 h unless the tenant says otherwise (expires_in wins).
        defaultLifetimeSeconds: 86_400,
      },
      http,
      credentials,
    );
    return new Auth0Adapter(
      settings,
      new Auth0ManagementApi(settings.baseUrl, http, token),
      new Ownership('auth0', credentials),
    );
  },
});
