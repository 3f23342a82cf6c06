import { defineAdapter } from '../adapter-factory';
import { ManagementToken } from '../oauth/management-token';
import { Ownership } from '../ownership';
import { EntraAdapter } from './entra-adapter';
import { EntraApplications } from './entra-applications';
import { entraSettingsSchema } from './entra-settings';
import { GraphClient } from './graph-client';

/** Microsoft Entra ID via Microsoft Graph v1.0; the state lives in Entra, so no registration table. */
export const entraAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: entraSettingsSchema,
  create(settings, { http, credentials }) {
    // Entra's token endpoint takes client_id/client_secret in the form (client_secret_post).
    const token = new ManagementToken(
      {
        idpName: 'entra',
        tokenEndpoint: settings.tokenEndpoint,
        parameters: { scope: settings.graphScope },
        clientAuthentication: 'post',
        defaultLifetimeSeconds: 3599,
      },
      http,
      credentials,
    );
    const applications = new EntraApplications(new GraphClient(settings.graphApiUrl, http, token));
    return new EntraAdapter(
      applications,
      { secretLifetimeDays: settings.secretLifetimeDays, permanentDelete: settings.permanentDelete },
      new Ownership('entra', credentials),
    );
  },
});
