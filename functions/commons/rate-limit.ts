import { setTimeout as sleep } from 'node:timers/promises';

/** Waits without a header hint: short, growing, so a brief burst limit can clear. */
const DEFAULT_BACKOFF_MS = [250, 1000];

/**
 * How long an IdP asked us to wait after a 429, from the headers vendors use:
 * `Retry-After` (RFC 9110: seconds or an HTTP date; Microsoft Graph), `X-Rate-Limit-Reset`
 * (Okta, epoch seconds) and `X-RateLimit-Reset` (Auth0, epoch seconds).
 */
export function rateLimitWaitMs(headers: Headers, attempt: number, now = Date.now()): number {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+$/.test(retryAfter)) return Number(retryAfter) * 1000;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  for (const name of ['x-rate-limit-reset', 'x-ratelimit-reset']) {
    const reset = Number(headers.get(name));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  }
  return DEFAULT_BACKOFF_MS[Math.min(attempt, DEFAULT_BACKOFF_MS.length - 1)] ?? 1000;
}

/** Sleeps for `ms` unless the request's deadline aborts first. */
export const waitFor = (ms: number, signal: AbortSignal) => sleep(ms, undefined, { signal });
