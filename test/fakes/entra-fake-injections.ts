import type http from 'node:http';
import { sendGraph, sendGraphError } from './entra-fake-responses';

/** The operations a failure can be injected into, one per Graph call (and the token endpoint). */
export type EntraOperation =
  | 'token'
  | 'createApplication'
  | 'listApplications'
  | 'getApplication'
  | 'updateApplication'
  | 'deleteApplication'
  | 'addPassword'
  | 'removePassword'
  | 'createServicePrincipal'
  | 'deleteServicePrincipal'
  | 'purgeDeletedItem';

export interface Injection {
  /** Answer this status (with a Graph error body unless `body` is given)... */
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** ...or never answer (the connection stays open until the fake closes). */
  hang?: boolean;
  /** Do the operation first, then fail or hang: the caller cannot tell it happened. */
  afterEffect?: boolean;
  /** How many calls this applies to; `Infinity` for every call until cleared. */
  times: number;
}

/** Failures queued per operation, consumed call by call. */
export class Injections {
  private readonly queued = new Map<EntraOperation, Injection[]>();
  private readonly hanging: http.ServerResponse[] = [];

  add(operation: EntraOperation, injection: Injection): void {
    this.queued.set(operation, [...(this.queued.get(operation) ?? []), { ...injection }]);
  }

  clear(): void {
    this.queued.clear();
  }

  /** The injection for this call of `operation`, if any, counting it as used. */
  take(operation: EntraOperation): Injection | undefined {
    const queue = this.queued.get(operation);
    const next = queue?.[0];
    if (!queue || !next) return undefined;
    next.times -= 1;
    if (next.times <= 0) queue.shift();
    return next;
  }

  /** Plays an injection: hangs, or answers its status with its body or a Graph error. */
  answer(injection: Injection, response: http.ServerResponse): void {
    if (injection.hang) {
      this.hanging.push(response);
      return;
    }
    const status = injection.status ?? 500;
    if (injection.body !== undefined) {
      sendGraph(response, status, injection.body, injection.headers);
      return;
    }
    const [code, message] = DEFAULT_ERRORS[status] ?? ['UnknownError', 'An injected failure.'];
    sendGraphError(response, status, code, message, { headers: injection.headers });
  }

  releaseHanging(): void {
    for (const response of this.hanging.splice(0)) response.destroy();
  }
}

// https://learn.microsoft.com/graph/errors (status codes) and https://learn.microsoft.com/graph/throttling
const DEFAULT_ERRORS: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests. Please try again later.'],
  500: ['InternalServerError', 'An internal server error occurred at http://10.1.2.3:8080/directory.'],
  502: ['BadGateway', 'Bad gateway.'],
  503: ['ServiceUnavailable', 'The service is temporarily unavailable. Please try again later.'],
};
