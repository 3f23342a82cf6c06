import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { OperationContext } from '../idp/idp-adapter';
import { idpFailed, idpTimeout, serviceUnavailable } from './bridge-error';
import { causeChain, connectFailed } from './error-chain';
import { rememberAuthorization, rememberSecretsIn } from './known-secrets';
import { logger } from './logger';
import { metrics as bridgeMetrics, recordIdpLatency, recordIdpRateLimited } from './metrics';
import { AnswerTooLargeError, ConnectionNotOpenedError, sendNodeHttpRequest } from './node-http-request';
import { parseJsonOrUndefined } from './parse-json';
import { rateLimitWaitMs, waitFor } from './rate-limit';
import { tracer as bridgeTracer, type SegmentSource, traceIdpCall } from './tracer';

/** Bodies larger than this are refused: no IdP answer for one client is anywhere near it. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** Retries after a 429, when the wait fits the deadline. */
const MAX_RATE_LIMIT_RETRIES = 2;
/** Time kept back after a rate-limit wait for the retried call itself. */
const RETRY_HEADROOM_MS = 500;

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as application/x-www-form-urlencoded. */
  form?: Record<string, string>;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export interface HttpClientOptions {
  /** The IdP type, e.g. "generic": named in error descriptions, metrics and traces. */
  idpName: string;
  /** Upper bound for one call, on top of the caller's overall deadline. */
  callTimeoutMs: number;
  /** Where IdpLatency and IdpRateLimited go; the bridge's Metrics by default. */
  metrics?: Metrics;
  /** Where the IdP subsegments go; the bridge's Tracer by default. */
  tracer?: SegmentSource;
}

/**
 * The cause of the 503 the bridge answers when the IdP keeps rate-limiting it, so that the
 * request counts as an IdP error, not as the bridge's own.
 */
export class IdpRateLimitedError extends Error {
  constructor(readonly idpName: string) {
    super(`The identity provider (${idpName}) answered 429.`);
    this.name = 'IdpRateLimitedError';
  }
}

/**
 * Why a call surely never reached the IdP: the deadline had passed before it was sent, or no
 * connection could be opened. Anything else that fails may have been received and acted on.
 */
export class RequestNotSentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestNotSentError';
  }
}

/**
 * Whether a failed call may have been received by the IdP, and so may have created something: false
 * only when it surely was not sent, or the IdP refused it with a 429 (rate limiters act first).
 */
export function mayHaveReachedIdp(error: unknown): boolean {
  for (const link of causeChain(error)) {
    if (link instanceof RequestNotSentError || link instanceof IdpRateLimitedError) return false;
  }
  return true;
}

/** Headers in which IdPs name their own request id, most specific first (Okta, Graph, others). */
const REQUEST_ID_HEADERS = ['x-okta-request-id', 'request-id', 'x-ms-request-id', 'x-request-id', 'client-request-id'];
/** A request id is an opaque token; anything else is not logged. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** The IdP's id for this exchange, for the operator to quote to the vendor's support. */
export function idpRequestId(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name)?.trim();
    if (value && REQUEST_ID_PATTERN.test(value)) return value;
  }
  return undefined;
}

/**
 * The one way the bridge talks HTTP to an IdP, on node:http/node:https (node-http-request.ts: the
 * stack the AWS SDK loads anyway, not fetch's undici), with connections kept alive across
 * invocations of a warm container; every call is bounded by its own timeout and by the
 * caller's deadline signal, and transport failures become contract errors without addresses.
 * Redirects are never followed (a 3xx is a 502): following one re-sends the bridge's credentials
 * to wherever the IdP, or whoever answers in its name, points. Every credential sent or received
 * is remembered for redaction (known-secrets.ts).
 */
export class HttpClient {
  constructor(private readonly options: HttpClientOptions) {}

