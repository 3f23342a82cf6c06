import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';
import { localLambdaContext } from '../../../bin/local/lambda-context';
import type { KonnectKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { ANSWER_MARGIN_MS, requestBudget } from '../../../functions/bridge/request-budget';
import { idpTimeout } from '../../../functions/commons/bridge-error';
import {
  COMPENSATION_TIMEOUT_MS,
  compensationOperation,
  type IssuedClient,
  type NewClient,
  type OperationContext,
  remainingCallMs,
  withinDeadline,
} from '../../../functions/idp/idp-adapter';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';

const KEY = 'konnect_key_0123456789abcdef';

/** Keys that take `delayMs` to read (a slow Secrets Manager), or never arrive. */
class SlowKeySource implements KonnectKeySource {
  constructor(private readonly delayMs: number | 'never') {}

  async keys(): Promise<readonly string[]> {
    if (this.delayMs === 'never') return new Promise<never>(() => undefined);
    await sleep(this.delayMs);
    return [KEY];
  }
}

const aborted = (signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });

/** A create that outlives the deadline, then undoes its half-done client at an IdP that hangs too. */
class CompensatingAdapter extends FakeIdpAdapter {
  deadlineAt?: number;
  compensationEndedAt?: number;

  override async createClient(_client: NewClient, context: OperationContext): Promise<IssuedClient> {
    await aborted(context.signal);
    this.deadlineAt = Date.now();
    await aborted(compensationOperation().signal);
    this.compensationEndedAt = Date.now();
    throw idpTimeout(this.name);
  }
}

function bridge(adapter: FakeIdpAdapter, { keyReadMs = 0 as number | 'never', idpTimeoutMs = 5000 } = {}) {
  const keyVerifier = new KonnectKeyVerifier(new SlowKeySource(keyReadMs), { minRefreshIntervalMs: 10_000 });
  const handler = createBridgeHandler(() => ({ adapter, keyVerifier, idpTimeoutMs }));
  const event = apiGatewayEvent({
    resource: '/',
    httpMethod: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-API-KEY': KEY },
    body: JSON.stringify({ client_name: 'Budget app', grant_types: ['client_credentials'] }),
  });
  /** One create, in a Lambda whose timeout is `lambdaTimeoutMs` from now: the answer and how long it took. */
  return async (lambdaTimeoutMs: number) => {
    const arrivedAt = Date.now();
    const result = await handler(event, localLambdaContext(lambdaTimeoutMs));
    return { status: result.statusCode, body: JSON.parse(result.body) as Record<string, unknown>, arrivedAt };
  };
}

describe('the request budget (issue 9 finding 6)', () => {
  captureOutputPerTest();

  it('ends the key check and the IdP work by arrival + IDP_TIMEOUT_MS, keeping compensation and the answer inside Lambda', () => {
    const context = { getRemainingTimeInMillis: () => 12_000 };

    expect(requestBudget(context, 8000, 1000)).toEqual({ deadlineAt: 9000, answerByAt: 12_000 });
    // A Lambda with less time than IDP_TIMEOUT_MS + 4 s: the reserve and the margin come first.
    expect(requestBudget(context, 22_000, 1000)).toEqual({
      deadlineAt: 1000 + 12_000 - ANSWER_MARGIN_MS - COMPENSATION_TIMEOUT_MS,
      answerByAt: 1000 + 12_000 - ANSWER_MARGIN_MS,
    });
  });

  it('counts a slow key read against the same deadline: the IdP gets only what is left', async () => {
    const adapter = new FakeIdpAdapter();
    adapter.waitForAbort = () => idpTimeout('fake');
    // As deployed: the Lambda timeout is IDP_TIMEOUT_MS + 4 s.
    const create = bridge(adapter, { keyReadMs: 400, idpTimeoutMs: 700 });

    const { status, arrivedAt } = await create(700 + 4000);

    expect(status).toBe(504);
    // The deadline ran from the arrival, not from the end of the key read (that would be 1100 ms).
    expect(adapter.signals[0]?.aborted).toBe(true);
    expect(Date.now() - arrivedAt).toBeLessThan(700 + 250);
  });

  it('answers 503 at the deadline when the key read never ends, instead of waiting for it', async () => {
    const adapter = new FakeIdpAdapter();
    const create = bridge(adapter, { keyReadMs: 'never', idpTimeoutMs: 300 });

    const { status, body, arrivedAt } = await create(300 + 4000);

    expect(status).toBe(503);
    expect(body).toEqual({
      error: 'service_unavailable',
      error_description: 'The bridge could not read its accepted API keys in time; retry.',
    });
    expect(Date.now() - arrivedAt).toBeLessThan(300 + 250);
    expect(adapter.calls).toEqual([]);
  });

  it('ends the compensation of a timed-out create before the function must answer, and answers before Lambda ends', async () => {
    const adapter = new CompensatingAdapter();
    // A Lambda with 2.5 s left and a long IDP_TIMEOUT_MS: the reserve and the margin decide.
    const create = bridge(adapter, { idpTimeoutMs: 22_000 });

    const { status, arrivedAt } = await create(2500);
    const answeredAt = Date.now();

    expect(status).toBe(504);
    const answerByAt = arrivedAt + 2500 - ANSWER_MARGIN_MS;
    // Before: the deadline ended 1 s before Lambda's, and compensation got 3 s more, past Lambda's end.
    expect(adapter.compensationEndedAt).toBeLessThanOrEqual(answerByAt + 50);
    expect(answeredAt - arrivedAt).toBeLessThan(2500);
  });
});

describe('deadlines inside a request', () => {
  it('gives store and secret calls the rest of the deadline, then a compensation window that ends by the answer-by time', async () => {
    expect(remainingCallMs()).toBeUndefined();
    const started = Date.now();

    const [during, after] = await withinDeadline(
      200,
      async ({ signal }) => {
        const before = remainingCallMs(Date.now());
        await aborted(signal);
        return [before, remainingCallMs(Date.now())];
      },
      { answerByAt: started + 200 + 800 },
    );

    expect(during).toBeGreaterThan(150);
    expect(during).toBeLessThanOrEqual(200);
    expect(after).toBeGreaterThan(700);
    expect(after).toBeLessThanOrEqual(800);
  });

  it('gives compensation no time once the answer-by time has passed: nothing is sent', async () => {
    const outside = compensationOperation();
    const late = await withinDeadline(1000, async () => compensationOperation(), { answerByAt: Date.now() - 1 });

    expect(outside.signal.aborted).toBe(false);
    expect(outside.deadlineAt - Date.now()).toBeGreaterThan(COMPENSATION_TIMEOUT_MS - 100);
    expect(late.signal.aborted).toBe(true);
  });
});
