import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { StaticKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { type LoadedBridge, loadBridge, loadBridgeDependencies } from '../../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { BridgeError, idpTimeout } from '../../../functions/commons/bridge-error';
import { ConfigurationError } from '../../../functions/commons/configuration-error';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent, type EventInput, lambdaContext } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';

const KEY = 'konnect_key_0123456789abcdef';
const OTHER_KEY = 'konnect_key_fedcba9876543210';
const PORTAL_ID = 'f32d905a-ed33-46a3-a093-d8f536af9a8a';
const DEVELOPER_ID = '5f9fef03-d6b7-4d9f-a8d5-0e1f2a3b4c5d';
const APPLICATION_ID = '3b0d4f4e-8d1c-4f3a-9a57-0c1d2e3f4a5b';

const JSON_HEADERS = { 'Content-Type': 'application/json', 'X-API-KEY': KEY };
const MISCONFIGURED = 'The bridge is misconfigured; see its logs.';

/** The ERROR-level lines of the captured log output. */
const errorLines = (text: string) => text.split('\n').filter((line) => line.includes('"level":"ERROR"'));

interface Answer extends APIGatewayProxyResult {
  json: Record<string, unknown>;
}

interface Setup {
  dependencies?: () => LoadedBridge | Promise<LoadedBridge>;
  remainingMs?: number;
  idpTimeoutMs?: number;
}

