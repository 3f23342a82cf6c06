import type { Agent, ClientRequest, IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * One HTTP exchange on node:http / node:https, the stack the AWS SDK loads anyway: `fetch` would
 * load undici, a second HTTP stack, at a cold start that the bridge pays on almost every call.
 * The modules come from `process.getBuiltinModule` on the first call (cheaper than an ESM import
 * at module load), with one keep-alive agent per protocol for the life of the container.
 *
 * Policy (redirects, statuses, error descriptions) stays in http-client.ts; this file only moves
 * bytes, bounded by the caller's signal and a size cap, and says whether a connection was opened.
 */

type HttpModule = typeof import('node:http');

interface Transport {
  /** The module itself, so that `request` is looked up at call time. */
  module: Pick<HttpModule, 'request'>;
  agent: Agent;
  /** The socket event after which request bytes can leave: TCP connect, or the TLS handshake. */
  readyEvent: 'connect' | 'secureConnect';
}

/**
 * Idle connections are closed after this long, unless the server's Keep-Alive hint is shorter
 * (Node honours it, minus a second): undici's default, so reuse behaves as it did with fetch.
 */
const IDLE_SOCKET_MS = 4000;

const transports: { 'http:'?: Transport; 'https:'?: Transport } = {};

function transportFor(protocol: string): Transport | undefined {
  if (protocol === 'https:') {
    transports['https:'] ??= load(process.getBuiltinModule('node:https'), 'secureConnect');
    return transports['https:'];
  }
  if (protocol === 'http:') {
    transports['http:'] ??= load(process.getBuiltinModule('node:http'), 'connect');
    return transports['http:'];
  }
  return undefined;
}

function load(module: Pick<HttpModule, 'request' | 'Agent'>, readyEvent: Transport['readyEvent']): Transport {
  return { module, agent: new module.Agent({ keepAlive: true, timeout: IDLE_SOCKET_MS }), readyEvent };
}

/**
 * The failure of an exchange for which no connection was ever opened (refused, unresolvable,
 * TLS handshake failed, aborted while connecting, URL unusable): no byte of the request was sent.
 */
export class ConnectionNotOpenedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionNotOpenedError';
  }
}

/** The answer's body passed the size cap (declared, received, or once decompressed). */
export class AnswerTooLargeError extends Error {
  constructor() {
    super('answer larger than the limit');
    this.name = 'AnswerTooLargeError';
  }
}

export interface NodeHttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborting it destroys the exchange, with the signal's reason as the error. */
  signal: AbortSignal;
}

export interface NodeHttpAnswer {
  status: number;
  headers: Headers;
  /** Reads the whole body as UTF-8, refusing it past `maxBytes`; once only. */
  read(maxBytes: number): Promise<string>;
  /** Drops the body unread and the connection with it. */
  discard(): void;
}

/** Sends the request; resolves once the status and headers are in, the body still unread. */
export function sendNodeHttpRequest(init: NodeHttpRequest): Promise<NodeHttpAnswer> {
  return new Promise<NodeHttpAnswer>((resolve, reject) => {
    const { signal } = init;
    if (signal.aborted) {
      reject(new ConnectionNotOpenedError('aborted before sending', { cause: signal.reason }));
      return;
    }
    let url: URL;
    try {
      url = new URL(init.url);
    } catch (error) {
      reject(new ConnectionNotOpenedError('invalid URL', { cause: error }));
      return;
    }
    const transport = transportFor(url.protocol);
    // fetch refused both too; node:http would send URL credentials as Basic auth.
    if (!transport || url.username !== '' || url.password !== '') {
      reject(new ConnectionNotOpenedError('unsupported URL: http or https without credentials only'));
      return;
    }

    let connected = false;
    let settled = false;
    /** Rejects whatever is pending: the answer, then the body read. */
    let failPending: (error: unknown) => void = reject;
    /** A failure that happened while nothing was pending (between the answer and read()). */
    let failure: unknown;

    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      cleanUp();
      failure = connected ? error : new ConnectionNotOpenedError('no connection', { cause: error });
      failPending(failure);
    };
    const onAbort = () => {
      fail(signal.reason);
      request.destroy(signal.reason instanceof Error ? signal.reason : undefined);
    };
    const cleanUp = () => signal.removeEventListener('abort', onAbort);

    let request: ClientRequest;
    try {
      request = transport.module.request(url, { method: init.method, headers: init.headers, agent: transport.agent });
    } catch (error) {
      // A header value Node refuses (a line break, say): refused before anything was sent.
      reject(new ConnectionNotOpenedError('request refused by node:http', { cause: error }));
      return;
    }
    // Errors after settling (a destroyed socket, a late reset) must not go unhandled.
    request.on('error', fail);
    request.on('socket', (socket: Socket) => {
      if (socket.connecting) {
        socket.once(transport.readyEvent, () => {
          connected = true;
        });
      } else {
        // A kept-alive connection, already open (and past its handshake).
        connected = true;
      }
    });
    request.on('response', (res: IncomingMessage) => {
      res.on('error', fail);
      res.on('close', () => {
        if (!res.complete) fail(Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' }));
      });
      failPending = () => undefined;
      resolve({
        status: res.statusCode ?? 0,
        headers: new ResponseHeaders(res.headers),
        read: (maxBytes) =>
          new Promise<string>((resolveBody, rejectBody) => {
            if (failure !== undefined) {
              rejectBody(failure);
              return;
            }
            failPending = rejectBody;
            const declared = Number(res.headers['content-length'] ?? '0');
            if (declared > maxBytes) {
              discard();
              return;
            }
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (chunk: Buffer) => {
              size += chunk.byteLength;
              // Stop reading at once: an endless body must not be waited for.
              if (size > maxBytes) discard();
              else chunks.push(chunk);
            });
            res.on('end', () => {
              if (settled) return;
              settled = true;
              cleanUp();
              try {
                resolveBody(decode(Buffer.concat(chunks), res.headers['content-encoding'], maxBytes).toString('utf8'));
              } catch (error) {
                rejectBody(error);
              }
            });
          }),
        discard: () => {
          if (settled) return;
          settled = true;
          cleanUp();
          request.destroy();
        },
      });
    });
    const discard = () => {
      fail(new AnswerTooLargeError());
      request.destroy();
    };

    signal.addEventListener('abort', onAbort, { once: true });
    request.end(init.body);
  });
}