  /**
   * One IdP call within the operation's deadline. A 429 is retried when the IdP's requested wait
   * fits the deadline, else answered 503 at once. Rate limiters reject before any work is done,
   * so even a create is safe to repeat after a 429.
   */
  async call(request: HttpRequest, operation: OperationContext): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.send(request, operation.signal);
      if (response.status !== 429) return response;
      const waitMs = rateLimitWaitMs(response.headers, attempt);
      const fits = Date.now() + waitMs + RETRY_HEADROOM_MS <= operation.deadlineAt;
      if (attempt >= MAX_RATE_LIMIT_RETRIES || !fits) {
        throw serviceUnavailable(
          `The identity provider (${this.options.idpName}) is rate-limiting the bridge; retry in ${Math.ceil(waitMs / 1000)} s.`,
          new IdpRateLimitedError(this.options.idpName),
        );
      }
      await waitFor(waitMs, operation.signal).catch((error: unknown) => {
        // The IdP refused the last attempt, and the next one was never sent.
        throw idpTimeout(
          this.options.idpName,
          new RequestNotSentError('deadline passed in a rate-limit wait', { cause: error }),
        );
      });
    }
  }

  /**
   * One HTTP exchange, bounded by its own timeout and the given deadline; no retries. Each one is
   * measured (IdpLatency, IdpRateLimited), traced as a subsegment, and its IdP request id is added
   * to the invocation's log keys (reset by the logger middleware after every invocation).
   */
  async send(request: HttpRequest, deadline: AbortSignal): Promise<HttpResponse> {
    // Past the deadline nothing is sent, and nothing is measured.
    if (deadline.aborted) {
      throw idpTimeout(this.options.idpName, new RequestNotSentError('deadline passed', { cause: deadline.reason }));
    }
    const { idpName } = this.options;
    const target = this.options.metrics ?? bridgeMetrics;
    const startedAt = performance.now();
    try {
      const response = await traceIdpCall(this.options.tracer ?? bridgeTracer, idpName, request.method, () =>
        this.exchange(request, deadline),
      );
      const requestId = idpRequestId(response.headers);
      if (requestId) logger.appendKeys({ idp_request_id: requestId });
      if (response.status === 429) recordIdpRateLimited(target, idpName);
      return response;
    } finally {
      recordIdpLatency(target, idpName, Math.round(performance.now() - startedAt));
    }
  }

  private async exchange(request: HttpRequest, deadline: AbortSignal): Promise<HttpResponse> {
    // A timer of our own, cleared when the exchange ends (see withinDeadline for why).
    const callTimeout = new AbortController();
    const timer = setTimeout(
      () => callTimeout.abort(new DOMException('call timeout', 'TimeoutError')),
      this.options.callTimeoutMs,
    );
    const signal = AbortSignal.any([deadline, callTimeout.signal]);
    // Identity: answers are small JSON, so compression saves nothing, and the 1 MiB cap then
    // bounds what is received and what is parsed alike (node-http-request.ts still decodes a
    // server that compresses anyway). The caller's headers win, as they did with fetch.
    const headers: Record<string, string> = {
      accept: 'application/json',
      'accept-encoding': 'identity',
      'user-agent': 'dcr-bridge',
      ...lowerCaseNames(request.headers),
    };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
      headers['content-length'] = String(Buffer.byteLength(body));
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    rememberSentCredentials(headers, request);
    try {
      const response = await sendNodeHttpRequest({ method: request.method, url: request.url, headers, body, signal });
      if (response.status >= 300 && response.status <= 399) {
        response.discard();
        // The operator needs the target to correct the setting; Konnect must not see it.
        logger.warn('The identity provider answered with a redirect; the bridge does not follow it', {
          status: response.status,
          location: response.headers.get('location') ?? undefined,
        });
        throw redirected(this.options.idpName, response.status);
      }
      const text = await response.read(MAX_RESPONSE_BYTES);
      const parsed = parseJsonOrUndefined(text);
      rememberSecretsIn(parsed);
      return { status: response.status, headers: response.headers, body: parsed };
    } catch (error) {
      throw this.toBridgeError(error, signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private toBridgeError(error: unknown, signal: AbortSignal): unknown {
    if (error instanceof AnswerTooLargeError) return tooLarge(this.options.idpName);
    // No connection was open (refused, unresolvable, TLS refused, deadline while connecting):
    // not a byte of the request left, so the caller knows nothing can have been created.
    const cause =
      error instanceof ConnectionNotOpenedError || connectFailed(error)
        ? new RequestNotSentError('no connection', { cause: error })
        : error;
    if (signal.aborted) return idpTimeout(this.options.idpName, cause);
    if (error instanceof Error && error.name === 'BridgeError') return error;
    // Node's messages name the host and port; the admin only needs to know it was unreachable.
    const description = `The identity provider (${this.options.idpName}) could not be reached or closed the connection.`;
    return idpFailed(description, cause);
  }
}

/** Header names as node:http sends them; a caller's name in another case replaces the default. */
function lowerCaseNames(headers: Record<string, string> | undefined): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
  return lower;
}

// The target is not named: it may be an internal address, and the description reaches Konnect.
const redirected = (idpName: string, status: number) =>
  idpFailed(
    `The identity provider (${idpName}) answered ${status} (a redirect); the bridge follows no redirects, so nothing was sent there. Check the IdP URL settings: they must name the final endpoints.`,
  );

function rememberSentCredentials(headers: Record<string, string>, request: HttpRequest): void {
  // Names are lower-case by now (lowerCaseNames).
  rememberAuthorization(headers.authorization);
  rememberSecretsIn(request.form);
  rememberSecretsIn(request.json);
}

const tooLarge = (idpName: string) =>
  idpFailed(`The identity provider (${idpName}) answered with a body larger than 1 MiB.`);
