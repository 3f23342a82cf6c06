import { idpFailed } from '../../commons/bridge-error';
import { ownershipLedgerOf } from '../../store/ownership-ledger';
import { defineAdapter } from '../adapter-factory';
import { GenericDcrAdapter } from '../generic/generic-adapter';
import { IdpEndpointResolver } from '../generic/idp-endpoints';
import type { OperationContext } from '../idp-adapter';
import { ManagementToken } from '../oauth/management-token';
import { Ownership } from '../ownership';
import { CurityDcrmAdapter } from './curity-dcrm-adapter';
import { CurityManagementApi } from './curity-management-api';
import { CurityRatAdapter } from './curity-rat-adapter';

import { curitySettings } from './curity-settings';

/** Curity Identity Server: RFC 7591 registration with a "dcr" token, management per IDP_CURITY_MANAGEMENT. */
export const curityAdapter = defineAdapter({
  // rat: the token of each client; dcrm: the record of each client the bridge created, its only
  // proof of ownership (the dcrm token reaches every client of the profile).
  needsRegistrationStore: true,
  settings: curitySettings,
  create(settings, { http, credentials, store }) {
    const endpoints = new IdpEndpointResolver(
      {
        issuer: settings.IDP_ISSUER,
        registrationEndpoint: settings.IDP_REGISTRATION_ENDPOINT,
        tokenEndpoint: settings.IDP_TOKEN_ENDPOINT,
        allowedOrigins: settings.IDP_ALLOWED_ORIGINS,
      },
      http,
      'curity',
    );
    if (settings.IDP_CURITY_MANAGEMENT === 'rat') {
      const generic = new GenericDcrAdapter(
        { name: 'curity', initialTokenScope: settings.IDP_CURITY_DCR_SCOPE, secretRotation: 'read' },
        http,
        endpoints,
        store(),
        credentials,
      );
      return new CurityRatAdapter(generic);
    }
    const tokenEndpoint = async (context: OperationContext) => {
      const resolved = (await endpoints.resolve(context)).tokenEndpoint;
      if (!resolved) throw idpFailed('The bridge has no token endpoint for curity; set IDP_TOKEN_ENDPOINT.');
      return resolved;
    };
    const dcrmToken = new ManagementToken(
      {
        idpName: 'curity',
        tokenEndpoint,
        parameters: { scope: settings.IDP_CURITY_DCRM_SCOPE },
        clientAuthentication: 'basic',
        // Curity leaves out scopes the client may not have instead of refusing the request.
        requiredScope: settings.IDP_CURITY_DCRM_SCOPE,
      },
      http,
      credentials,
    );
    const management = new CurityManagementApi(endpoints, http, dcrmToken);
    return new CurityDcrmAdapter(
      settings.IDP_CURITY_DCR_SCOPE,
      http,
      endpoints,
      management,
      credentials,
      new Ownership('curity', credentials),
      ownershipLedgerOf(store()),
    );
  },
});
