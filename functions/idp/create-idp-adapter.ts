import type { BridgeConfig } from '../bridge/bridge-config';
import { HttpClient } from '../commons/http-client';
import type { RegistrationStore } from '../store/registration-store';
import { GenericDcrAdapter } from './generic/generic-adapter';
import { IdpEndpointResolver } from './generic/idp-endpoints';
import type { IdpCredentials } from './generic/registration-token';
import type { IdpAdapter } from './idp-adapter';

export interface AdapterResources {
  store: RegistrationStore;
  credentials: () => Promise<IdpCredentials>;
}

/** The one place that knows which adapter serves which IDP_TYPE. */
export function createIdpAdapter(config: BridgeConfig, resources: AdapterResources): IdpAdapter {
  const name = config.IDP_TYPE;
  const http = new HttpClient({ idpName: name, callTimeoutMs: config.IDP_TIMEOUT_MS });
  const endpoints = new IdpEndpointResolver(
    {
      issuer: config.IDP_ISSUER,
      registrationEndpoint: config.IDP_REGISTRATION_ENDPOINT,
      tokenEndpoint: config.IDP_TOKEN_ENDPOINT,
    },
    http,
    name,
  );
  return new GenericDcrAdapter(
    { name, initialTokenScope: config.IDP_INITIAL_TOKEN_SCOPE, secretRotation: config.IDP_SECRET_ROTATION },
    http,
    endpoints,
    resources.store,
    resources.credentials,
  );
}
