import { createPrivateKey, type KeyObject, randomUUID, sign } from 'node:crypto';
import { ConfigurationError } from '../../commons/configuration-error';

/** The bridge's private key for private_key_jwt, with the JWS algorithm it signs with. */
export interface SigningKey {
  key: KeyObject;
  alg: 'RS256' | 'ES256';
  kid?: string;
}

/** Okta: the assertion's `exp` must be at most an hour ahead; five minutes is plenty for one request. */
const ASSERTION_LIFETIME_SECONDS = 300;

const invalidKey = () =>
  new ConfigurationError(
    'The bridge is misconfigured: private_key in the IdP credentials must be an RSA or P-256 private key, as PEM or as a private JWK.',
  );

/**
 * Reads the private key as Okta hands it out: a JWK (or a JWKS holding one private key) from the
 * Admin Console's key generator, or PEM (PKCS#8 or PKCS#1). The value never appears in errors.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export function signingKeyFrom(text: string, keyId?: string): SigningKey {
  const trimmed = text.trim();
  let key: KeyObject;
  let kid = keyId;
  try {
    if (trimmed.startsWith('{')) {
      const jwk = privateJwkOf(JSON.parse(trimmed));
      key = createPrivateKey({ key: jwk, format: 'jwk' });
      kid = typeof jwk.kid === 'string' ? jwk.kid : keyId;
    } else {
      // A PEM pasted into one environment variable often carries "\n" escapes instead of line breaks.
      key = createPrivateKey(trimmed.includes('\n') ? trimmed : trimmed.replace(/\\n/g, '\n'));
    }
  } catch {
    throw invalidKey();
  }
  if (key.asymmetricKeyType === 'rsa') return { key, alg: 'RS256', kid };
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return { key, alg: 'ES256', kid };
  }
  throw invalidKey();
}

/**
 * A client assertion (RFC 7523) as Okta's org authorization server wants it: `iss` and `sub` the
 * bridge's client id, `aud` the token endpoint, a fresh `jti` so it cannot be replayed.
 */
export function clientAssertion(clientId: string, audience: string, signingKey: SigningKey, now = Date.now()): string {
  const issuedAt = Math.floor(now / 1000);
  const header = { alg: signingKey.alg, typ: 'JWT', ...(signingKey.kid && { kid: signingKey.kid }) };
  const payload = {
    iss: clientId,
    sub: clientId,
    aud: audience,
    iat: issuedAt,
    exp: issuedAt + ASSERTION_LIFETIME_SECONDS,
    jti: randomUUID(),
  };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
  // JWS wants ECDSA signatures as raw r||s, not DER.
  const signature = sign('sha256', Buffer.from(signingInput), { key: signingKey.key, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${signature.toString('base64url')}`;
}

function privateJwkOf(value: unknown): Record<string, unknown> & { kty: string } {
  const candidates = isRecord(value) && Array.isArray(value.keys) ? value.keys : [value];
  const jwk = candidates.find((candidate) => isRecord(candidate) && typeof candidate.d === 'string');
  if (!isRecord(jwk) || typeof jwk.kty !== 'string') throw invalidKey();
  return jwk as Record<string, unknown> & { kty: string };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

const base64Url = (text: string) => Buffer.from(text).toString('base64url');
