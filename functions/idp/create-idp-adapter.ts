import { ConfigurationError, settingsProblems } from '../commons/configuration-error';
import { HttpClient } from '../commons/http-client';
import type { AdapterFactory, AdapterResources } from './adapter-factory';
import type { auth0Adapter } from './auth0/auth0-factory';
import type { cognitoAdapter } from './cognito/cognito-factory';
import type { curityAdapter } from './curity/curity-factory';
import type { entraAdapter } from './entra/entra-factory';
import type { genericAdapter } from './generic/generic-factory';
import type { IdpAdapter } from './idp-adapter';
import type { keycloakAdapter } from './keycloak/keycloak-factory';
import type { oktaAdapter } from './okta/okta-factory';

const IDP_TYPE_NAMES = ['generic', 'okta', 'auth0', 'entra', 'curity', 'keycloak', 'cognito'] as const;
export type IdpType = (typeof IDP_TYPE_NAMES)[number];
/** Every IDP_TYPE the bridge speaks, whichever adapters this build holds. */
export const IDP_TYPES: IdpType[] = [...IDP_TYPE_NAMES];

interface Adapters {
  generic: typeof genericAdapter;
  okta: typeof oktaAdapter;
  auth0: typeof auth0Adapter;
  entra: typeof entraAdapter;
  curity: typeof curityAdapter;
  keycloak: typeof keycloakAdapter;
  cognito: typeof cognitoAdapter;
}

/**
 * The adapter that serves each IDP_TYPE.
 *
 * One adapter per deployment: the Lambda bundle is built for the one IDP_TYPE the stack deploys
 * (lib/bridge-function.ts defines `process.env.BRIDGE_BUNDLED_IDP_TYPE` as that type at bundle
 * time). Each condition below is then a constant, every other adapter's import dead code, and
 * esbuild leaves those adapters out of the bundle; their entries here are undefined. Without the
 * define (`npm start`, tests, the CDK app at synth, tools) every adapter is loaded. Keep each
 * condition written out in full at its import: esbuild decides what is dead while parsing.
 */
export const ADAPTERS = {
  generic:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'generic'
      ? (await import('./generic/generic-factory')).genericAdapter
      : undefined,
  okta:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'okta'
      ? (await import('./okta/okta-factory')).oktaAdapter
      : undefined,
  auth0:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'auth0'
      ? (await import('./auth0/auth0-factory')).auth0Adapter
      : undefined,
  entra:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'entra'
      ? (await import('./entra/entra-factory')).entraAdapter
      : undefined,
  curity:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'curity'
      ? (await import('./curity/curity-factory')).curityAdapter
      : undefined,
  keycloak:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'keycloak'
      ? (await import('./keycloak/keycloak-factory')).keycloakAdapter
      : undefined,
  cognito:
    !process.env.BRIDGE_BUNDLED_IDP_TYPE || process.env.BRIDGE_BUNDLED_IDP_TYPE === 'cognito'
      ? (await import('./cognito/cognito-factory')).cognitoAdapter
      : undefined,
  // Typed as complete: outside a single-adapter bundle it is; inside one, adapterFactory() guards.
} satisfies Record<IdpType, Pick<AdapterFactory<unknown>, 'settings'> | undefined> as Adapters;

export interface AdapterEnvironment {
  idpType: IdpType;
  callTimeoutMs: number;
  env: NodeJS.ProcessEnv;
}

/** The factory for an IDP_TYPE; refuses a type this bundle was not built for. */
function adapterFactory(idpType: IdpType): AdapterFactory<unknown> {
  const factory = ADAPTERS[idpType] as AdapterFactory<unknown> | undefined;
  if (!factory) {
    throw new ConfigurationError(
      `The bridge is misconfigured: IDP_TYPE=${idpType}, but this bundle holds only the ${process.env.BRIDGE_BUNDLED_IDP_TYPE} adapter; redeploy with idpType=${idpType}.`,
    );
  }
  return factory;
}

/** The one place that knows which adapter serves which IDP_TYPE; validates its settings. */
export function createIdpAdapter(
  { idpType, callTimeoutMs, env }: AdapterEnvironment,
  resources: Omit<AdapterResources, 'http'>,
): IdpAdapter {
  // Each factory's create() takes exactly what its own settings schema parsed.
  const factory = adapterFactory(idpType);
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
  const { needsRegistrationStore: needs, settings } = adapterFactory(idpType);
  if (typeof needs === 'boolean') return needs;
  const parsed = settings.safeParse(env);
  return parsed.success ? needs(parsed.data) : true;
}