function bridge(setup: Setup = {}) {
  const adapter = new FakeIdpAdapter();
  const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 10_000 });
  let loads = 0;
  const load = setup.dependencies ?? (() => ({ adapter, keyVerifier, idpTimeoutMs: setup.idpTimeoutMs ?? 5000 }));
  const handler = createBridgeHandler(() => {
    loads += 1;
    return load();
  });
  const invokeEvent = async (event: APIGatewayProxyEvent): Promise<Answer> => {
    const result = await handler(event, lambdaContext(setup.remainingMs));
    return { ...result, json: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {} };
  };
  const invoke = (input: EventInput) => invokeEvent(apiGatewayEvent(input));
  return {
    adapter,
    invoke,
    invokeEvent,
    loads: () => loads,
    create: (body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
      invoke({
        resource: '/',
        httpMethod: 'POST',
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    remove: (clientId: string, headers: Record<string, string> = { 'X-API-KEY': KEY }) =>
      invoke({ resource: '/{clientId}', httpMethod: 'DELETE', clientId, headers }),
    newSecret: (clientId: string, headers: Record<string, string> = { 'X-API-KEY': KEY }) =>
      invoke({ resource: '/{clientId}/new-secret', httpMethod: 'POST', clientId, headers }),
    eventHook: (clientId: string, body: unknown, headers: Record<string, string> = JSON_HEADERS) =>
      invoke({
        resource: '/{clientId}/event-hook',
        httpMethod: 'POST',
        clientId,
        headers,
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

const createBody = (extra: Record<string, unknown> = {}) => ({
  client_name: 'Weather app',
  redirect_uris: ['https://app.example.com/callback'],
  grant_types: ['authorization_code', 'bearer'],
  scopes: ['read', 'write'],
  application_description: null,
  portal_id: PORTAL_ID,
  developer_id: DEVELOPER_ID,
  some_future_field: 'ignored',
  ...extra,
});

const hookBody = (eventType: string, extra: Record<string, unknown> = {}) => ({
  event_type: eventType,
  client_id: 'client-1',
  application_id: APPLICATION_ID,
  portal_id: PORTAL_ID,
  ...extra,
});

function expectContractError(answer: Answer, statusCode: number, error: string): void {
  expect(answer.statusCode).toBe(statusCode);
  expect(Object.keys(answer.json).sort()).toEqual(['error', 'error_description']);
  expect(answer.json.error).toBe(error);
  expect(typeof answer.json.error_description).toBe('string');
  expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
}

describe('createBridgeHandler', () => {
  const output = captureOutputPerTest();

  describe('Konnect key check', () => {
    it.each(['X-API-KEY', 'x-api-key', 'X-Api-Key', 'x-API-key'])('accepts the key in header %s', async (name) => {
      const { create, adapter } = bridge();

      const answer = await create(createBody(), { 'Content-Type': 'application/json', [name]: KEY });

      expect(answer.statusCode).toBe(201);
      expect(adapter.calls).toHaveLength(1);
    });

    it.each([
      ['no key', {}],
      ['a wrong key', { 'X-API-KEY': OTHER_KEY }],
      ['a malformed key', { 'X-API-KEY': 'short' }],
      ['the key in another header', { Authorization: `Bearer ${KEY}` }],
    ])('refuses %s with 401 on every route without calling the adapter', async (_label, keyHeader) => {
      const { create, remove, newSecret, eventHook, adapter } = bridge();
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...keyHeader };

      const answers = [
        await create(createBody(), headers),
        await remove('client-1', headers),
        await newSecret('client-1', headers),
        await eventHook('client-1', hookBody('update_application', { redirect_uris: [] }), headers),
      ];

      for (const answer of answers) {
        expectContractError(answer, 401, 'unauthorized');
        expect(answer.json.error_description).toBe('Missing or invalid X-API-KEY header.');
      }
      expect(adapter.calls).toEqual([]);
    });

    it('checks the key before the body: a bad body from an unknown caller is still 401', async () => {
      const { create } = bridge();

      const answer = await create('{not json', { 'Content-Type': 'application/json', 'X-API-KEY': OTHER_KEY });

      expectContractError(answer, 401, 'unauthorized');
    });

    it('checks the key before the route: an unknown route from an unknown caller is 401', async () => {
      const { invoke } = bridge();

      const answer = await invoke({ resource: '/', httpMethod: 'GET', headers: {} });

      expectContractError(answer, 401, 'unauthorized');
    });

    it('refuses an event whose headers are null', async () => {
      const { invokeEvent, adapter } = bridge();
      const event = apiGatewayEvent({ resource: '/{clientId}', httpMethod: 'DELETE', clientId: 'client-1' });

      const answer = await invokeEvent({ ...event, headers: null } as unknown as APIGatewayProxyEvent);

      expectContractError(answer, 401, 'unauthorized');
      expect(adapter.calls).toEqual([]);
    });

    it('never logs the presented key', async () => {
      const { create } = bridge();

      await create(createBody(), { 'Content-Type': 'application/json', 'X-API-KEY': OTHER_KEY });
      await create(createBody());

      expect(output.text()).not.toContain(OTHER_KEY);
      expect(output.text()).not.toContain(KEY);
    });
  });

  describe('POST / (create)', () => {
    it('answers 201 with exactly client_id and client_secret', async () => {
      const { create } = bridge();

      const answer = await create(createBody());

      expect(answer.statusCode).toBe(201);
      expect(answer.json).toEqual({ client_id: 'client-1', client_secret: 'secret-1' });
    });

    it('adds the RFC 7591 dates only when the adapter gives them (0 included)', async () => {
      const { create, adapter } = bridge();
      adapter.issued = {
        clientId: 'c2',
        clientSecret: 's2',
        clientIdIssuedAt: 1_700_000_000,
        clientSecretExpiresAt: 0,
      };

      const answer = await create(createBody());

      expect(answer.json).toEqual({
        client_id: 'c2',
        client_secret: 's2',
        client_id_issued_at: 1_700_000_000,
        client_secret_expires_at: 0,
      });
    });

    it('hands the adapter a validated, translated client', async () => {
      const { create, adapter } = bridge();

      await create(createBody({ token_endpoint_auth_method: '' }));

      expect(adapter.calls).toEqual([
        {
          method: 'createClient',
          client: {
            clientName: 'Weather app',
            description: '',
            redirectUris: ['https://app.example.com/callback'],
            grantTypes: ['client_credentials', 'authorization_code'],
            responseTypes: ['code'],
            scopes: ['read', 'write'],
            tokenEndpointAuthMethod: 'client_secret_basic',
            konnect: {
              portalId: PORTAL_ID,
              organizationId: undefined,
              developerId: DEVELOPER_ID,
              authStrategyId: undefined,
              dcrProviderId: undefined,
            },
          },
        },
      ]);
    });

    it('accepts a JSON content type with parameters', async () => {
      const { create } = bridge();

      const answer = await create(createBody(), {
        'content-type': 'application/json; charset=utf-8',
        'x-api-key': KEY,
      });

      expect(answer.statusCode).toBe(201);
    });

    it.each([
      ['no Content-Type', { 'X-API-KEY': KEY }],
      ['text/plain', { 'Content-Type': 'text/plain', 'X-API-KEY': KEY }],
      ['a form', { 'Content-Type': 'application/x-www-form-urlencoded', 'X-API-KEY': KEY }],
    ])('answers 415 invalid_request for %s', async (_label, headers) => {
      const { create, adapter } = bridge();

      const answer = await create(createBody(), headers);

      expectContractError(answer, 415, 'invalid_request');
      expect(answer.json.error_description).toContain('application/json');
      expect(adapter.calls).toEqual([]);
    });

    it.each([
      ['malformed JSON', '{"client_name": "App",'],
      ['a prototype-pollution key', '{"client_name":"App","__proto__":{"admin":true}}'],
    ])('answers 400 invalid_request for %s', async (_label, body) => {
      const { create, adapter } = bridge();

      const answer = await create(body);

      expectContractError(answer, 400, 'invalid_request');
      expect(answer.json.error_description).toBe('The request body is not valid JSON.');
      expect(adapter.calls).toEqual([]);
    });

    it.each([
      ['no body', null],
      ['a JSON array', '[]'],
      ['a JSON string', '"app"'],
    ])('answers 400 invalid_request for %s', async (_label, body) => {
      const { invoke, adapter } = bridge();

      const answer = await invoke({ resource: '/', httpMethod: 'POST', headers: JSON_HEADERS, body });

      expectContractError(answer, 400, 'invalid_request');
      expect(adapter.calls).toEqual([]);
    });

    it('answers 400 invalid_client_metadata naming the bad fields', async () => {
      const { create, adapter } = bridge();

      const answer = await create(createBody({ scopes: ['read"write'], redirect_uris: ['http://app.example.com/cb'] }));

      expectContractError(answer, 400, 'invalid_client_metadata');
      expect(answer.json.error_description).toContain('scopes');
      expect(answer.json.error_description).toContain('redirect_uris.0');
      expect(adapter.calls).toEqual([]);
    });

    it('answers 400 invalid_client_metadata for authorization_code without redirect URIs', async () => {
      const { create, adapter } = bridge();

      const answer = await create(createBody({ redirect_uris: [] }));

      expectContractError(answer, 400, 'invalid_client_metadata');
      expect(answer.json.error_description).toContain('grant_types');
      expect(adapter.calls).toEqual([]);
    });

    it('never logs the issued secret', async () => {
      const { create, adapter } = bridge();
      adapter.issued = { clientId: 'c-logged', clientSecret: 'issued-secret-value-42' };

      await create(createBody());

      expect(output.text()).toContain('Client created');
      expect(output.text()).toContain('c-logged');
      expect(output.text()).not.toContain('issued-secret-value-42');
    });
  });

  describe('DELETE /{clientId}', () => {
    it('answers 204 with an empty body and deletes the path client', async () => {
      const { remove, adapter } = bridge();

      const answer = await remove('client-9');

      expect(answer.statusCode).toBe(204);
      expect(answer.body).toBe('');
      expect(answer.headers).toMatchObject({ 'cache-control': 'no-store' });
      expect(adapter.calls).toEqual([{ method: 'deleteClient', clientId: 'client-9' }]);
    });

    it('refuses a client id that could steer a URL', async () => {
      const { remove, adapter } = bridge();

      const answer = await remove('..');

      expectContractError(answer, 400, 'invalid_request');
      expect(adapter.calls).toEqual([]);
    });

    it('refuses a missing client id', async () => {
      const { invoke, adapter } = bridge();

      const answer = await invoke({ resource: '/{clientId}', httpMethod: 'DELETE', headers: { 'X-API-KEY': KEY } });

      expectContractError(answer, 400, 'invalid_request');
      expect(adapter.calls).toEqual([]);
    });
  });

  describe('POST /{clientId}/new-secret', () => {
    it('answers 200 without a body or Content-Type', async () => {
      const { newSecret, adapter } = bridge();

      const answer = await newSecret('client-1');

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ client_id: 'client-1', client_secret: 'secret-2' });
      expect(adapter.calls).toEqual([{ method: 'rotateSecret', clientId: 'client-1' }]);
    });

    it('ignores a body it does not need, even a malformed one', async () => {
      const { invoke } = bridge();

      const answer = await invoke({
        resource: '/{clientId}/new-secret',
        httpMethod: 'POST',
        clientId: 'client-1',
        headers: JSON_HEADERS,
        body: '{oops',
      });

      expect(answer.statusCode).toBe(200);
    });
  });

  describe('POST /{clientId}/event-hook', () => {
    it('refuses a body client_id that differs from the path', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook('client-2', hookBody('update_application', { redirect_uris: [] }));

      expectContractError(answer, 400, 'invalid_request');
      expect(answer.json.error_description).toContain('client_id');
      expect(adapter.calls).toEqual([]);
    });

    it('acknowledges an unknown event type with 200 and no adapter call', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook('client-1', hookBody('application_renamed_in_2030'));

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ event_type: 'application_renamed_in_2030', handled: false });
      expect(adapter.calls).toEqual([]);
    });

    it('passes update_application redirect URIs to the adapter', async () => {
      const { eventHook, adapter } = bridge();
      const uris = ['https://app.example.com/new', 'http://localhost:8080/cb'];

      const answer = await eventHook('client-1', hookBody('update_application', { redirect_uris: uris }));

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ event_type: 'update_application', handled: true });
      expect(adapter.calls).toEqual([{ method: 'updateRedirectUris', clientId: 'client-1', redirectUris: uris }]);
    });

    it('refuses update_application with a bad redirect URI', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook(
        'client-1',
        hookBody('update_application', { redirect_uris: ['http://app.example.com/cb'] }),
      );

      expectContractError(answer, 400, 'invalid_request');
      expect(answer.json.error_description).toContain('redirect_uris.0');
      expect(adapter.calls).toEqual([]);
    });

    it('acknowledges update_application without redirect_uris, without an IdP call', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook('client-1', hookBody('update_application'));

      // A missing list must never wipe the IdP's redirect URIs, and a 4xx would halt Konnect.
      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ event_type: 'update_application', handled: false });
      expect(adapter.calls).toEqual([]);
    });

    it.each([
      ['add_registration', 'addRegistration'],
      ['remove_registration', 'removeRegistration'],
    ] as const)('passes %s to adapter.%s', async (eventType, method) => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook(
        'client-1',
        hookBody(eventType, { api_product_version_id: 'apv-7', audience: 'https://api.example.com' }),
      );

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ event_type: eventType, handled: true });
      expect(adapter.calls).toEqual([
        {
          method,
          change: { clientId: 'client-1', apiProductVersionId: 'apv-7', audience: 'https://api.example.com' },
        },
      ]);
    });

    it('acknowledges a registration event without api_product_version_id, without an IdP call', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook('client-1', hookBody('add_registration'));

      expect(answer.statusCode).toBe(200);
      expect(answer.json).toEqual({ event_type: 'add_registration', handled: false });
      expect(adapter.calls).toEqual([]);
    });

    it('answers 415 without a JSON Content-Type', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook('client-1', hookBody('update_application', { redirect_uris: [] }), {
        'X-API-KEY': KEY,
      });

      expectContractError(answer, 415, 'invalid_request');
      expect(adapter.calls).toEqual([]);
    });
  });

  describe('failures', () => {
    it('turns a plain Error into 500 server_error without its message or stack', async () => {
      const { create, adapter } = bridge();
      adapter.failWith = new Error('secret-xyz leaked?');

      const answer = await create(createBody());

      expectContractError(answer, 500, 'server_error');
      expect(answer.body).not.toContain('secret-xyz');
      expect(answer.body).not.toContain('stack');
      expect(answer.body).not.toMatch(/\bat .*\.ts/);
      expect(output.text()).toContain('Request failed');
      expect(output.text()).not.toContain('secret-xyz');
    });

    it('turns a thrown non-Error into 500', async () => {
      const { newSecret, adapter } = bridge();
      adapter.failWith = 'a string with secret-abc';

      const answer = await newSecret('client-1');

      expectContractError(answer, 500, 'server_error');
      expect(answer.body).not.toContain('secret-abc');
    });

    it('passes a BridgeError from the adapter on as it is', async () => {
      const { remove, adapter } = bridge();
      adapter.failWith = idpTimeout('fake');

      const answer = await remove('client-1');

      expect(answer.statusCode).toBe(504);
      expect(answer.json).toEqual({
        error: 'idp_timeout',
        error_description: "The identity provider (fake) did not answer within the bridge's deadline.",
      });
    });

    it.each([
      [400, 'invalid_redirect_uri'],
      [404, 'client_not_found'],
      [502, 'idp_error'],
      [503, 'service_unavailable'],
    ])('passes a %i %s on', async (status, code) => {
      const { eventHook, adapter } = bridge();
      adapter.failWith = new BridgeError(status, code, `described ${code}`);

      const answer = await eventHook('client-1', hookBody('update_application', { redirect_uris: [] }));

      expectContractError(answer, status, code);
      expect(answer.json.error_description).toBe(`described ${code}`);
    });

    it('answers 404 not_found for a route API Gateway would not send', async () => {
      const { invoke, adapter } = bridge();

      const answer = await invoke({ resource: '/{clientId}', httpMethod: 'GET', clientId: 'c', headers: JSON_HEADERS });

      expectContractError(answer, 404, 'not_found');
      expect(adapter.calls).toEqual([]);
    });

    it('gives the adapter a deadline bounded by the Lambda time left', async () => {
      // 1000 ms left is less than the compensation reserve and the answer margin: the IdP deadline
      // collapses to its 1 ms floor.
      const { create, adapter } = bridge({ remainingMs: 1000, idpTimeoutMs: 60_000 });
      adapter.waitForAbort = () => idpTimeout('fake');

      const answer = await create(createBody());

      expectContractError(answer, 504, 'idp_timeout');
      expect(adapter.signals[0]?.aborted).toBe(true);
    });

    it('gives the adapter a live deadline in the normal case', async () => {
      const { newSecret, adapter } = bridge();

      await newSecret('client-1');

      expect(adapter.signals).toHaveLength(1);
      expect(adapter.signals[0]?.aborted).toBe(false);
    });
  });

  describe('every answer', () => {
    it('is JSON with cache-control no-store', async () => {
      const { create, remove, newSecret, eventHook, invoke, adapter } = bridge();
      const answers = [
        await create(createBody()),
        await create(createBody(), { 'X-API-KEY': KEY }),
        await create('{', JSON_HEADERS),
        await create(createBody(), {}),
        await newSecret('client-1'),
        await eventHook('client-1', hookBody('unknown')),
        await invoke({ resource: '/x', httpMethod: 'PUT', headers: JSON_HEADERS }),
      ];
      adapter.failWith = new Error('boom');
      answers.push(await newSecret('client-1'));
      const deleted = await remove('client-1');

      expect(answers.map((answer) => answer.statusCode)).toEqual([201, 415, 400, 401, 200, 200, 404, 500]);
      for (const answer of answers) {
        expect(answer.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
        expect(() => JSON.parse(answer.body)).not.toThrow();
      }
      expect(deleted.headers).toMatchObject({ 'cache-control': 'no-store' });
    });
  });

  describe('dependencies', () => {
    it('loads them once per container', async () => {
      const { newSecret, remove, loads } = bridge();

      await newSecret('client-1');
      await remove('client-1');
      await newSecret('client-1');

      expect(loads()).toBe(1);
    });

    it('answers a generic 503 when nothing can be loaded, logs the setting, and retries the load next time', async () => {
      const adapter = new FakeIdpAdapter();
      const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 10_000 });
      let attempt = 0;
      const { newSecret, loads } = bridge({
        dependencies: () => {
          attempt += 1;
          if (attempt === 1) {
            throw new ConfigurationError(
              'The bridge is misconfigured: IDP_ISSUER: set IDP_ISSUER or IDP_REGISTRATION_ENDPOINT.',
            );
          }
          return { adapter, keyVerifier, idpTimeoutMs: 5000 };
        },
      });

      const first = await newSecret('client-1');
      const second = await newSecret('client-1');

      expectContractError(first, 503, 'service_unavailable');
      expect(first.json.error_description).toBe(MISCONFIGURED);
      expect(output.text()).toContain('IDP_ISSUER');
      expect(second.statusCode).toBe(200);
      expect(loads()).toBe(2);
    });

    it('answers the generic 503 when an async loader rejects with a ConfigurationError', async () => {
      const { create } = bridge({
        dependencies: async () => {
          throw new ConfigurationError(
            'The bridge is misconfigured: REGISTRATION_TABLE_NAME is required on AWS Lambda.',
          );
        },
      });

      const answer = await create(createBody());

      expectContractError(answer, 503, 'service_unavailable');
      expect(answer.body).not.toContain('REGISTRATION_TABLE_NAME');
      expect(errorLines(output.text()).join('\n')).toContain('REGISTRATION_TABLE_NAME');
    });

    it('answers the generic 503, and logs KONNECT_API_KEYS without its value, when the keys are malformed', async () => {
      const { remove } = bridge({
        dependencies: () => loadBridge({ IDP_ISSUER: 'https://idp.example.com', KONNECT_API_KEYS: 'bad-key-value' }),
      });

      const answer = await remove('client-1');

      expectContractError(answer, 503, 'service_unavailable');
      expect(answer.json.error_description).toBe(MISCONFIGURED);
      expect(errorLines(output.text()).join('\n')).toContain('KONNECT_API_KEYS');
      expect(output.text()).not.toContain('bad-key-value');
    });

    it('answers 500 without details when the loader fails otherwise', async () => {
      const { create } = bridge({
        dependencies: () => {
          throw new Error('cannot parse secret-value-123');
        },
      });

      const answer = await create(createBody());

      expectContractError(answer, 500, 'server_error');
      expect(answer.body).not.toContain('secret-value-123');
    });
  });

  // Issue 9 finding 7: a caller without a valid key never learns the IdP type or setting names.
  describe('a misconfigured IdP (IDP_TYPE=okta without its settings)', () => {
    const oktaWithoutSettings = { IDP_TYPE: 'okta', KONNECT_API_KEYS: KEY };

    it('tells a caller without a valid key nothing about it, and an authenticated caller everything (503)', async () => {
      const { create, newSecret, remove } = bridge({ dependencies: () => loadBridge(oktaWithoutSettings) });

      const anonymous = [
        await create(createBody(), { 'Content-Type': 'application/json' }),
        await newSecret('client-1', { 'X-API-KEY': OTHER_KEY }),
      ];
      const authenticated = await remove('client-1');

      for (const answer of anonymous) {
        expectContractError(answer, 401, 'unauthorized');
        expect(answer.body).not.toMatch(/okta|IDP_/i);
      }
      expectContractError(authenticated, 503, 'service_unavailable');
      expect(authenticated.json.error_description).toContain('IDP_TYPE=okta');
      expect(authenticated.json.error_description).toContain('IDP_OKTA_ORG_URL');
      expect(errorLines(output.text()).join('\n')).toContain('IDP_OKTA_ORG_URL');
    });

    it('answers the generic 503 before authentication when the loader throws (loadBridgeDependencies)', async () => {
      const { create } = bridge({ dependencies: () => loadBridgeDependencies(oktaWithoutSettings) });

      const answer = await create(createBody(), { 'Content-Type': 'application/json', 'X-API-KEY': OTHER_KEY });

      expectContractError(answer, 503, 'service_unavailable');
      expect(answer.json.error_description).toBe(MISCONFIGURED);
      expect(answer.body).not.toMatch(/okta|IDP_/i);
      expect(errorLines(output.text()).join('\n')).toContain('IDP_OKTA_ORG_URL');
    });
  });
});
