import type * as z from 'zod/mini';
import type { HttpClient } from '../commons/http-client';
import type { RegistrationStore } from '../store/registration-store';
import type { IdpAdapter } from './idp-adapter';
import type { IdpCredentials } from './idp-credentials';

export interface AdapterResources {
  /** The one outbound HTTP client, named after the adapter. */
  http: HttpClient;
  /** The bridge's IdP credentials, re-read after their cache TTL. */
  credentials: () => Promise<IdpCredentials>;
  /** Only for adapters that declare `needsRegistrationStore`. */
  store: () => RegistrationStore;
}

/** How one IDP_TYPE is configured and built; its settings are validated at cold start. */
export interface AdapterFactory<Settings> {
  /** Parses this adapter's settings from the environment (names start with IDP_). */
  settings: z.ZodMiniType<Settings>;
  /**
   * Adapters that keep per-client records in the registration table (RFC 7592 registration
   * tokens, or Curity dcrm's record of which clients the bridge created); may depend on the settings.
   */
  needsRegistrationStore: boolean | ((settings: Settings) => boolean);
  create(settings: Settings, resources: AdapterResources): IdpAdapter;
}

export const defineAdapter = <Settings>(factory: AdapterFactory<Settings>) => factory;
