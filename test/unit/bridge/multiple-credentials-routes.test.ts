import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { matchRoute, toApiGatewayEvent } from '../../../bin/local/api-gateway-event';
import { type LocalBridge, startLocalBridge } from '../../../bin/local/start-local-bridge';
import { StaticKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { operationOf } from '../../../functions/bridge/route-request';
import { NO_SUCH_ROUTE, SERVED_ROUTES, splitRoute } from '../../../functions/bridge/served-routes';
import { MULTIPLE_CREDENTIALS_UNSUPPORTED } from '../../../functions/routes/multiple-credentials-unsupported';
import { captureOutputPerTest } from '../../support/captured-output';
import { callBridge } from '../../support/konnect-client';
import { lambdaContext } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';

const KEY = 'konnect_key_0123456789abcdef';
const OTHER_KEY = 'konnect_key_fedcba9876543210';

function bridge() {
  const adapter = new FakeIdpAdapter();
  const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 10_000 });
  const handler = createBridgeHandler(() => ({ adapter, keyVerifier, idpTimeoutMs: 5000 }));
  return { adapter, handler };
}

/** The event API Gateway delivers for a request the local server's route table matches. */
function eventFor(method: string, path: string, headers: Record<string, string> = { 'X-API-KEY': KEY }, body = '') {
  const route = matchRoute(method, path);
  if (!route) throw new Error(`${method} ${path} matches no route`);
  return toApiGatewayEvent(
    { method, url: new URL(path, 'https://api.example.com'), headers, body, sourceIp: '192.0.2.1' },
    route,
  );
}

async function invoke(event: APIGatewayProxyEvent, setup = bridge()) {
  const result = await setup.handler(event, lambdaContext());
  return { ...result, json: JSON.parse(result.body) as Record<string, unknown> };
}

const expectUnsupported = (answer: Awaited<ReturnType<typeof invoke>>) => {
  expect(answer.statusCode).toBe(400);
  expect(answer.json).toEqual({
    error: 'multiple_credentials_unsupported',
    error_description: MULTIPLE_CREDENTIALS_UNSUPPORTED,
  });
};

describe('multiple-credentials routes (Konnect "Allow Multiple Credentials")', () => {
  const output = captureOutputPerTest();

  describe('GET /{clientId}/secrets', () => {
    it('answers 200 with the one active credential, without its value and without an IdP call', async () => {
      const setup = bridge();

      const answer = await invoke(eventFor('GET', '/client-1/secrets'), setup);

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({
        secrets: [
          { secret_id: 'client-1', client_id: 'client-1', status: 'ACTIVE', created_at: null, expires_at: null },
        ],
      });
      expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
      expect(setup.adapter.calls).toEqual([]);
      expect(output.lines()).toContainEqual(
        expect.objectContaining({ message: 'Request completed', operation: 'secrets', client_id: 'client-1' }),
      );
    });

    it('names the percent-decoded client id of the path', async () => {
      const answer = await invoke(eventFor('GET', '/%41bc.1~x/secrets'));

      expect(answer.json.secrets).toEqual([expect.objectContaining({ secret_id: 'Abc.1~x', client_id: 'Abc.1~x' })]);
    });

    it.each(['..', 'a%2Fb', 'a b', 'x'.repeat(256)])(
      'refuses the client id %j with 400 invalid_request',
      async (id) => {
        const answer = await invoke(eventFor('GET', `/${id}/secrets`));

        expect(answer.statusCode).toBe(400);
        expect(answer.json.error).toBe('invalid_request');
        expect(answer.json.error_description).toMatch(/^The client id in the path is invalid/);
      },
    );
  });

  describe('POST /{clientId}/secrets and DELETE /{clientId}/secrets/{secretId}', () => {
    it.each([
      ['POST', '/client-1/secrets'],
      ['DELETE', '/client-1/secrets/client-1'],
      ['DELETE', '/client-1/secrets/another-secret'],
    ])('%s %s answers 400 multiple_credentials_unsupported, without an IdP call', async (method, path) => {
      const setup = bridge();

      const answer = await invoke(eventFor(method, path), setup);

      expectUnsupported(answer);
      expect(setup.adapter.calls).toEqual([]);
    });

    it('tells the admin which Konnect setting to turn off, and that refreshing the secret still works', () => {
      expect(MULTIPLE_CREDENTIALS_UNSUPPORTED).toContain('"Allow Multiple Credentials"');
      expect(MULTIPLE_CREDENTIALS_UNSUPPORTED).toMatch(/DCR provider/);
      expect(MULTIPLE_CREDENTIALS_UNSUPPORTED).toMatch(/one client secret per application/);
      expect(MULTIPLE_CREDENTIALS_UNSUPPORTED).toMatch(/can still refresh/);
    });

    it.each([
      ['no body and no Content-Type', {}, ''],
      ['a JSON body', { 'Content-Type': 'application/json' }, '{"name":"second key"}'],
      ['a body that is not JSON', { 'Content-Type': 'text/plain' }, 'not json {'],
    ])('gives the same answer with %s (never 415)', async (_label, headers, body) => {
      const answer = await invoke(eventFor('POST', '/client-1/secrets', { 'X-API-KEY': KEY, ...headers }, body));

      expectUnsupported(answer);
    });

    it('logs the refusal as a client error of the secrets operation', async () => {
      await invoke(eventFor('DELETE', '/client-1/secrets/s-1'));

      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          message: 'Request completed',
          level: 'WARN',
          route: 'DELETE /{clientId}/secrets/{secretId}',
          operation: 'secrets',
          outcome: 'client_error',
          status: 400,
          error: 'multiple_credentials_unsupported',
          client_id: 'client-1',
        }),
      );
    });
  });

  it.each([
    ['no key', {}],
    ['a wrong key', { 'X-API-KEY': OTHER_KEY }],
  ])('refuses %s with 401 on all three routes', async (_label, headers) => {
    for (const [method, path] of [
      ['GET', '/client-1/secrets'],
      ['POST', '/client-1/secrets'],
      ['DELETE', '/client-1/secrets/s-1'],
    ] as const) {
      const answer = await invoke(eventFor(method, path, headers));

      expect(answer.statusCode).toBe(401);
      expect(answer.json).toEqual({ error: 'unauthorized', error_description: 'Missing or invalid X-API-KEY header.' });
    }
  });
});

