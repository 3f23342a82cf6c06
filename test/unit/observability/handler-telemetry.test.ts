import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { StaticKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import type { BridgeDependencies } from '../../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { ConfigurationError } from '../../../functions/commons/configuration-error';
import { HttpClient } from '../../../functions/commons/http-client';
import { createMetrics } from '../../../functions/commons/metrics';
import { genericAdapter } from '../../../functions/idp/generic/generic-factory';
import type { IdpAdapter } from '../../../functions/idp/idp-adapter';
import { MemoryRegistrationStore } from '../../../functions/store/memory-registration-store';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent, type EventInput, lambdaContext } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';
import { blobsWith, type EmfBlob, emfBlobs, logLines } from './emf';

const KEY = 'konnect_key_0123456789abcdef';
const WRONG_KEY = 'konnect_key_wrong_99999999';
const IAT = 'initial-access-token-7f3a9c';
const IDP_SECRET = 'idp-issued-secret-4b8e2d';
const RAT = 'registration-access-token-1c5f';
const PORTAL_ID = 'f32d905a-ed33-46a3-a093-d8f536af9a8a';
const ORGANIZATION_ID = '0c7d4c1e-5f1a-4a0e-8a9f-6b3d2e1c0f9a';
const DEVELOPER_ID = '5f9fef03-d6b7-4d9f-a8d5-0e1f2a3b4c5d';
const APPLICATION_ID = '3b0d4f4e-8d1c-4f3a-9a57-0c1d2e3f4a5b';

