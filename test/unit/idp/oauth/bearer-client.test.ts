import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { type AccessTokenSource, BearerClient } from '../../../../functions/idp/oauth/bearer-client';
import { captureOutputPerTest } from '../../../support/captured-output';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

/** Hands out tok-1, tok-2, … and records which tokens were reported as refused. */
function countingTokens(): AccessTokenSource & { refused: (string | undefined)[] } {
  let issued = 0;
  let current: string | undefined;
  const refused: (string | undefined)[] = [];
  return {
    refused,
    get: async () => {
      current ??= `tok-${++issued}`;
      return current;
    },
    invalidate: (token) => {
      refused.push(token);
      current = undefined;
    },
  };
}

describe('BearerClient', () => {
  captureOutputPerTest();
  let server: LoopbackServer;
  const http = new HttpClient({ idpName: 'test-idp', callTimeoutMs: 2000 });

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it('sends the bearer token and keeps the request as given', async () => {
    server.handle((_request, response) => sendJson(response, 201, { id: 'x' }));
    const tokens = countingTokens();
    const response = await new BearerClient(http, tokens).call(
      { method: 'POST', url: `${server.url}/clients`, json: { name: 'a' }, headers: { 'x-extra': '1' } },
      operationWithin(3000),
    );
    expect(response.status).toBe(201);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(server.requests[0]?.headers['x-extra']).toBe('1');
    expect(JSON.parse(server.requests[0]?.body ?? '')).toEqual({ name: 'a' });
  });

  it('renews a refused token once and repeats the call with the new one', async () => {
    server.handle((request, response) =>
      request.headers.authorization === 'Bearer tok-1' ? sendJson(response, 401, {}) : sendJson(response, 200, {}),
    );
    const tokens = countingTokens();
    const response = await new BearerClient(http, tokens).call(
      { method: 'GET', url: `${server.url}/c` },
      operationWithin(3000),
    );
    expect(response.status).toBe(200);
    expect(tokens.refused).toEqual(['tok-1']);
    expect(server.requests.map((request) => request.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('returns the second 401 instead of looping', async () => {
    server.handle((_request, response) => sendJson(response, 401, { error: 'invalid_token' }));
    const response = await new BearerClient(http, countingTokens()).call(
      { method: 'DELETE', url: `${server.url}/c` },
      operationWithin(3000),
    );
    expect(response.status).toBe(401);
    expect(server.requests).toHaveLength(2);
  });
});
