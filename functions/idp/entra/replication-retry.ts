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

/** Time kept back for the retried call itself; with less left, no attempt is worth making. */
export const CALL_MARGIN_MS = 200;

/**
 * Repeats a Graph call while its answer shows that directory replication has not caught up yet,
 * with exponential backoff. A wait that would outlast the deadline is shortened to the time left
 * (minus the call's margin) rather than skipped: replication often catches up within it. Only for
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
    const remainingMs = context.deadlineAt - Date.now();
    if (lastAttempt || remainingMs <= CALL_MARGIN_MS) return response;
    onRetry(attempt);
    await waitFor(Math.min(delayMs, remainingMs - CALL_MARGIN_MS), context.signal).catch((error: unknown) => {
      throw idpTimeout('entra', error);
    });
    delayMs = Math.min(delayMs * 2, backoff.maxDelayMs);
  }
}