const createBody = {
  client_name: 'Weather app',
  redirect_uris: ['https://app.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: PORTAL_ID,
  organization_id: ORGANIZATION_ID,
  developer_id: DEVELOPER_ID,
};

const jsonHeaders = (key = KEY) => ({ 'Content-Type': 'application/json', 'X-API-KEY': key });
const createEvent = (key = KEY, body: unknown = createBody): EventInput => ({
  resource: '/',
  httpMethod: 'POST',
  headers: jsonHeaders(key),
  body: JSON.stringify(body),
});

/** One scripted IdP answer to POST /register. */
interface IdpAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

describe('handler telemetry (EMF metrics and the Request completed line)', () => {
  const output = captureOutputPerTest();
  let idp: LoopbackServer;
  let script: IdpAnswer[];
  const initializationType = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;

  beforeAll(async () => {
    // Lambda sets this; Powertools reports a cold start only for on-demand containers.
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    idp = await startLoopbackServer();
  });
  afterAll(async () => {
    if (initializationType === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = initializationType;
    await idp.close();
  });
  beforeEach(() => {
    idp.reset();
    script = [];
    let registered = 0;
    // An RFC 7591 server: scripted answers first, then a registration with a request id.
    idp.handle((request, response) => {
      const next = script.shift();
      if (next) return sendJson(response, next.status, next.body ?? {}, next.headers);
      if (request.method !== 'POST' || request.url !== '/register') return sendJson(response, 404, {});
      if (request.headers.authorization !== `Bearer ${IAT}`) return sendJson(response, 401, {});
      registered += 1;
      return sendJson(
        response,
        201,
        {
          client_id: `idp-client-${registered}`,
          client_secret: IDP_SECRET,
          registration_access_token: RAT,
          registration_client_uri: `${idp.url}/register/idp-client-${registered}`,
        },
        { 'x-request-id': 'idp-req-201' },
      );
    });
  });

  /** The real handler with the generic adapter against the loopback IdP, and fresh Metrics. */
  function bridge(options: { adapter?: IdpAdapter; load?: () => BridgeDependencies } = {}) {
    const metrics = createMetrics({});
    const http = new HttpClient({ idpName: 'generic', callTimeoutMs: 2000, metrics });
    const adapter =
      options.adapter ??
      genericAdapter.create(genericAdapter.settings.parse({ IDP_REGISTRATION_ENDPOINT: `${idp.url}/register` }), {
        http,
        store: () => new MemoryRegistrationStore(),
        credentials: async () => ({ initialAccessToken: IAT }),
      });
    const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 60_000, metrics });
    const handler = createBridgeHandler(options.load ?? (() => ({ adapter, keyVerifier, idpTimeoutMs: 3000 })), {
      metrics,
    });
    /** Invokes once; returns the answer and only what this invocation wrote. */
    return async (input: EventInput): Promise<{ answer: APIGatewayProxyResult; text: string }> => {
      const before = output.text().length;
      const answer = await handler(apiGatewayEvent(input), lambdaContext());
      return { answer, text: output.text().slice(before) };
    };
  }

  function requestsBlob(text: string): EmfBlob {
    const blobs = blobsWith(text, 'Requests');
    expect(blobs).toHaveLength(1);
    return blobs[0] as EmfBlob;
  }

  function summaryLine(text: string): Record<string, unknown> {
    const lines = logLines(text, 'Request completed');
    expect(lines).toHaveLength(1);
    return lines[0] as Record<string, unknown>;
  }

  function expectRequests(text: string, operation: string, outcome: string): void {
    const blob = requestsBlob(text);
    expect(blob.namespace).toBe('DcrBridge');
    expect(blob.units).toEqual({ Requests: 'Count' });
    expect(blob.dimensionSets).toEqual([
      ['service', 'Operation', 'Outcome'],
      ['service', 'Outcome'],
    ]);
    expect(blob.members).toEqual({ service: 'dcr-bridge', Operation: operation, Outcome: outcome, Requests: 1 });
  }

  describe('a create that succeeds', () => {
    it('emits Requests{create, success} and IdpLatency, and a summary line with every id', async () => {
      const invoke = bridge();

      const { answer, text } = await invoke(createEvent());

      expect(answer.statusCode).toBe(201);
      expectRequests(text, 'create', 'success');
      const [latency, ...moreLatency] = blobsWith(text, 'IdpLatency');
      expect(moreLatency).toEqual([]);
      expect(latency?.namespace).toBe('DcrBridge');
      expect(latency?.units).toEqual({ IdpLatency: 'Milliseconds' });
      expect(latency?.dimensionSets).toEqual([['service', 'IdpType']]);
      expect(latency?.members).toMatchObject({ service: 'dcr-bridge', IdpType: 'generic' });
      expect(latency?.members.IdpLatency).toEqual(expect.any(Number));
      expect(blobsWith(text, 'IdpRateLimited')).toEqual([]);

      const line = summaryLine(text);
      expect(line).toMatchObject({
        level: 'INFO',
        service: 'dcr-bridge',
        function_request_id: 'aws-request-1',
        route: 'POST /',
        operation: 'create',
        outcome: 'success',
        status: 201,
        idp_type: 'generic',
        idp_request_id: 'idp-req-201',
        portal_id: PORTAL_ID,
        organization_id: ORGANIZATION_ID,
        developer_id: DEVELOPER_ID,
        client_id: 'idp-client-1',
      });
      expect(Number.isInteger(line.duration_ms)).toBe(true);
      expect(line.duration_ms as number).toBeGreaterThanOrEqual(0);
    });

    it('emits ColdStart on the first invocation only, with the function name', async () => {
      const invoke = bridge();

      const first = await invoke(createEvent());
      const second = await invoke(createEvent());

      const [coldStart, ...more] = blobsWith(first.text, 'ColdStart');
      expect(more).toEqual([]);
      expect(coldStart?.units).toEqual({ ColdStart: 'Count' });
      expect(coldStart?.dimensionSets).toEqual([['service', 'function_name']]);
      expect(coldStart?.members).toEqual({ service: 'dcr-bridge', function_name: 'dcr-bridge', ColdStart: 1 });
      expect(blobsWith(second.text, 'ColdStart')).toEqual([]);
      expectRequests(second.text, 'create', 'success');
    });

    it('writes no secret, token or key anywhere', async () => {
      const invoke = bridge();

      const { answer } = await invoke(createEvent());

      expect(answer.body).toContain(IDP_SECRET);
      for (const secret of [IDP_SECRET, RAT, IAT, KEY]) expect(output.text()).not.toContain(secret);
    });
  });

  it('counts an invalid body as Requests{create, client_error} with a WARN summary', async () => {
    const invoke = bridge();

    const { answer, text } = await invoke(createEvent(KEY, { ...createBody, redirect_uris: ['not a uri'] }));

    expect(answer.statusCode).toBe(400);
    expectRequests(text, 'create', 'client_error');
    expect(summaryLine(text)).toMatchObject({
      level: 'WARN',
      operation: 'create',
      outcome: 'client_error',
      status: 400,
    });
    expect(blobsWith(text, 'IdpLatency')).toEqual([]);
    expect(idp.requests).toEqual([]);
  });

  it('counts a wrong key as Requests{delete, auth_failure} and the forced key re-read as KeyCacheRefreshes', async () => {
    const invoke = bridge();

    const { answer, text } = await invoke({
      resource: '/{clientId}',
      httpMethod: 'DELETE',
      clientId: 'idp-client-1',
      headers: { 'X-API-KEY': WRONG_KEY },
    });

    expect(answer.statusCode).toBe(401);
    expectRequests(text, 'delete', 'auth_failure');
    expect(summaryLine(text)).toMatchObject({
      level: 'WARN',
      route: 'DELETE /{clientId}',
      operation: 'delete',
      outcome: 'auth_failure',
      status: 401,
      idp_type: 'generic',
      error: 'unauthorized',
      error_description: 'Missing or invalid X-API-KEY header.',
    });
    const [refresh, ...more] = blobsWith(text, 'KeyCacheRefreshes');
    expect(more).toEqual([]);
    expect(refresh?.units).toEqual({ KeyCacheRefreshes: 'Count' });
    expect(refresh?.dimensionSets).toEqual([['service']]);
    expect(refresh?.members).toEqual({ service: 'dcr-bridge', KeyCacheRefreshes: 1 });
    expect(output.text()).not.toContain(WRONG_KEY);
  });

  it('counts a failing IdP as Requests{create, idp_error} with the IdP request id in an ERROR summary', async () => {
    const invoke = bridge();
    script.push({ status: 500, body: { error: 'server_error' }, headers: { 'x-request-id': 'idp-req-500' } });

    const { answer, text } = await invoke(createEvent());

    expect(answer.statusCode).toBe(502);
    expectRequests(text, 'create', 'idp_error');
    expect(blobsWith(text, 'IdpLatency')).toHaveLength(1);
    expect(summaryLine(text)).toMatchObject({
      level: 'ERROR',
      outcome: 'idp_error',
      status: 502,
      idp_type: 'generic',
      idp_request_id: 'idp-req-500',
      error: 'idp_error',
      error_description: expect.stringContaining('answered 500'),
    });
  });

  it('counts an IdP 429 as IdpRateLimited, and retries within the deadline to a success', async () => {
    const invoke = bridge();
    script.push({ status: 429, body: { error: 'rate_limited' }, headers: { 'retry-after': '0' } });

    const { answer, text } = await invoke(createEvent());

    expect(answer.statusCode).toBe(201);
    expect(idp.requests).toHaveLength(2);
    const [limited, ...more] = blobsWith(text, 'IdpRateLimited');
    expect(more).toEqual([]);
    expect(limited?.units).toEqual({ IdpRateLimited: 'Count' });
    expect(limited?.dimensionSets).toEqual([['service', 'IdpType']]);
    expect(limited?.members).toEqual({ service: 'dcr-bridge', IdpType: 'generic', IdpRateLimited: 1 });
    expect(blobsWith(text, 'IdpLatency')).toHaveLength(2);
    expectRequests(text, 'create', 'success');
  });

  it('counts the 503 of an IdP that keeps rate-limiting as idp_error, not as the bridge failing', async () => {
    const invoke = bridge();
    script.push({ status: 429, headers: { 'retry-after': '3600' } });

    const { answer, text } = await invoke(createEvent());

    expect(answer.statusCode).toBe(503);
    expect(blobsWith(text, 'IdpRateLimited')).toHaveLength(1);
    expectRequests(text, 'create', 'idp_error');
  });

  it('counts an unexpected failure as bridge_error', async () => {
    const adapter = new FakeIdpAdapter();
    adapter.failWith = new Error('boom with client_secret=s3cr3t-value');
    const invoke = bridge({ adapter });

    const rotated = await invoke({
      resource: '/{clientId}/new-secret',
      httpMethod: 'POST',
      clientId: 'c1',
      headers: { 'X-API-KEY': KEY },
    });
    expect(rotated.answer.statusCode).toBe(500);
    expectRequests(rotated.text, 'rotate', 'bridge_error');
    expect(summaryLine(rotated.text)).toMatchObject({ level: 'ERROR', outcome: 'bridge_error', idp_type: 'fake' });
    expect(output.text()).not.toContain('s3cr3t-value');
  });

  it('counts a misconfigured bridge (503) as bridge_error, without an IdP type it never learned', async () => {
    const invoke = bridge({
      load: () => {
        throw new ConfigurationError('The bridge is misconfigured: IDP_ISSUER: set IDP_ISSUER.');
      },
    });

    const { answer, text } = await invoke(createEvent());

    expect(answer.statusCode).toBe(503);
    expectRequests(text, 'create', 'bridge_error');
    expect(summaryLine(text)).not.toHaveProperty('idp_type');
  });

  it.each([
    ['POST', '/', 'create', 201],
    ['DELETE', '/{clientId}', 'delete', 204],
    ['POST', '/{clientId}/new-secret', 'rotate', 200],
    ['POST', '/{clientId}/event-hook', 'event', 200],
    ['GET', '/{clientId}/secrets', 'secrets', 200],
    ['POST', '/{clientId}/secrets', 'secrets', 400],
    ['GET', '/{clientId}', 'unknown', 404],
  ])('names %s %s operation %s', async (httpMethod, resource, operation, status) => {
    const invoke = bridge({ adapter: new FakeIdpAdapter() });
    const body =
      resource === '/'
        ? JSON.stringify(createBody)
        : JSON.stringify({ event_type: 'something_new', client_id: 'client-1', application_id: APPLICATION_ID });

    const { answer, text } = await invoke({ resource, httpMethod, clientId: 'client-1', headers: jsonHeaders(), body });

    expect(answer.statusCode).toBe(status);
    expectRequests(text, operation, status >= 400 ? 'client_error' : 'success');
    expect(summaryLine(text)).toMatchObject({ route: `${httpMethod} ${resource}`, operation, status });
  });

  it('carries the Konnect ids of an event hook, and forgets every per-request key before the next request', async () => {
    const invoke = bridge({ adapter: new FakeIdpAdapter() });
    const hook = {
      event_type: 'update_application',
      client_id: 'client-1',
      application_id: APPLICATION_ID,
      portal_id: PORTAL_ID,
      developer_id: DEVELOPER_ID,
      redirect_uris: ['https://app.example.com/cb'],
    };

    const first = await invoke({
      resource: '/{clientId}/event-hook',
      httpMethod: 'POST',
      clientId: 'client-1',
      headers: jsonHeaders(),
      body: JSON.stringify(hook),
    });
    const second = await invoke({ resource: '/{clientId}', httpMethod: 'DELETE', clientId: 'client-1' });

    expect(summaryLine(first.text)).toMatchObject({
      operation: 'event',
      application_id: APPLICATION_ID,
      portal_id: PORTAL_ID,
      developer_id: DEVELOPER_ID,
      client_id: 'client-1',
    });
    const next = summaryLine(second.text);
    expect(next).toMatchObject({ operation: 'delete', outcome: 'auth_failure' });
    for (const key of ['application_id', 'portal_id', 'developer_id', 'client_id', 'event_type', 'idp_request_id']) {
      expect(next).not.toHaveProperty(key);
    }
  });

  it('keeps the IdP request id of one invocation out of the next', async () => {
    const invoke = bridge();

    const created = await invoke(createEvent());
    const refused = await invoke(createEvent(KEY, { ...createBody, redirect_uris: ['https://*.example.com/cb'] }));

    expect(summaryLine(created.text).idp_request_id).toBe('idp-req-201');
    expect(summaryLine(refused.text)).not.toHaveProperty('idp_request_id');
  });

  it('writes exactly one Requests blob and one summary line per invocation', async () => {
    const invoke = bridge();

    const { text } = await invoke(createEvent());

    expect(emfBlobs(text).map((blob) => Object.keys(blob.units)[0])).toEqual(['ColdStart', 'IdpLatency', 'Requests']);
    expect(logLines(text, 'Request completed')).toHaveLength(1);
    // Powertools' warning about the Outcome key shared by the two dimension sets is dropped.
    expect(text).not.toContain('EMF key');
  });

  it('still reports other Metrics problems on stderr', async () => {
    const metrics = createMetrics({});

    metrics.addDimension('Operation', '');

    expect(output.text()).toContain("The dimension Operation doesn't meet the requirements");
  });
});
