import type { Tracer } from '@aws-lambda-powertools/tracer';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyResult } from 'aws-lambda';
import xray from 'aws-xray-sdk-core';
import { StaticKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { HttpClient } from '../../../functions/commons/http-client';
import { createMetrics } from '../../../functions/commons/metrics';
import { createTracer } from '../../../functions/commons/tracer';
import { genericAdapter } from '../../../functions/idp/generic/generic-factory';
import type { IdpAdapter } from '../../../functions/idp/idp-adapter';
import { MemoryRegistrationStore } from '../../../functions/store/memory-registration-store';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent, type EventInput, lambdaContext } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';

const KEY = 'konnect_key_0123456789abcdef';
const IAT = 'initial-access-token-7f3a9c';
const IDP_SECRET = 'idp-issued-secret-4b8e2d';
const RAT = 'registration-access-token-1c5f';

interface TracedSubsegment {
  name: string;
  annotations?: Record<string, unknown>;
  metadata?: unknown;
  error?: boolean;
  fault?: boolean;
  cause?: unknown;
  end_time?: number;
  subsegments?: TracedSubsegment[];
}

const createEvent: EventInput = {
  resource: '/',
  httpMethod: 'POST',
  headers: { 'Content-Type': 'application/json', 'X-API-KEY': KEY },
  body: JSON.stringify({
    client_name: 'Weather app',
    redirect_uris: ['https://app.example.com/callback'],
    grant_types: ['client_credentials'],
    scopes: ['read'],
    token_endpoint_auth_method: 'client_secret_basic',
    application_description: '',
    portal_id: 'f32d905a-ed33-46a3-a093-d8f536af9a8a',
  }),
};

describe('handler tracing (X-Ray through Powertools Tracer)', () => {
  captureOutputPerTest();
  const saved = { executionEnv: process.env.AWS_EXECUTION_ENV, handler: process.env._HANDLER };
  let idp: LoopbackServer;
  let tracer: Tracer;

  beforeAll(async () => {
    // As in Lambda: Powertools traces only inside a Lambda execution environment.
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
    process.env._HANDLER = 'index.handler';
    tracer = createTracer({});
    idp = await startLoopbackServer((_request, response) =>
      sendJson(response, 201, {
        client_id: 'idp-client-1',
        client_secret: IDP_SECRET,
        registration_access_token: RAT,
        registration_client_uri: `${idp.url}/register/idp-client-1`,
      }),
    );
  });
  afterAll(async () => {
    for (const [name, value] of [
      ['AWS_EXECUTION_ENV', saved.executionEnv],
      ['_HANDLER', saved.handler],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await idp.close();
  });

  /** Invokes the real handler inside an X-Ray context, as Lambda's facade segment would give. */
  async function tracedInvocation(
    input: EventInput,
    adapter?: IdpAdapter,
  ): Promise<{ answer: APIGatewayProxyResult; handlerSegment: TracedSubsegment; trace: string }> {
    const metrics = createMetrics({});
    const http = new HttpClient({ idpName: 'generic', callTimeoutMs: 2000, metrics, tracer });
    const idpAdapter =
      adapter ??
      genericAdapter.create(genericAdapter.settings.parse({ IDP_REGISTRATION_ENDPOINT: `${idp.url}/register` }), {
        http,
        store: () => new MemoryRegistrationStore(),
        credentials: async () => ({ initialAccessToken: IAT }),
      });
    const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 60_000, metrics });
    const handler = createBridgeHandler(() => ({ adapter: idpAdapter, keyVerifier, idpTimeoutMs: 3000 }), {
      metrics,
      tracer,
    });
    const root = new xray.Segment('facade');
    const answer = await xray.getNamespace().runAndReturn(() => {
      xray.setSegment(root);
      return handler(apiGatewayEvent(input), lambdaContext());
    });
    const trace = JSON.stringify(root);
    const [handlerSegment, ...others] = (JSON.parse(trace) as TracedSubsegment).subsegments ?? [];
    expect(others).toEqual([]);
    if (!handlerSegment) throw new Error('no handler subsegment');
    return { answer, handlerSegment, trace };
  }

  it('is on in Lambda unless POWERTOOLS_TRACE_ENABLED=false', () => {
    expect(createTracer({}).isTracingEnabled()).toBe(true);
    expect(createTracer({ POWERTOOLS_TRACE_ENABLED: 'false' }).isTracingEnabled()).toBe(false);
    expect(createTracer({ POWERTOOLS_TRACE_ENABLED: 'FALSE' }).isTracingEnabled()).toBe(false);
  });

  it('traces a create: handler subsegment annotated by outcome, the IdP call nested, no response recorded', async () => {
    const { answer, handlerSegment, trace } = await tracedInvocation(createEvent);

    expect(answer.statusCode).toBe(201);
    expect(handlerSegment.name).toBe('## index.handler');
    expect(handlerSegment.end_time).toEqual(expect.any(Number));
    expect(handlerSegment.annotations).toEqual({
      ColdStart: expect.any(Boolean),
      Service: 'dcr-bridge',
      operation: 'create',
      outcome: 'success',
      status: 201,
    });
    expect(handlerSegment.metadata).toBeUndefined();
    expect(handlerSegment.error ?? false).toBe(false);
    expect(handlerSegment.fault ?? false).toBe(false);
    expect(handlerSegment.subsegments?.map(({ name, annotations }) => ({ name, annotations }))).toEqual([
      { name: 'generic', annotations: { http_method: 'POST', http_status: 201 } },
    ]);
    for (const leak of [IDP_SECRET, RAT, IAT, KEY, 'client_secret', '127.0.0.1', String(idp.port)]) {
      expect(trace).not.toContain(leak);
    }
  });

  it('flags a refused key as an error, not a fault, without the error itself', async () => {
    const { answer, handlerSegment, trace } = await tracedInvocation({
      ...createEvent,
      headers: { 'Content-Type': 'application/json', 'X-API-KEY': 'konnect_key_wrong_00000000' },
    });

    expect(answer.statusCode).toBe(401);
    expect(handlerSegment.annotations).toMatchObject({ operation: 'create', outcome: 'auth_failure', status: 401 });
    expect(handlerSegment.error).toBe(true);
    expect(handlerSegment.fault ?? false).toBe(false);
    expect(handlerSegment.cause).toBeUndefined();
    expect(trace).not.toContain('konnect_key_wrong_00000000');
  });

  it('flags an unexpected failure as a fault, without its message or stack', async () => {
    const adapter = new FakeIdpAdapter();
    adapter.failWith = new Error('failed with access_token s3cr3t-in-message');

    const { answer, handlerSegment, trace } = await tracedInvocation(createEvent, adapter);

    expect(answer.statusCode).toBe(500);
    expect(handlerSegment.annotations).toMatchObject({ outcome: 'bridge_error', status: 500 });
    expect(handlerSegment.fault).toBe(true);
    expect(handlerSegment.cause).toBeUndefined();
    expect(trace).not.toContain('s3cr3t-in-message');
    expect(trace).not.toContain('secret-1');
  });
});
