import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import xray from 'aws-xray-sdk-core';
import { HttpClient, IdpRateLimitedError, idpRequestId } from '../../../functions/commons/http-client';
import { logger } from '../../../functions/commons/logger';
import { createMetrics } from '../../../functions/commons/metrics';
import type { SegmentSource } from '../../../functions/commons/tracer';
import { operationWithin } from '../../../functions/idp/idp-adapter';
import { captureOutputPerTest } from '../../support/captured-output';
import { bridgeErrorOf } from '../support/bridge-error-of';
import { deadPort, type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';
import { blobsWith, logLines } from './emf';

const TOKEN = 'management-token-9d2f7a';
const CLIENT_SECRET = 'bridge-client-secret-5e1b';
const QUERY_SECRET = 'query-secret-0a4c';

/** A segment source like an enabled Tracer inside a Lambda invocation, with a real X-Ray segment. */
function tracedSegment(): { segment: xray.Segment; source: SegmentSource } {
  const segment = new xray.Segment('dcr-bridge-test');
  return { segment, source: { isTracingEnabled: () => true, getSegment: () => segment } };
}

describe('IdP call telemetry (HttpClient)', () => {
  const output = captureOutputPerTest();
  let idp: LoopbackServer;

  beforeAll(async () => {
    idp = await startLoopbackServer();
  });
  afterAll(async () => {
    await idp.close();
  });
  beforeEach(() => {
    idp.reset();
  });
  afterEach(() => {
    // The handler's logger middleware does this after every invocation.
    logger.resetKeys();
  });

  const secretRequest = () => ({
    method: 'POST' as const,
    url: `${idp.url}/oauth2/v1/clients?token=${QUERY_SECRET}`,
    headers: { authorization: `Bearer ${TOKEN}` },
    form: { client_secret: CLIENT_SECRET },
  });

  it('measures every exchange, counts the 429 and retries it: 429 then 200', async () => {
    let calls = 0;
    idp.handle((_request, response) => {
      calls += 1;
      if (calls === 1) sendJson(response, 429, { errorCode: 'E0000047' }, { 'retry-after': '0' });
      else sendJson(response, 200, { ok: true });
    });
    const { segment, source } = tracedSegment();
    const client = new HttpClient({ idpName: 'okta', callTimeoutMs: 2000, metrics: createMetrics({}), tracer: source });

    const answer = await client.call(secretRequest(), operationWithin(3000));

    expect(answer.status).toBe(200);
    const text = output.text();
    const latencies = blobsWith(text, 'IdpLatency');
    expect(latencies).toHaveLength(2);
    for (const blob of latencies) {
      expect(blob.namespace).toBe('DcrBridge');
      expect(blob.units).toEqual({ IdpLatency: 'Milliseconds' });
      expect(blob.dimensionSets).toEqual([['service', 'IdpType']]);
      expect(blob.members).toMatchObject({ service: 'dcr-bridge', IdpType: 'okta' });
      expect(blob.members.IdpLatency).toEqual(expect.any(Number));
    }
    const limited = blobsWith(text, 'IdpRateLimited');
    expect(limited.map((blob) => blob.members)).toEqual([
      { service: 'dcr-bridge', IdpType: 'okta', IdpRateLimited: 1 },
    ]);
    expect(limited[0]?.units).toEqual({ IdpRateLimited: 'Count' });
    expect(limited[0]?.dimensionSets).toEqual([['service', 'IdpType']]);

    // One subsegment per exchange, named after the IdP type, with method and status only.
    const traced = JSON.parse(JSON.stringify(segment)) as {
      subsegments: { name: string; annotations: Record<string, unknown>; throttle?: boolean; end_time?: number }[];
    };
    expect(traced.subsegments.map(({ name, annotations, throttle }) => ({ name, annotations, throttle }))).toEqual([
      { name: 'okta', annotations: { http_method: 'POST', http_status: 429 }, throttle: true },
      { name: 'okta', annotations: { http_method: 'POST', http_status: 200 }, throttle: undefined },
    ]);
    for (const subsegment of traced.subsegments) expect(subsegment.end_time).toEqual(expect.any(Number));
    const trace = JSON.stringify(segment);
    for (const leak of [TOKEN, CLIENT_SECRET, QUERY_SECRET, '127.0.0.1', String(idp.port), '/oauth2/v1/clients']) {
      expect(trace).not.toContain(leak);
    }
  });

  it('marks the answer of an IdP that keeps rate-limiting as caused by the IdP', async () => {
    idp.handle((_request, response) => sendJson(response, 429, {}, { 'retry-after': '3600' }));
    const client = new HttpClient({ idpName: 'auth0', callTimeoutMs: 2000, metrics: createMetrics({}) });

    const error = await bridgeErrorOf(client.call(secretRequest(), operationWithin(3000)));

    expect(error.statusCode).toBe(503);
    expect(error.cause).toBeInstanceOf(IdpRateLimitedError);
    expect(blobsWith(output.text(), 'IdpRateLimited')).toHaveLength(1);
  });

  it('traces an IdP that cannot be reached as a fault, without its address, and still measures the call', async () => {
    const port = await deadPort();
    const { segment, source } = tracedSegment();
    const client = new HttpClient({
      idpName: 'entra',
      callTimeoutMs: 2000,
      metrics: createMetrics({}),
      tracer: source,
    });

    const error = await bridgeErrorOf(
      client.send({ method: 'GET', url: `http://127.0.0.1:${port}/x` }, AbortSignal.timeout(3000)),
    );

    expect(error.statusCode).toBe(502);
    const [subsegment] = segment.subsegments ?? [];
    expect(subsegment?.name).toBe('entra');
    expect(JSON.parse(JSON.stringify(subsegment))).toMatchObject({ fault: true, annotations: { http_method: 'GET' } });
    expect(JSON.stringify(segment)).not.toContain(String(port));
    expect(blobsWith(output.text(), 'IdpLatency')).toHaveLength(1);
  });

  it('flags a 4xx answer as an error and a 5xx answer as a fault', async () => {
    let status = 404;
    idp.handle((_request, response) => sendJson(response, status, {}));
    const { segment, source } = tracedSegment();
    const client = new HttpClient({
      idpName: 'keycloak',
      callTimeoutMs: 2000,
      metrics: createMetrics({}),
      tracer: source,
    });

    await client.send({ method: 'DELETE', url: idp.url }, AbortSignal.timeout(3000));
    status = 503;
    await client.send({ method: 'DELETE', url: idp.url }, AbortSignal.timeout(3000));

    const flags = (segment.subsegments ?? []).map((sub) => {
      const json = JSON.parse(JSON.stringify(sub)) as { error?: boolean; fault?: boolean };
      return { error: json.error ?? false, fault: json.fault ?? false };
    });
    expect(flags).toEqual([
      { error: true, fault: false },
      { error: false, fault: true },
    ]);
  });

  it('opens no subsegment when tracing is off', async () => {
    idp.handle((_request, response) => sendJson(response, 200, {}));
    let asked = false;
    const source: SegmentSource = {
      isTracingEnabled: () => false,
      getSegment: () => {
        asked = true;
        return undefined;
      },
    };
    const client = new HttpClient({
      idpName: 'generic',
      callTimeoutMs: 2000,
      metrics: createMetrics({}),
      tracer: source,
    });

    const answer = await client.send({ method: 'GET', url: idp.url }, AbortSignal.timeout(3000));

    expect(answer.status).toBe(200);
    expect(asked).toBe(false);
  });

  it('measures nothing when the deadline has already passed', async () => {
    const client = new HttpClient({ idpName: 'generic', callTimeoutMs: 2000, metrics: createMetrics({}) });

    const error = await bridgeErrorOf(client.send({ method: 'GET', url: idp.url }, AbortSignal.abort()));

    expect(error.statusCode).toBe(504);
    expect(idp.requests).toEqual([]);
    expect(blobsWith(output.text(), 'IdpLatency')).toEqual([]);
  });

  it("adds the IdP's request id to the invocation's log keys", async () => {
    idp.handle((_request, response) => sendJson(response, 201, {}, { 'x-okta-request-id': 'okta-req-42' }));
    const client = new HttpClient({ idpName: 'okta', callTimeoutMs: 2000, metrics: createMetrics({}) });

    await client.send({ method: 'POST', url: idp.url }, AbortSignal.timeout(3000));
    logger.info('probe');

    expect(logLines(output.text(), 'probe')[0]).toMatchObject({ idp_request_id: 'okta-req-42' });
  });

  describe('idpRequestId', () => {
    it.each([
      [{ 'x-okta-request-id': 'okta-1', 'x-request-id': 'generic-1' }, 'okta-1'],
      [{ 'request-id': 'graph-1', 'client-request-id': 'mine-1' }, 'graph-1'],
      [{ 'x-ms-request-id': 'ms-1' }, 'ms-1'],
      [{ 'x-request-id': 'a1b2-c3d4:5.6_7' }, 'a1b2-c3d4:5.6_7'],
      [{ 'client-request-id': 'mine-1' }, 'mine-1'],
    ])('reads %j as %s', (headers, expected) => {
      expect(idpRequestId(new Headers(headers))).toBe(expected);
    });

    it.each([
      [{}],
      [{ 'x-request-id': 'has spaces in it' }],
      [{ 'x-request-id': 'x'.repeat(129) }],
      [{ 'x-request-id': '{"json":true}' }],
    ])('ignores %j', (headers) => {
      expect(idpRequestId(new Headers(headers))).toBeUndefined();
    });

    it('falls back to the next header when the first is not an id', () => {
      expect(idpRequestId(new Headers({ 'x-okta-request-id': 'a b', 'x-request-id': 'r-1' }))).toBe('r-1');
    });
  });
});
