import { IdpRateLimitedError } from '../../commons/http-client';
import type { Outcome } from '../../commons/metrics';

/**
 * What became of a request, from the status Konnect got: 401 is an auth failure (someone probing,
 * or Konnect holding a stale key), other 4xx the caller's mistake, 502/504 the IdP's failure, and
 * a 503 the IdP's only when it is rate-limiting; every other 5xx is the bridge's own.
 */
export function outcomeOf(statusCode: number, error?: unknown): Outcome {
  if (statusCode < 400) return 'success';
  if (statusCode === 401) return 'auth_failure';
  if (statusCode < 500) return 'client_error';
  if (statusCode === 502 || statusCode === 504) return 'idp_error';
  if (statusCode === 503 && causedByIdpRateLimit(error)) return 'idp_error';
  return 'bridge_error';
}

function causedByIdpRateLimit(error: unknown): boolean {
  // Follows the cause chain a little way: adapters may wrap the HTTP client's error.
  let current = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current instanceof IdpRateLimitedError) return true;
    current = current.cause;
  }
  return false;
}
