import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../../functions/commons/configuration-error';
import { clientAssertion, signingKeyFrom } from '../../../../functions/idp/okta/client-assertion';
import { assertionProblem } from '../../../fakes/okta-fake-jwt';

const AUDIENCE = 'https://acme.okta.com/oauth2/v1/token';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });

const decodePart = (jwt: string, index: number) =>
  JSON.parse(Buffer.from(jwt.split('.')[index] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

const verifies = (jwt: string, publicKey = rsa.publicKey) =>
  assertionProblem(jwt, { publicKey, clientId: '0oaBridge', audience: AUDIENCE, seenJti: new Set() });

describe('signingKeyFrom and clientAssertion', () => {
  it('signs RS256 with a private JWK, taking its kid', () => {
    const jwk = JSON.stringify({ ...rsa.privateKey.export({ format: 'jwk' }), kid: 'k1' });
    const key = signingKeyFrom(jwk, 'ignored');
    expect(key.alg).toBe('RS256');
    const jwt = clientAssertion('0oaBridge', AUDIENCE, key);
    expect(decodePart(jwt, 0)).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(verifies(jwt)).toBeUndefined();
  });

  it('puts the claims Okta requires into the assertion, with a fresh jti each time', () => {
    const key = signingKeyFrom(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
    const now = Date.UTC(2026, 0, 1);
    const first = decodePart(clientAssertion('0oaBridge', AUDIENCE, key, now), 1);
    const second = decodePart(clientAssertion('0oaBridge', AUDIENCE, key, now), 1);
    expect(first).toEqual({
      iss: '0oaBridge',
      sub: '0oaBridge',
      aud: AUDIENCE,
      iat: now / 1000,
      exp: now / 1000 + 300,
      jti: expect.any(String),
    });
    expect(first.jti).not.toBe(second.jti);
  });

  it.each([
    ['PKCS#8 PEM', rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    ['PKCS#1 PEM', rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString()],
    [
      'PEM with escaped line breaks',
      rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString().replace(/\n/g, '\\n'),
    ],
    ['a JWKS holding the private key', JSON.stringify({ keys: [rsa.privateKey.export({ format: 'jwk' })] })],
  ])('reads %s', (_label, text) => {
    const key = signingKeyFrom(text, 'configured-kid');
    expect(verifies(clientAssertion('0oaBridge', AUDIENCE, key))).toBeUndefined();
  });

  it('uses the configured key id for a PEM key', () => {
    const key = signingKeyFrom(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), 'configured-kid');
    expect(decodePart(clientAssertion('0oaBridge', AUDIENCE, key), 0).kid).toBe('configured-kid');
  });

  it('signs ES256 with a P-256 key, as a raw JWS signature', () => {
    const key = signingKeyFrom(JSON.stringify(ec.privateKey.export({ format: 'jwk' })));
    expect(key.alg).toBe('ES256');
    const jwt = clientAssertion('0oaBridge', AUDIENCE, key);
    expect(Buffer.from(jwt.split('.')[2] ?? '', 'base64url')).toHaveLength(64);
    expect(verifies(jwt, ec.publicKey)).toBeUndefined();
  });

  it('is refused by the key it was not signed with', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwt = clientAssertion(
      '0oaBridge',
      AUDIENCE,
      signingKeyFrom(JSON.stringify(rsa.privateKey.export({ format: 'jwk' }))),
    );
    expect(verifies(jwt, other.publicKey)).toContain('signature');
  });

  it.each([
    ['garbage', `not a key ${randomBytes(8).toString('hex')}`],
    ['a public JWK', JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))],
    ['an Ed25519 key', generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()],
    [
      'a P-384 key',
      JSON.stringify(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'jwk' })),
    ],
  ])('refuses %s with a configuration error that does not echo it', (_label, text) => {
    let caught: unknown;
    try {
      signingKeyFrom(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    expect((caught as Error).message).toContain('private_key');
    expect((caught as Error).message).not.toContain(text.slice(0, 20));
  });
});