describe('the served routes', () => {
  it('are all routed to a module, and nothing else is', () => {
    for (const route of SERVED_ROUTES) {
      const { method, resource } = splitRoute(route);
      expect(operationOf({ httpMethod: method, resource })).not.toBe('unknown');
    }
    expect(operationOf({ httpMethod: 'GET', resource: '/{clientId}' })).toBe('unknown');
    expect(operationOf({ httpMethod: 'PUT', resource: '/{clientId}/secrets' })).toBe('unknown');
  });

  it('are matched locally like API Gateway, with every path parameter decoded', () => {
    expect(matchRoute('DELETE', '/c%2D1/secrets/s%201')).toEqual({
      resource: '/{clientId}/secrets/{secretId}',
      pathParameters: { clientId: 'c-1', secretId: 's 1' },
    });
    expect(matchRoute('GET', '/secrets/secrets')).toEqual({
      resource: '/{clientId}/secrets',
      pathParameters: { clientId: 'secrets' },
    });
    expect(matchRoute('POST', '/')).toEqual({ resource: '/', pathParameters: null });
    for (const [method, path] of [
      ['GET', '/c1/secrets/'],
      ['GET', '/c1/Secrets'],
      ['DELETE', '/c1/secrets'],
      ['DELETE', '/c1/secrets//'],
      ['GET', '/c1/secrets/s1'],
      ['DELETE', '/c1/secrets/s1/x'],
    ]) {
      expect(matchRoute(method as string, path as string)).toBeUndefined();
    }
  });

  it('are listed in the unknown-route answer', () => {
    expect(NO_SUCH_ROUTE.error_description).toBe(
      'No such route. The bridge serves POST /, DELETE /{clientId}, POST /{clientId}/new-secret, ' +
        'POST /{clientId}/event-hook, GET /{clientId}/secrets, POST /{clientId}/secrets, ' +
        'DELETE /{clientId}/secrets/{secretId}.',
    );
  });
});

describe('multiple-credentials routes over HTTP through the local server', () => {
  // Keeps the handler's log lines off the test output.
  captureOutputPerTest();
  let local: LocalBridge;
  let adapter: FakeIdpAdapter;

  beforeAll(async () => {
    const setup = bridge();
    adapter = setup.adapter;
    local = await startLocalBridge({ handler: setup.handler, port: 0 });
  });

  afterAll(async () => {
    await local?.close();
  });

  it('lists the single credential', async () => {
    const answer = await callBridge(local.url, 'GET', '/client-1/secrets', { key: KEY });

    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(answer.body).toEqual({
      secrets: [{ secret_id: 'client-1', client_id: 'client-1', status: 'ACTIVE', created_at: null, expires_at: null }],
    });
  });

  it.each([
    ['POST', '/client-1/secrets'],
    ['DELETE', '/client-1/secrets/client-1'],
  ] as const)('refuses %s %s with the contract error the admin can act on', async (method, path) => {
    const answer = await callBridge(local.url, method, path, { key: KEY });

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'multiple_credentials_unsupported',
      error_description: MULTIPLE_CREDENTIALS_UNSUPPORTED,
    });
  });

  it('checks the key first', async () => {
    const answer = await callBridge(local.url, 'GET', '/client-1/secrets', { key: OTHER_KEY });

    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe('unauthorized');
  });

  it.each([
    ['PUT', '/client-1/secrets'],
    ['DELETE', '/client-1/secrets'],
    ['GET', '/client-1/secrets/s-1'],
    ['GET', '/client-1/secrets/'],
  ] as const)('answers %s %s, which API Gateway does not serve, with the no-route 404', async (method, path) => {
    const answer = await callBridge(local.url, method, path, { key: KEY });

    expect(answer.status).toBe(404);
    expect(answer.body).toEqual(NO_SUCH_ROUTE);
  });

  it('never called the IdP', () => {
    expect(adapter.calls).toEqual([]);
  });
});
