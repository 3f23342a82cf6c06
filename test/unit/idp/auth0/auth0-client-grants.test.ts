import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { grantAccess, revokeAccess } from '../../../../functions/idp/auth0/auth0-client-grants';
import { Auth0ManagementApi } from '../../../../functions/idp/auth0/auth0-management-api';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { ManagementToken } from '../../../../functions/idp/oauth/management-token';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import {
  type LoopbackHandler,
  type LoopbackServer,
  sendJson,
  startLoopbackServer,
} from '../../support/loopback-server';

const grant = (id: string, clientId: string, audience: string) => ({ id, client_id: clientId, audience, scope: [] });

describe('Auth0 client grants', () => {
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
  });

  /** Answers the token request itself; everything else goes to `api`. */
  function setup(api: LoopbackHandler) {
    server.handle((request, response) => {
      if (request.url === '/oauth/token') return sendJson(response, 200, { access_token: 'mgmt', expires_in: 86400 });
      return api(request, response);
    });
    const http = new HttpClient({ idpName: 'auth0', callTimeoutMs: 2000 });
    const token = new ManagementToken(
      { idpName: 'auth0', tokenEndpoint: `${server.url}/oauth/token`, parameters: {}, clientAuthentication: 'post' },
      http,
      async () => ({ clientId: 'bridge', clientSecret: 'secret' }),
    );
    return new Auth0ManagementApi(server.url, http, token);
  }

  const apiCalls = () =>
    server.requests.filter((request) => request.url !== '/oauth/token').map((r) => `${r.method} ${r.url}`);

  describe('grantAccess', () => {
    it.each([
      [201, 'created'],
      [409, 'exists'],
      [404, 'not_found'],
    ])('reads %i as %s', async (status, outcome) => {
      const api = setup((_request, response) => sendJson(response, status, { statusCode: status }));
      await expect(
        grantAccess(api, { clientId: 'c1', audience: 'https://api', scopes: ['read'] }, operationWithin(3000)),
      ).resolves.toBe(outcome);
      const sent = server.requests.find((request) => request.url === '/api/v2/client-grants');
      expect(JSON.parse(sent?.body ?? '')).toEqual({ client_id: 'c1', audience: 'https://api', scope: ['read'] });
    });

    it('answers 502 with the Auth0 error for anything else', async () => {
      const api = setup((_request, response) =>
        sendJson(response, 400, {
          statusCode: 400,
          error: 'Bad Request',
          message: 'bad scope',
          errorCode: 'invalid_body',
        }),
      );
      const error = await bridgeErrorOf(
        grantAccess(api, { clientId: 'c1', audience: 'https://api', scopes: [] }, operationWithin(3000)),
      );
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('invalid_body: bad scope');
    });
  });

  describe('revokeAccess', () => {
    it('finds the grant by client and audience and deletes it', async () => {
      const api = setup((request, response) => {
        if (request.method === 'GET') return sendJson(response, 200, [grant('cgr_1', 'c1', 'https://api')]);
        response.writeHead(204).end();
      });
      await expect(revokeAccess(api, 'c1', 'https://api', operationWithin(3000))).resolves.toBe('removed');
      expect(apiCalls()).toEqual([
        'GET /api/v2/client-grants?client_id=c1&audience=https%3A%2F%2Fapi',
        'DELETE /api/v2/client-grants/cgr_1',
      ]);
    });

    it("reads the checkpoint-paged shape, and never deletes another client's grant", async () => {
      const api = setup((request, response) => {
        if (request.method === 'GET') {
          return sendJson(response, 200, {
            client_grants: [grant('cgr_other', 'c2', 'https://api'), grant('cgr_mine', 'c1', 'https://api')],
            next: 'x',
          });
        }
        response.writeHead(204).end();
      });
      await revokeAccess(api, 'c1', 'https://api', operationWithin(3000));
      expect(apiCalls().filter((call) => call.startsWith('DELETE'))).toEqual(['DELETE /api/v2/client-grants/cgr_mine']);
    });

    it('is satisfied when there is no grant, or when it disappears meanwhile', async () => {
      const none = setup((_request, response) => sendJson(response, 200, []));
      await expect(revokeAccess(none, 'c1', 'https://api', operationWithin(3000))).resolves.toBe('absent');

      const gone = setup((request, response) => {
        if (request.method === 'GET') return sendJson(response, 200, [grant('cgr_1', 'c1', 'https://api')]);
        sendJson(response, 404, { statusCode: 404, error: 'Not Found', message: 'The grant does not exist.' });
      });
      await expect(revokeAccess(gone, 'c1', 'https://api', operationWithin(3000))).resolves.toBe('removed');
    });

    it('answers 502 for a listing that is not one', async () => {
      const api = setup((_request, response) => sendJson(response, 200, { unexpected: true }));
      const error = await bridgeErrorOf(revokeAccess(api, 'c1', 'https://api', operationWithin(3000)));
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('unexpected body');
    });
  });
});
