import { describe, expect, it } from '@jest/globals';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { outcomeOf } from '../../../functions/bridge/middleware/request-outcome';
import { requestSummary } from '../../../functions/bridge/middleware/request-summary';
import { BridgeError, idpFailed, serviceUnavailable } from '../../../functions/commons/bridge-error';
import { IdpRateLimitedError } from '../../../functions/commons/http-client';
import { logger } from '../../../functions/commons/logger';
import { createMetrics } from '../../../functions/commons/metrics';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent, lambdaContext } from '../support/api-gateway';
import { blobsWith, logLines } from './emf';

describe('outcomeOf', () => {
  it.each([
    [200, 'success'],
    [201, 'success'],
    [204, 'success'],
    [400, 'client_error'],
    [403, 'client_error'],
    [404, 'client_error'],
    [415, 'client_error'],
    [401, 'auth_failure'],
    [502, 'idp_error'],
    [504, 'idp_error'],
    [500, 'bridge_error'],
    [503, 'bridge_error'],
  ])('maps %i to %s', (status, outcome) => {
    expect(outcomeOf(status, undefined)).toBe(outcome);
  });

  it('counts a 503 caused by the IdP rate-limiting as idp_error, also when wrapped', () => {
    const limited = serviceUnavailable('rate-limited', new IdpRateLimitedError('okta'));

    expect(outcomeOf(503, limited)).toBe('idp_error');
    expect(outcomeOf(503, new BridgeError(503, 'service_unavailable', 'again', { cause: limited }))).toBe('idp_error');
  });

  it("counts any other 503 as the bridge's own", () => {
    expect(outcomeOf(503, serviceUnavailable('The bridge cannot read its accepted API keys.'))).toBe('bridge_error');
    expect(outcomeOf(503, serviceUnavailable('store down', new Error('dynamodb')))).toBe('bridge_error');
    expect(outcomeOf(503, 'a string')).toBe('bridge_error');
  });

  it('goes by the status, not the error, for everything else', () => {
    expect(outcomeOf(502, idpFailed('bad answer'))).toBe('idp_error');
    expect(outcomeOf(500, new IdpRateLimitedError('okta'))).toBe('bridge_error');
  });
});

describe('requestSummary', () => {
  const output = captureOutputPerTest();

  function summarized(answer: () => Promise<APIGatewayProxyResult>) {
    const clock = { now: 5_000 };
    const metrics = createMetrics({ POWERTOOLS_METRICS_NAMESPACE: 'OtherNamespace', POWERTOOLS_SERVICE_NAME: 'svc' });
    const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
      .use(requestSummary({ metrics, logger, idpType: () => 'okta', now: () => clock.now }))
      .handler(async () => {
        clock.now += 1234;
        return answer();
      });
    return { handler, metrics };
  }

  it('logs the duration from its own start and the route, and counts the request', async () => {
    const { handler, metrics } = summarized(async () => ({ statusCode: 204, body: '' }));

    await handler(apiGatewayEvent({ resource: '/{clientId}', httpMethod: 'DELETE', clientId: 'c1' }), lambdaContext());
    metrics.publishStoredMetrics();

    expect(logLines(output.text(), 'Request completed')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        route: 'DELETE /{clientId}',
        operation: 'delete',
        outcome: 'success',
        status: 204,
        duration_ms: 1234,
        idp_type: 'okta',
      }),
    ]);
    const [blob] = blobsWith(output.text(), 'Requests');
    expect(blob?.namespace).toBe('OtherNamespace');
    expect(blob?.members).toEqual({ service: 'svc', Operation: 'delete', Outcome: 'success', Requests: 1 });
  });

  it('counts an error nobody turned into an answer as a 500 bridge_error', async () => {
    const { handler, metrics } = summarized(async () => {
      throw new Error('unhandled');
    });

    await expect(
      handler(apiGatewayEvent({ resource: '/', httpMethod: 'POST', body: '{}' }), lambdaContext()),
    ).rejects.toThrow('unhandled');
    metrics.publishStoredMetrics();

    expect(logLines(output.text(), 'Request completed')).toEqual([
      expect.objectContaining({ level: 'ERROR', operation: 'create', outcome: 'bridge_error', status: 500 }),
    ]);
    expect(blobsWith(output.text(), 'Requests')[0]?.members).toMatchObject({ Outcome: 'bridge_error' });
  });
});
