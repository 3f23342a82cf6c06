import type { OperationContext } from '../idp/idp-adapter';
import { idpFailed, idpTimeout, serviceUnavailable } from './bridge-error';
import { rateLimitWaitMs, waitFor } from './rate-limit';

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
  /** Named in error descriptions, e.g. "generic". */
  idpName: string;
  /** Upper bound for one call, on top of the caller's overall deadline. */
  callTimeoutMs: number;
}

/**
 * The one way the bridge talks HTTP to an IdP. Node's fetch (undici) keeps connections alive
 * across invocations of a warm container; every call is bounded by its own timeout and by the
 * caller's deadline signal, and transport failures become contract errors without addresses.
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
        );
      }
      await waitFor(waitMs, operation.signal).catch((error: unknown) => {
        throw idpTimeout(this.options.idpName, error);
      });
    }
  }

  /** One HTTP exchange, bounded by its own timeout and the given deadline; no retries. */
  async send(request: HttpRequest, deadline: AbortSignal): Promise<HttpResponse> {
    const signal = AbortSignal.any([deadline, AbortSignal.timeout(this.options.callTimeoutMs)]);
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    try {
      const response = await fetch(request.url, { method: request.method, headers, body, signal });
      const text = await readLimited(response, this.options.idpName);
      return { status: response.status, headers: response.headers, body: parseJson(text) };
    } catch (error) {
      throw this.toBridgeError(error, signal);
    }
  }

  private toBridgeError(error: unknown, signal: AbortSignal): unknown {
    if (signal.aborted) return idpTimeout(this.options.idpName, error);
    if (error instanceof Error && error.name === 'BridgeError') return error;
    // undici's messages name the host and port; the admin only needs to know it was unreachable.
    return idpFailed(
      `The identity provider (${this.options.idpName}) could not be reached or closed the connection.`,
      error,
    );
  }
}

async function readLimited(response: Response, idpName: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > MAX_RESPONSE_BYTES) {
    await response.body?.cancel();
    throw tooLarge(idpName);
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_RESPONSE_BYTES) throw tooLarge(idpName);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const tooLarge = (idpName: string) =>
  idpFailed(`The identity provider (${idpName}) answered with a body larger than 1 MiB.`);

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
