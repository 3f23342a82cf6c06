import { describe, expect, it } from '@jest/globals';
import type { HttpResponse } from '../../../../functions/commons/http-client';
import { CALL_MARGIN_MS, retryWhileReplicating } from '../../../../functions/idp/entra/replication-retry';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const answer = (status: number): HttpResponse => ({ status, headers: new Headers(), body: undefined });
const lagging = (response: HttpResponse) => response.status === 404;
const fast = { initialDelayMs: 5, maxDelayMs: 20 };

/** A call answering the given statuses in turn, counting its calls. */
function scripted(...statuses: number[]) {
  let calls = 0;
  return {
    call: async () => answer(statuses[Math.min(calls++, statuses.length - 1)] ?? 200),
    calls: () => calls,
  };
}

describe('retryWhileReplicating', () => {
  it('returns the first answer that does not lag, after retrying those that do', async () => {
    const script = scripted(404, 404, 201);
    const retried: number[] = [];
    const response = await retryWhileReplicating(script.call, lagging, operationWithin(5000), fast, (attempt) =>
      retried.push(attempt),
    );
    expect(response.status).toBe(201);
    expect(script.calls()).toBe(3);
    expect(retried).toEqual([1, 2]);
  });

  it('does not retry an answer that does not lag, even a failure', async () => {
    const script = scripted(500, 201);
    expect((await retryWhileReplicating(script.call, lagging, operationWithin(5000), fast)).status).toBe(500);
    expect(script.calls()).toBe(1);
  });

  it('stops after maxAttempts and returns the lagging answer', async () => {
    const script = scripted(404);
    const response = await retryWhileReplicating(script.call, lagging, operationWithin(5000), {
      ...fast,
      maxAttempts: 3,
    });
    expect(response.status).toBe(404);
    expect(script.calls()).toBe(3);
  });

  it('stops when no time is left for another call', async () => {
    const script = scripted(404);
    // 600 ms of deadline: waits of 5, 10, 20, 20... until less than the call's margin is left.
    const context = operationWithin(600);
    const response = await retryWhileReplicating(script.call, lagging, context, fast);
    expect(response.status).toBe(404);
    expect(script.calls()).toBeGreaterThan(1);
    expect(context.deadlineAt - Date.now()).toBeLessThanOrEqual(CALL_MARGIN_MS);
  });

  it('tries once more in the time that remains when the next full wait would not fit', async () => {
    const script = scripted(404, 201);
    const started = Date.now();
    // A 400 ms wait plus any headroom for the call would pass a 700 ms deadline; 400 ms alone fits.
    const response = await retryWhileReplicating(script.call, lagging, operationWithin(700), {
      initialDelayMs: 400,
      maxDelayMs: 400,
    });
    expect(response.status).toBe(201);
    expect(script.calls()).toBe(2);
    expect(Date.now() - started).toBeLessThan(700);
  });

  it('shortens the last wait to the time left minus the margin for the call', async () => {
    const script = scripted(404, 201);
    const context = operationWithin(500);
    const started = Date.now();
    const response = await retryWhileReplicating(script.call, lagging, context, {
      initialDelayMs: 5000,
      maxDelayMs: 5000,
    });
    expect(response.status).toBe(201);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(500 - CALL_MARGIN_MS - 20);
    expect(waited).toBeLessThan(500);
  });

  it('answers 504 when the deadline aborts a wait', async () => {
    const context = { signal: AbortSignal.abort(), deadlineAt: Date.now() + 60_000 };
    const error = await bridgeErrorOf(retryWhileReplicating(scripted(404).call, lagging, context, fast));
    expect(error.statusCode).toBe(504);
  });
});
