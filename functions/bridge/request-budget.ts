import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { COMPENSATION_TIMEOUT_MS } from '../idp/idp-adapter';

/** Kept back after everything else, for the answer itself (log lines, the metrics flush, the response). */
export const ANSWER_MARGIN_MS = 1000;

/**
 * One request's time, counted from its arrival. Lambda's own deadline is the outer bound: the
 * key check and the IdP work end early enough that a compensation window and the answer margin
 * still fit before it, so the function always answers with its own error instead of timing out.
 */
export interface RequestBudget {
  /** The key check and all IdP and store work end here: arrival + IDP_TIMEOUT_MS at the latest. */
  deadlineAt: number;
  /** Compensation and cleanup end here, ANSWER_MARGIN_MS before Lambda's deadline. */
  answerByAt: number;
}

// Keyed by the invocation's context object: one per invocation, and gone with it.
const arrivals = new WeakMap<Context, number>();

/** Notes when a request arrives; placed first in the chain, so the key read counts against the budget too. */
export const startRequestClock = (now: () => number = Date.now): MiddlewareObj => ({
  before: async (request) => {
    arrivals.set(request.context, now());
  },
});

/** The budget of the invocation `context` belongs to; `idpTimeoutMs` is unbounded when not known. */
export function requestBudget(
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  idpTimeoutMs = Number.POSITIVE_INFINITY,
  now = Date.now(),
): RequestBudget {
  const arrivedAt = arrivals.get(context as Context) ?? now;
  const answerByAt = now + context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  const deadlineAt = Math.min(arrivedAt + idpTimeoutMs, answerByAt - COMPENSATION_TIMEOUT_MS);
  return { deadlineAt, answerByAt };
}

/** Milliseconds until `instant`, at least 1 (a timer of 0 would still let work start). */
export const millisUntil = (instant: number, now = Date.now()) => Math.max(1, instant - now);
