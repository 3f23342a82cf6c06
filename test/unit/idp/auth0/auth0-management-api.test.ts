import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { Auth0ManagementApi, clientPath } from '../../../../functions/idp/auth0/auth0-management-api';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { ManagementToken } from '../../../../functions/idp/oauth/management-token';
import { captureOutputPerTest } from '../../../support/captured-output';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

describe('Auth0ManagementApi', () => {
  captureOutputPerTest();
  let server: LoopbackServer;
  /** Tokens the fake API accepts; the token endpoint issues T1, T2, … */
  let accepted: Set<string>;
  let issued: number;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    accepted = new Set();
    issued = 0;
    server.handle((request, response) => {
      if (request.url === '/oauth/token') {
        issued += 1;
        const token = `T${issued}`;
        accepted.add(token);
        return sendJson(response, 200, { access_token: token, expires_in: 86400 });
      }
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!accepted.has(token)) {
        return sendJson(response, 401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
      }
      sendJson(response, 200, { ok: true });
    });
  });

  function setup() {
    const http = new HttpClient({ idpName: 'auth0', callTimeoutMs: 2000 });
    const token = new ManagementToken(
      {
        idpName: 'auth0',
        tokenEndpoint: `${server.url}/oauth/token`,
        parameters: { audience: `${server.url}/api/v2/` },
        clientAuthentication: 'post',
      },
      http,
      async () => ({ clientId: 'bridge', clientSecret: 'bridge-secret' }),
    );
    return new Auth0ManagementApi(server.url, http, token);
  }

  it('builds URLs below /api/v2 with encoded path parameters and a query', async () => {
    const api = setup();
    await api.call(
      { method: 'GET', path: clientPath('a b/../c?d'), query: { fields: 'client_id', include_fields: 'true' } },
      operationWithin(3000),
    );
    expect(server.requests.map((request) => request.url)).toEqual([
      '/oauth/token',
      '/api/v2/clients/a%20b%2F..%2Fc%3Fd?fields=client_id&include_fields=true',
    ]);
  });

  it('renews a refused token once and repeats the call', async () => {
    const api = setup();
    await api.call({ method: 'GET', path: '/clients' }, operationWithin(3000));
    accepted.clear();

    const response = await api.call({ method: 'POST', path: '/clients', json: { name: 'x' } }, operationWithin(3000));

    expect(response.status).toBe(200);
    expect(
      server.requests.map((request) => `${request.method} ${request.url} ${request.headers.authorization ?? ''}`),
    ).toEqual([
      'POST /oauth/token ',
      'GET /api/v2/clients Bearer T1',
      'POST /api/v2/clients Bearer T1',
      'POST /oauth/token ',
      'POST /api/v2/clients Bearer T2',
    ]);
  });

  it('returns the second 401 instead of looping', async () => {
    const api = setup();
    server.handle((request, response) => {
      if (request.url === '/oauth/token')
        return sendJson(response, 200, { access_token: 'never-valid', expires_in: 60 });
      sendJson(response, 401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    });

    const response = await api.call({ method: 'DELETE', path: clientPath('c1') }, operationWithin(3000));

    expect(response.status).toBe(401);
    expect(server.requests.filter((request) => request.url === '/api/v2/clients/c1')).toHaveLength(2);
  });

  it('keeps a fresh token when a 401 for an older one arrives late', async () => {
    const api = setup();
    await api.call({ method: 'GET', path: '/warm' }, operationWithin(3000));
    accepted.clear();
    // Both calls are refused with T1; the 401 for "/two" arrives only after T2 was issued.
    server.handle(async (request, response) => {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (request.url === '/oauth/token') {
        issued += 1;
        accepted.add(`T${issued}`);
        return sendJson(response, 200, { access_token: `T${issued}`, expires_in: 86400 });
      }
      if (accepted.has(token)) return sendJson(response, 200, { ok: true });
      if (request.url === '/api/v2/two') {
        while (issued < 2) await new Promise((resolve) => setTimeout(resolve, 10));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      sendJson(response, 401, { statusCode: 401, error: 'Unauthorized', message: 'Invalid token' });
    });
    await Promise.all([
      api.call({ method: 'GET', path: '/one' }, operationWithin(3000)),
      api.call({ method: 'GET', path: '/two' }, operationWithin(3000)),
    ]);
    expect(issued).toBe(2);
    await api.call({ method: 'GET', path: '/three' }, operationWithin(3000));
    expect(issued).toBe(2);
  });
});
