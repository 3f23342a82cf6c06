import { parseJsonOrUndefined } from '../../functions/commons/parse-json';

/** One HTTP answer as verify judges it. */
export interface Exchange {
  status: number;
  contentType: string | null;
  /** The parsed JSON body, or undefined when empty or not JSON. */
  body: unknown;
  text: string;
}

/** The request never got an answer: refused connection, DNS, TLS, or the timeout. */
export class TransportError extends Error {
  constructor(
    message: string,
    /** A timed-out request may have had its effect; an unreachable server did nothing. */
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ExchangeRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One request, bounded by `timeoutMs` from start to the last byte of the answer. `who` names the
 * other side in the error ("the bridge", "the IdP's token endpoint").
 */
export async function exchange(request: ExchangeRequest, timeoutMs: number, who: string): Promise<Exchange> {
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // A redirect is an answer worth reporting, not something to follow with the key attached.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: parseJsonOrUndefined(text),
      text,
    };
  } catch (error) {
    // Checked by name: the DOMException fetch throws may come from another realm than Error.
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new TransportError(`${who} did not answer within ${timeoutMs} ms`, true);
    }
    throw new TransportError(`${who} could not be reached (${transportCause(error)})`, false);
  }
}

function transportCause(error: unknown): string {
  // Duck-typed for the same reason: undici's errors are not always this realm's Error.
  const { cause, message } = (error ?? {}) as { cause?: { code?: unknown; message?: unknown }; message?: unknown };
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return typeof message === 'string' ? message : String(error);
}
