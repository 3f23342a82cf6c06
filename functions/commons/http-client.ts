import { idpFailed, idpTimeout } from './bridge-error';

/** Bodies larger than this are refused: no IdP answer for one client is anywhere near it. */
const MAX_RESPONSE_BYTES = 1024 * 1024;

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
