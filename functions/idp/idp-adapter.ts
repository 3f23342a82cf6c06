import { AsyncLocalStorage } from 'node:async_hooks';
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
 * Time granted to undo a half-done create or change, even after the request's own deadline
 * passed. The request budget keeps it in reserve (functions/bridge/request-budget.ts).
 */
export const COMPENSATION_TIMEOUT_MS = 3000;

/** The deadlines of the request being served, for work that starts deep inside an adapter or store. */
interface DeadlineScope {
  deadlineAt: number;
  answerByAt: number;
}

const currentScope = new AsyncLocalStorage<DeadlineScope>();

export interface DeadlineOptions {
  /** When compensation and cleanup must be over, so the function still answers in time; no bound by default. */
  answerByAt?: number;
}

/**
 * Runs `work` within a deadline whose timer is cleared as soon as it settles. A warm container
 * serves many requests: a timer left armed per request (as AbortSignal.timeout does) keeps its
 * signal and everything listening to it alive until it fires. Compensation and store calls made
 * inside `work` are bounded by the same deadlines (see compensationOperation, remainingCallMs).
 */
export async function withinDeadline<T>(
  timeoutMs: number,
  work: (operation: OperationContext) => Promise<T>,
  { answerByAt = Number.POSITIVE_INFINITY }: DeadlineOptions = {},
) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('deadline reached', 'TimeoutError')), timeoutMs);
  const deadlineAt = Date.now() + timeoutMs;
  try {
    return await currentScope.run({ deadlineAt, answerByAt }, () => work({ signal: controller.signal, deadlineAt }));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How long a call other than an IdP call (the registration store, a secret read) may take when
 * started now: until the request's deadline while it is ahead; after it, cleanup gets a
 * compensation window that ends by the answer-by time. Undefined outside a request.
 */
export function remainingCallMs(now = Date.now()): number | undefined {
  const scope = currentScope.getStore();
  if (!scope) return undefined;
  if (now < scope.deadlineAt) return scope.deadlineAt - now;
  return Math.max(0, Math.min(COMPENSATION_TIMEOUT_MS, scope.answerByAt - now));
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

/**
 * An undo's own deadline: up to COMPENSATION_TIMEOUT_MS, never past the request's answer-by time
 * (the function must still answer). Without time left it is already aborted: nothing is sent, and
 * the caller reports the client as orphaned.
 */
export function compensationOperation(now = Date.now()): OperationContext {
  const answerByAt = currentScope.getStore()?.answerByAt ?? Number.POSITIVE_INFINITY;
  const timeoutMs = Math.min(COMPENSATION_TIMEOUT_MS, answerByAt - now);
  if (timeoutMs > 0) return operationWithin(timeoutMs);
  return { signal: AbortSignal.abort(new DOMException('no time left to compensate', 'TimeoutError')), deadlineAt: now };
}
