import { type KeyObject, verify } from 'node:crypto';

export interface AssertionExpectations {
  publicKey: KeyObject;
  clientId: string;
  /** The org authorization server's token endpoint, the only `aud` Okta accepts. */
  audience: string;
  /** `jti` values already used: Okta refuses a replayed assertion. */
  seenJti: Set<string>;
  now?: number;
}

/**
 * Checks a private_key_jwt client assertion the way Okta's org authorization server documents it:
 * RS256/ES256 signature by the service app's registered key, `iss` = `sub` = client id, `aud` = the
 * token endpoint, `exp` in the future but at most an hour ahead, a `jti` used once.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#create-and-sign-the-jwt
 * Returns Okta's error_description for an `invalid_client` answer, or undefined when valid.
 */
export function assertionProblem(jwt: string, expected: AssertionExpectations): string | undefined {
  const parts = jwt.split('.');
  if (parts.length !== 3) return 'The client_assertion is not a well-formed JWT.';
  const [encodedHeader = '', encodedPayload = '', signature = ''] = parts;
  const header = decode(encodedHeader);
  const payload = decode(encodedPayload);
  if (!header || !payload) return 'The client_assertion is not a well-formed JWT.';
  const algorithm = expected.publicKey.asymmetricKeyType === 'ec' ? 'ES256' : 'RS256';
  if (header.alg !== algorithm) return `The client_assertion must be signed with ${algorithm}.`;
  const valid = verify(
    'sha256',
    Buffer.from(`${encodedHeader}.${encodedPayload}`),
    { key: expected.publicKey, dsaEncoding: 'ieee-p1363' },
    Buffer.from(signature, 'base64url'),
  );
  if (!valid) return 'The client_assertion signature is invalid.';
  if (payload.iss !== expected.clientId || payload.sub !== expected.clientId) {
    return "The client_assertion 'iss' and 'sub' claims must be the client_id.";
  }
  const audience = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audience.includes(expected.audience))
    return 'The audience claim for client_assertion must be the endpoint invoked for the request.';
  const now = Math.floor((expected.now ?? Date.now()) / 1000);
  if (typeof payload.exp !== 'number' || payload.exp <= now) return 'The client_assertion token is expired.';
  if (payload.exp > now + 3600) return 'The client_assertion token has an expiration too far into the future.';
  if (typeof payload.jti !== 'string' || payload.jti === '') return "The client_assertion must have a 'jti' claim.";
  if (expected.seenJti.has(payload.jti)) return 'The client_assertion token has already been used.';
  expected.seenJti.add(payload.jti);
  return undefined;
}

function decode(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
