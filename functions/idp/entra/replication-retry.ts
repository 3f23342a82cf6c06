import { idpTimeout } from '../../commons/bridge-error';
import type { HttpResponse } from '../../commons/http-client';
import { waitFor } from '../../commons/rate-limit';
import type { OperationContext } from '../idp-adapter';

export interface ReplicationBackoff {
  /** First wait; each next one doubles, up to `maxDelayMs`. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Attempts in all; unbounded by default, the operation's deadline bounds them anyway. */
  maxAttempts?: number;
}

export const DEFAULT_BACKOFF: ReplicationBackoff = { initialDelayMs: 250, maxDelayMs: 2000 };

/** Time kept back after a wait for the retried call itself. */
const CALL_HEADROOM_MS = 500;

/**
 * Repeats a Graph call while its answer shows that directory replication has not caught up yet,
 * with exponential backoff, as long as a next attempt still fits the operation's deadline. Only for
 * calls whose lag answer proves Graph changed nothing. Returns the last answer either way.
 */
export async function retryWhileReplicating(
  call: () => Promise<HttpResponse>,
  isLagging: (response: HttpResponse) => boolean,
  context: OperationContext,
  backoff: ReplicationBackoff = DEFAULT_BACKOFF,
  onRetry: (attempt: number) => void = () => {},
): Promise<HttpResponse> {
  let delayMs = backoff.initialDelayMs;
  for (let attempt = 1; ; attempt += 1) {
    const response = await call();
    if (!isLagging(response)) return response;
    const lastAttempt = backoff.maxAttempts !== undefined && attempt >= backoff.maxAttempts;
    if (lastAttempt || Date.now() + delayMs + CALL_HEADROOM_MS > context.deadlineAt) return response;
    onRetry(attempt);
    await waitFor(delayMs, context.signal).catch((error: unknown) => {
      throw idpTimeout('entra', error);
    });
    delayMs = Math.min(delayMs * 2, backoff.maxDelayMs);
  }
}
