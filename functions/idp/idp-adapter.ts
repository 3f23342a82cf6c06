import type { OAuthGrantType } from '../contract/grant-translation';

/** Konnect's ids, kept on the IdP's client where the vendor has a place, to trace it back. */
export interface KonnectIds {
  portalId?: string;
  organizationId?: string;
  developerId?: string;
  applicationId?: string;
  authStrategyId?: string;
  dcrProviderId?: string;
}

/** A client to create, already validated and translated from Konnect's vocabulary. */
export interface NewClient {
  clientName: string;
  description: string;
  redirectUris: string[];
  grantTypes: OAuthGrantType[];
  responseTypes: string[];
  scopes: string[];
  tokenEndpointAuthMethod: string;
  konnect: KonnectIds;
}

export interface IssuedClient {
  clientId: string;
  clientSecret: string;
  /** RFC 7591 epoch seconds, when the IdP says. */
  clientIdIssuedAt?: number;
  /** RFC 7591 epoch seconds, 0 for "never", when the IdP says. */
  clientSecretExpiresAt?: number;
}

export interface RotatedSecret {
  clientId: string;
  clientSecret: string;
  clientSecretExpiresAt?: number;
}

/** An API product version registered to, or removed from, an application in Konnect. */
export interface ApiRegistrationChange {
  clientId: string;
  apiProductVersionId: string;
  audience?: string;
}

/** What every IdP operation gets: the request's deadline, shared by all IdP calls it makes. */
export interface OperationContext {
  /** Aborts at the deadline. */
  signal: AbortSignal;
  /** The same deadline as epoch ms, to decide whether a wait (e.g. for a rate limit) still fits. */
  deadlineAt: number;
}

export function operationWithin(timeoutMs: number): OperationContext {
  return { signal: AbortSignal.timeout(timeoutMs), deadlineAt: Date.now() + timeoutMs };
}

/**
 * Runs `work` within a deadline whose timer is cleared as soon as it settles. A warm container
 * serves many requests: a timer left armed per request (as AbortSignal.timeout does) keeps its
 * signal and everything listening to it alive until it fires.
 */
export async function withinDeadline<T>(timeoutMs: number, work: (operation: OperationContext) => Promise<T>) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('deadline reached', 'TimeoutError')), timeoutMs);
  try {
    return await work({ signal: controller.signal, deadlineAt: Date.now() + timeoutMs });
  } finally {
    clearTimeout(timer);
  }
}

/**
 * One implementation per IdP. Handlers call exactly one method per request; everything vendor
 * specific (URLs, tokens, field names, error bodies, retries, compensation) stays behind it.
 * Methods throw BridgeError for anything Konnect should see.
 */
export interface IdpAdapter {
  /** Short name used in error descriptions and logs, e.g. "generic". */
  readonly name: string;
  createClient(client: NewClient, context: OperationContext): Promise<IssuedClient>;
  /** Resolves also when the client no longer exists (Konnect halts on any non-2xx). */
  deleteClient(clientId: string, context: OperationContext): Promise<void>;
  /** Issues a new secret; the previous one must stop working. */
  rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret>;
  updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void>;
  addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void>;
  removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void>;
}

/** Time granted to undo a half-done create or change, even after the request's own deadline passed. */
const COMPENSATION_TIMEOUT_MS = 3000;

export const compensationOperation = () => operationWithin(COMPENSATION_TIMEOUT_MS);