/**
 * The bridge asks for `accept-encoding: identity`; a server that compresses anyway is still
 * understood, as fetch would, with the size cap applied to the decompressed body.
 */
function decode(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const codings = (encoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length === 0 || body.byteLength === 0) return body;
  const zlib = process.getBuiltinModule('node:zlib');
  const options = { maxOutputLength: maxBytes + 1 };
  let decoded = body;
  try {
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') decoded = zlib.gunzipSync(decoded, options);
      else if (coding === 'br') decoded = zlib.brotliDecompressSync(decoded, options);
      else if (coding === 'deflate') decoded = inflate(zlib, decoded, options);
      // An unknown coding is left as it is, as fetch does: the body will not parse as JSON.
      else return decoded;
    }
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw new AnswerTooLargeError();
    throw error;
  }
  if (decoded.byteLength > maxBytes) throw new AnswerTooLargeError();
  return decoded;
}

/** "deflate" is zlib-wrapped by the RFC, raw in some servers. */
function inflate(zlib: typeof import('node:zlib'), body: Buffer, options: { maxOutputLength: number }): Buffer {
  try {
    return zlib.inflateSync(body, options);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw error;
    return zlib.inflateRawSync(body, options);
  }
}

/**
 * The answer's headers behind the Fetch API's Headers interface (what HttpResponse has always
 * exposed), names lower-case as Node gives them, repeated fields joined with ", ". The global
 * Headers class is not used: it would load undici.
 */
export class ResponseHeaders implements Headers {
  private readonly fields = new Map<string, string>();
  private readonly cookies: string[] = [];

  constructor(incoming: IncomingHttpHeaders = {}) {
    for (const [name, value] of Object.entries(incoming)) {
      if (value === undefined) continue;
      const all = Array.isArray(value) ? value : [value];
      for (const one of all) this.append(name, one);
    }
  }

  get(name: string): string | null {
    return this.fields.get(name.toLowerCase()) ?? null;
  }

  has(name: string): boolean {
    return this.fields.has(name.toLowerCase());
  }

  getSetCookie(): string[] {
    return [...this.cookies];
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const current = this.fields.get(key);
    this.fields.set(key, current === undefined ? value : `${current}, ${value}`);
    if (key === 'set-cookie') this.cookies.push(value);
  }

  set(name: string, value: string): void {
    this.delete(name);
    this.append(name, value);
  }

  delete(name: string): void {
    const key = name.toLowerCase();
    this.fields.delete(key);
    if (key === 'set-cookie') this.cookies.length = 0;
  }

  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callbackfn.call(thisArg, value, key, this);
  }

  /** In name order, as the Fetch API iterates. */
  entries(): ArrayIterator<[string, string]> {
    return [...this.fields].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).values();
  }

  keys(): ArrayIterator<string> {
    return [...this.entries()].map(([key]) => key).values();
  }

  values(): ArrayIterator<string> {
    return [...this.entries()].map(([, value]) => value).values();
  }

  [Symbol.iterator](): ArrayIterator<[string, string]> {
    return this.entries();
  }
}
