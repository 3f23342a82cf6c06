import { describe, expect, it } from '@jest/globals';
import { StaticKeySource } from '../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { captureOutputPerTest } from '../support/captured-output';
import { apiGatewayEvent, lambdaContext } from '../unit/support/api-gateway';
import { FakeIdpAdapter } from '../unit/support/fake-idp-adapter';
import { nested } from './support/hostile-values';

const KEY = 'fuzz_regression_key_0123456789';

/** What the in-process fuzzing found in the handler, one example each. */
describe('handler: bodies the fuzzer found misdescribed', () => {
  captureOutputPerTest();

  async function create(body: string) {
    const adapter = new FakeIdpAdapter();
    const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 60_000 });
    const handler = createBridgeHandler(() => ({ adapter, keyVerifier, idpTimeoutMs: 5000 }));
    const event = apiGatewayEvent({
      resource: '/',
      httpMethod: 'POST',
      headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
      body,
    });
    const answer = await handler(event, lambdaContext());
    return { answer, json: JSON.parse(answer.body) as Record<string, unknown>, adapter };
  }

  it.each([
    ['arrays', nested(30_000, 'array')],
    ['objects', nested(30_000, 'object')],
  ])('says a body nested too deeply (%s) is nested too deeply, not that it is not valid JSON', async (_label, deep) => {
    // Was: "The request body is not valid JSON." for a body JSON.parse reads fine: Middy's
    // prototype-key reviver runs out of stack, and its 422 read as a syntax error.
    const body = `{"client_name":"App","grant_types":["client_credentials"],"labels":${deep}}`;
    expect(() => JSON.parse(body)).not.toThrow();

    const { answer, json, adapter } = await create(body);

    expect(answer.statusCode).toBe(400);
    expect(json).toEqual({ error: 'invalid_request', error_description: 'The request body is nested too deeply.' });
    expect(adapter.calls).toEqual([]);
  });

  it.each([
    ['a syntax error', '{"client_name":"App",'],
    ['a prototype key', '{"client_name":"App","__proto__":{"admin":true}}'],
  ])('still calls a body with %s not valid JSON', async (_label, body) => {
    const { answer, json, adapter } = await create(body);

    expect(answer.statusCode).toBe(400);
    expect(json.error_description).toBe('The request body is not valid JSON.');
    expect(adapter.calls).toEqual([]);
  });
});
