import { describe, expect, it } from '@jest/globals';
import type { HttpResponse } from '../../../../functions/commons/http-client';
import { retryWhileReplicating } from '../../../../functions/idp/entra/replication-retry';
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

  it('stops when a next attempt would not fit the deadline', async () => {
    const script = scripted(404);
    // 600 ms of deadline: waits of 5, 10, 20, 20... each plus 500 ms headroom soon no longer fit.
    const response = await retryWhileReplicating(script.call, lagging, operationWithin(600), fast);
    expect(response.status).toBe(404);
    expect(script.calls()).toBeGreaterThan(1);
  });

  it('answers 504 when the deadline aborts a wait', async () => {
    const context = { signal: AbortSignal.abort(), deadlineAt: Date.now() + 60_000 };
    const error = await bridgeErrorOf(retryWhileReplicating(scripted(404).call, lagging, context, fast));
    expect(error.statusCode).toBe(504);
  });
});
