import type http from 'node:http';
import type { CognitoOperation } from './cognito-fake-pool';

/** Where a fault can be injected: one API operation, or the token endpoint. */
export type FaultTarget = CognitoOperation | 'Token';

export interface Fault {
  /** The error `__type` to answer (default InternalErrorException; for Token, the OAuth `error`). */
  type?: string;
  /** Default: the status of that type. */
  status?: number;
  message?: string;
  /** Carry the operation out first, then fail: the caller cannot tell it happened. */
  afterEffect?: boolean;
  /**
   * With afterEffect: carry it out this many ms after the failure instead (a create Cognito commits
   * after the answer was lost, so a list right after the failure does not show it yet).
   */
  delayEffectMs?: number;
  /** `hang`: never answer (released on close); `drop`: close the connection without an answer. */
  mode?: 'error' | 'hang' | 'drop';
  /** How many calls it applies to (default 1; Infinity until cleared). */
  times?: number;
}

/** Faults queued per target, consumed call by call. */
export class Faults {
  private readonly queued = new Map<FaultTarget, (Fault & { times: number })[]>();
  private readonly hanging: http.ServerResponse[] = [];

  inject(target: FaultTarget, fault: Fault = {}): void {
    const queue = this.queued.get(target) ?? [];
    queue.push({ ...fault, times: fault.times ?? 1 });
    this.queued.set(target, queue);
  }

  /** The fault for this call of `target`, if any, counting it as used. */
  take(target: FaultTarget): Fault | undefined {
    const queue = this.queued.get(target);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.times -= 1;
    if (next.times <= 0) queue.shift();
    return next;
  }

  clear(): void {
    this.queued.clear();
  }

  hold(response: http.ServerResponse): void {
    this.hanging.push(response);
  }

  releaseHanging(): void {
    for (const response of this.hanging.splice(0)) response.destroy();
  }
}

/**
 * Cognito counts request rates per operation category across the account and Region and answers
 * TooManyRequestsException above the quota (developer guide, "Quotas in Amazon Cognito",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html). Guesses: the categories of the
 * secret operations, and the defaults below (15 RPS each, as recalled from that page; not re-read).
 */
export type RateCategory = 'UserPoolClientRead' | 'UserPoolClientUpdate';

/** The default account-wide rates of the two app-client categories (guess, see above). */
export const DEFAULT_RATE_LIMITS: Record<RateCategory, number> = { UserPoolClientRead: 15, UserPoolClientUpdate: 15 };

export function rateCategory(operation: CognitoOperation): RateCategory {
  return ['DescribeUserPoolClient', 'ListUserPoolClients', 'ListUserPoolClientSecrets'].includes(operation)
    ? 'UserPoolClientRead'
    : 'UserPoolClientUpdate';
}

/** Requests per second per category over a sliding one-second window; absent = unlimited. */
export class RateLimiter {
  private readonly recent = new Map<RateCategory, number[]>();

  constructor(public limits: Partial<Record<RateCategory, number>> = {}) {}

  /** Counts this request; false when it is over the category's rate. */
  admit(category: RateCategory, now = Date.now()): boolean {
    const limit = this.limits[category];
    if (limit === undefined) return true;
    const times = (this.recent.get(category) ?? []).filter((time) => now - time < 1000);
    if (times.length >= limit) {
      this.recent.set(category, times);
      return false;
    }
    times.push(now);
    this.recent.set(category, times);
    return true;
  }

  reset(): void {
    this.recent.clear();
  }
}
