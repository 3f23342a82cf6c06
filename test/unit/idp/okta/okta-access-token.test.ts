import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../../functions/commons/configuration-error';
import { HttpClient } from '../../../../functions/commons/http-client';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import type { IdpCredentials } from '../../../../functions/idp/idp-credentials';
import { OktaAccessToken } from '../../../../functions/idp/okta/okta-access-token';
import { assertionProblem } from '../../../fakes/okta-fake-jwt';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const credentials: IdpCredentials = {
  clientId: '0oaBridge',
  privateKey: JSON.stringify(keys.privateKey.export({ format: 'jwk' })),
};
const context = () => operationWithin(5000);

describe('OktaAccessToken', () => {
  let server: LoopbackServer;
  let tokenEndpoint: string;
  let answer: { status: number; body: unknown };
  let issued = 0;

  beforeAll(async () => {
    server = await startLoopbackServer();
    tokenEndpoint = `${server.url}/oauth2/v1/token`;
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    answer = { status: 200, body: undefined };
    server.handle((_request, response) => {
      issued += 1;
      sendJson(
        response,
        answer.status,
        answer.body ?? { token_type: 'Bearer', expires_in: 3600, access_token: `token-${issued}` },
      );
    });
  });

  const tokenFor = (available: IdpCredentials = credentials) =>
    new OktaAccessToken(tokenEndpoint, new HttpClient({ idpName: 'okta', callTimeoutMs: 2000 }), async () => available);

  it('asks for okta.clients.manage with a private_key_jwt assertion the token endpoint can verify', async () => {
    const { token, cached } = await tokenFor().get(context());
    expect(token).toMatch(/^token-/);
    expect(cached).toBe(false);
    const form = new URLSearchParams(server.requests[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('okta.clients.manage');
    expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    expect(form.has('client_secret')).toBe(false);
    const problem = assertionProblem(form.get('client_assertion') ?? '', {
      publicKey: keys.publicKey,
      clientId: '0oaBridge',
      audience: tokenEndpoint,
      seenJti: new Set(),
    });
    expect(problem).toBeUndefined();
  });

  it('caches the token, shares one request between concurrent callers, and renews after invalidate()', async () => {
    const token = tokenFor();
    const [first, second] = await Promise.all([token.get(context()), token.get(context())]);
    expect(second.token).toBe(first.token);
    expect(server.requests).toHaveLength(1);
    expect((await token.get(context())).cached).toBe(true);
    token.invalidate();
    expect((await token.get(context())).token).not.toBe(first.token);
    expect(server.requests).toHaveLength(2);
  });

  it('needs client_id and private_key, as a configuration error naming them', async () => {
    const error = await tokenFor({ clientId: '0oaBridge' })
      .get(context())
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain('private_key');
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    [{ error: 'invalid_client', error_description: 'The client_assertion signature is invalid.' }, 401, 'private_key'],
    [{ error: 'invalid_scope', error_description: 'The following scopes are not allowed' }, 400, 'Okta API Scopes'],
    [{ error: 'invalid_dpop_proof', error_description: 'DPoP proof missing' }, 400, 'DPoP'],
  ])('explains %j as a 502 telling what to fix', async (body, status, fix) => {
    answer = { status, body };
    const error = await bridgeErrorOf(tokenFor().get(context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain(body.error);
    expect(error.description).toContain(fix);
  });

  it('refuses a DPoP-bound token, which it could not use', async () => {
    answer = { status: 200, body: { token_type: 'DPoP', expires_in: 3600, access_token: 'dpop-bound' } };
    const error = await bridgeErrorOf(tokenFor().get(context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('DPoP');
  });
});
