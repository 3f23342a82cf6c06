import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { redactSecretValues } from '../../../../functions/commons/redaction';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import type { IdpCredentials } from '../../../../functions/idp/idp-credentials';
import { ManagementToken } from '../../../../functions/idp/oauth/management-token';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

const credentials = async (): Promise<IdpCredentials> => ({ clientId: 'bridge client', clientSecret: 's3cret+/' });

describe('ManagementToken', () => {
  let server: LoopbackServer;
  let answer: { status: number; body: unknown };
  const http = new HttpClient({ idpName: 'curity', callTimeoutMs: 2000 });
  // Curity-style: Basic authentication, a scope that must be granted, the endpoint found lazily.
  const token = (creds = credentials, clientAuthentication: 'basic' | 'post' = 'basic') =>
    new ManagementToken(
      {
        idpName: 'curity',
        tokenEndpoint: async () => `${server.url}/token`,
        parameters: { scope: 'dcrm' },
        clientAuthentication,
        requiredScope: 'dcrm',
      },
      http,
      creds,
    );

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    answer = { status: 200, body: { access_token: 'tok-1', expires_in: 300, scope: 'dcrm' } };
    server.handle((_request, response) => sendJson(response, answer.status, answer.body));
  });

  it('asks for the scope by client credentials with form-encoded Basic authentication', async () => {
    expect(await token().get(operationWithin(2000))).toBe('tok-1');
    const [request] = server.requests;
    expect(request?.headers.authorization).toBe(
      `Basic ${Buffer.from('bridge+client:s3cret%2B%2F').toString('base64')}`,
    );
    expect(new URLSearchParams(request?.body)).toEqual(
      new URLSearchParams({ grant_type: 'client_credentials', scope: 'dcrm' }),
    );
  });

  it('keeps the token until it is invalidated, and shares one request between callers', async () => {
    const shared = token();
    const [first, second] = await Promise.all([shared.get(operationWithin(2000)), shared.get(operationWithin(2000))]);
    expect([first, second]).toEqual(['tok-1', 'tok-1']);
    await shared.get(operationWithin(2000));
    expect(server.requests).toHaveLength(1);
    shared.invalidate();
    answer.body = { access_token: 'tok-2', expires_in: 300 };
    expect(await shared.get(operationWithin(2000))).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('refuses a token that lacks the scope, since Curity drops scopes it will not grant', async () => {
    answer.body = { access_token: 'tok-1', expires_in: 300, scope: 'openid dcr' };
    const error = await bridgeErrorOf(token().get(operationWithin(2000)));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('did not grant the scope "dcrm"');
  });

  it("says the bridge's credentials were refused on 401", async () => {
    answer = { status: 401, body: { error: 'invalid_client' } };
    const error = await bridgeErrorOf(token().get(operationWithin(2000)));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('credentials');
    expect(error.description).toContain('invalid_client');
  });

  it('names the missing credentials without calling Curity', async () => {
    const error = await bridgeErrorOf(token(async () => ({ clientId: 'only-id' })).get(operationWithin(2000)));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('client_secret');
    expect(server.requests).toHaveLength(0);
  });

  it('sends the credentials in the form with client_secret_post (Auth0, Entra)', async () => {
    await token(credentials, 'post').get(operationWithin(2000));
    const [request] = server.requests;
    expect(request?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'dcrm',
      client_id: 'bridge client',
      client_secret: 's3cret+/',
    });
  });

  it('keeps a newer token when asked to forget an older, refused one', async () => {
    const shared = token();
    expect(await shared.get(operationWithin(2000))).toBe('tok-1');
    shared.invalidate('some-older-token');
    expect(await shared.get(operationWithin(2000))).toBe('tok-1');
    expect(server.requests).toHaveLength(1);
    shared.invalidate('tok-1');
    answer.body = { access_token: 'tok-2', expires_in: 300, scope: 'dcrm' };
    expect(await shared.get(operationWithin(2000))).toBe('tok-2');
  });

  // Issue 9 finding 5: an IdP echoing the management token (or the secret that obtained it) in a
  // later error text must not pass it on.
  it('makes the token and the secret it was obtained with known to the redaction', async () => {
    answer.body = { access_token: 'management-token-77', expires_in: 300, scope: 'dcrm' };
    const basicSecret = async (): Promise<IdpCredentials> => ({
      clientId: 'bridge',
      clientSecret: 'dcrm-client-secret-77',
    });

    await token(basicSecret).get(operationWithin(2000));

    expect(redactSecretValues('refused management-token-77 for dcrm-client-secret-77')).toBe(
      'refused [redacted] for [redacted]',
    );
  });
});
