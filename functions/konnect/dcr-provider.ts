/**
 * Konnect's HTTP DCR provider as the Application Auth Strategies API v2 describes it
 * (Kong/developer.konghq.com api-specs/konnect/application-auth-strategies/v2/openapi.yaml,
 * `/dcr-providers`). Only the fields the bridge reads or writes.
 */
export interface DcrProvider {
  id: string;
  name: string;
  display_name?: string;
  /** auth0, azureAd, curity, okta or http; the bridge only ever touches `http`. */
  provider_type: string;
  issuer: string;
  active: boolean;
  /** `api_key` is never returned (sensitive fields are removed from answers). */
  dcr_config: {
    dcr_base_url?: string;
    disable_event_hooks?: boolean;
    disable_refresh_secret?: boolean;
    allow_multiple_credentials?: boolean;
  };
  labels?: Record<string, string>;
  created_at: string;
  updated_at: string;
}

/** `POST /dcr-providers` body for an HTTP provider. */
export interface CreateHttpDcrProvider {
  name: string;
  display_name?: string;
  provider_type: 'http';
  issuer: string;
  dcr_config: {
    dcr_base_url: string;
    api_key: string;
    disable_event_hooks?: boolean;
    disable_refresh_secret?: boolean;
    allow_multiple_credentials?: boolean;
  };
  labels?: Record<string, string>;
}

/** `PATCH /dcr-providers/{id}` body: every field optional; labels set to null are removed. */
export interface UpdateHttpDcrProvider {
  name?: string;
  display_name?: string;
  issuer?: string;
  dcr_config?: Partial<CreateHttpDcrProvider['dcr_config']>;
  labels?: Record<string, string | null>;
}

/** `POST /dcr-providers/{id}/verify` answer. */
export interface DcrProviderVerification {
  status: 'success' | 'failed';
  errors: string[];
}

/** What connect and rotation need from Konnect; KonnectApi implements it over HTTPS. */
export interface DcrProviderApi {
  /** The provider with exactly this name (`filter[name][eq]`), or undefined. */
  findByName(name: string): Promise<DcrProvider | undefined>;
  get(id: string): Promise<DcrProvider>;
  create(body: CreateHttpDcrProvider): Promise<DcrProvider>;
  update(id: string, body: UpdateHttpDcrProvider): Promise<DcrProvider>;
  remove(id: string): Promise<void>;
  /** Konnect makes a real create through the bridge (`portal_id: "test portal_id"`). */
  verify(id: string): Promise<DcrProviderVerification>;
}
