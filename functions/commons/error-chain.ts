/**
 * Follows an error's cause chain a little way (adapters and SDKs wrap errors). Duck-typed, as
 * errors may come from another realm, where `instanceof Error` fails.
 */
export function* causeChain(error: unknown): Generator<{ code?: unknown; cause?: unknown }> {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth += 1) {
    const link = current as { code?: unknown; cause?: unknown };
    yield link;
    current = link.cause;
  }
}

/**
 * System error codes of a connection that never opened (refused, unresolvable, TLS refused): no
 * byte of the request was sent.
 */
const CONNECT_FAILURES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Whether the error, or one it wraps, says no connection was ever opened. */
export const connectFailed = (error: unknown): boolean =>
  [...causeChain(error)].some((link) => CONNECT_FAILURES.has(String(link.code)));

/** The first system error code (ECONNREFUSED, …) in the chain: names the host's failure, never a header. */
export const systemCodeOf = (error: unknown): string | undefined =>
  [...causeChain(error)].map((link) => link.code).find((code): code is string => typeof code === 'string');
