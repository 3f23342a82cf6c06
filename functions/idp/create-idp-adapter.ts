import { ConfigurationError, settingsProblems } from '../commons/configuration-error';
import { HttpClient } from '../commons/http-client';
import type { AdapterFactory, AdapterResources } from './adapter-factory';
import { auth0Adapter } from './auth0/auth0-factory';
import { curityAdapter } from './curity/curity-factory';
import { entraAdapter } from './entra/entra-factory';
import { genericAdapter } from './generic/generic-factory';
import type { IdpAdapter } from './idp-adapter';
import { keycloakAdapter } from './keycloak/keycloak-factory';
import { oktaAdapter } from './okta/okta-factory';

/** Every IDP_TYPE the bridge speaks, and the adapter that serves it. */
export const ADAPTERS = {
  generic: genericAdapter,
  okta: oktaAdapter,
  auth0: auth0Adapter,
  entra: entraAdapter,
  curity: curityAdapter,
  keycloak: keycloakAdapter,
} satisfies Record<string, Pick<AdapterFactory<unknown>, 'settings'>>;

export type IdpType = keyof typeof ADAPTERS;
export const IDP_TYPES = Object.keys(ADAPTERS) as IdpType[];

export interface AdapterEnvironment {
  idpType: IdpType;
  callTimeoutMs: number;
  env: NodeJS.ProcessEnv;
}

/** The one place that knows which adapter serves which IDP_TYPE; validates its settings. */
export function createIdpAdapter(
  { idpType, callTimeoutMs, env }: AdapterEnvironment,
  resources: Omit<AdapterResources, 'http'>,
): IdpAdapter {
  // Each factory's create() takes exactly what its own settings schema parsed.
  const factory = ADAPTERS[idpType] as AdapterFactory<unknown>;
  const settings = factory.settings.safeParse(env);
  if (!settings.success) {
    throw new ConfigurationError(
      `The bridge is misconfigured for IDP_TYPE=${idpType}: ${settingsProblems(settings.error)}.`,
    );
  }
  const http = new HttpClient({ idpName: idpType, callTimeoutMs });
  return factory.create(settings.data, { ...resources, http });
}

/** Whether the adapter, with these settings, keeps registration tokens (unparsable settings: yes, to be safe). */
export function needsRegistrationStore(idpType: IdpType, env: NodeJS.ProcessEnv): boolean {
  const { needsRegistrationStore: needs, settings } = ADAPTERS[idpType] as AdapterFactory<unknown>;
  if (typeof needs === 'boolean') return needs;
  const parsed = settings.safeParse(env);
  return parsed.success ? needs(parsed.data) : true;
}
