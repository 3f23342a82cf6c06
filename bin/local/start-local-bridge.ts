import http from 'node:http';
import { type AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { NO_SUCH_ROUTE } from '../../functions/bridge/served-routes';
import { matchRoute, toApiGatewayEvent } from './api-gateway-event';
import { localLambdaContext } from './lambda-context';

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface LocalBridgeOptions {
  handler: ProxyHandler;
  /** @default 3000; 0 picks a free port */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Lambda timeout to count down from. @default 12000 */
  timeoutMs?: number;
}

export interface LocalBridge {
  url: string;
  close(): Promise<void>;
}

// API Gateway's own payload limit is 10 MB; nothing Konnect sends comes near 1 MiB.
const MAX_BODY_BYTES = 1024 * 1024;

const NO_ROUTE = JSON.stringify(NO_SUCH_ROUTE);

const invalidRequest = (description: string) =>
  JSON.stringify({ error: 'invalid_request', error_description: description });

/** Serves a Lambda proxy handler over plain HTTP, the way the deployed API Gateway stage does. */
export async function startLocalBridge(options: LocalBridgeOptions): Promise<LocalBridge> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    serve(options, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'server_error', error_description: 'The local server failed.' }));
    });
  });
  // Node answers these itself, with bare bodies (or none); API Gateway's answers keep the contract's shape.
  server.on('clientError', answerUnparsable);
  server.on('connect', (_req: http.IncomingMessage, socket: Duplex) => answerRaw(socket, 404, NO_ROUTE));
  server.on('checkExpectation', (_req: http.IncomingMessage, res: http.ServerResponse) =>
    send(res, 417, invalidRequest('Only "Expect: 100-continue" is supported.')),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function serve(options: LocalBridgeOptions, req: http.IncomingMessage, res: http.ServerResponse) {
  const target = requestTarget(req.url ?? '');
  const route = target && matchRoute(req.method ?? '', target.path);
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, invalidRequest('Request body too large.'));
  // API Gateway answers unknown routes itself; the stack maps that to this body.
  if (!target || !route) return send(res, 404, NO_ROUTE);
  const event = toApiGatewayEvent(
    {
      method: req.method ?? '',
      url: target.url,
      path: target.path,
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '',
    },
    route,
  );
  const result = await options.handler(event, localLambdaContext(options.timeoutMs ?? 12000));
  res.writeHead(result.statusCode, stringHeaders(result.headers));
  res.end(result.body);
}

// Absolute-form targets (RFC 9112 section 3.2.2) name the scheme and host before the path.
const SCHEME_AND_AUTHORITY = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?]*/;

/**
 * The path exactly as sent, and a URL for the query string. Not `new URL(target, base)`: that reads
 * "//x/abc" as host x and path /abc, resolves "/x/../abc" to /abc (either way another client's
 * path), and throws on "//[" (a 500 for a client's typo).
 */
function requestTarget(target: string): { path: string; url: URL } | undefined {
  const absolute = SCHEME_AND_AUTHORITY.test(target);
  if (absolute && !URL.canParse(target)) return undefined;
  const originForm = absolute ? target.replace(SCHEME_AND_AUTHORITY, '') || '/' : target;
  if (!originForm.startsWith('/')) return undefined;
  const queryAt = originForm.indexOf('?');
  const path = queryAt === -1 ? originForm : originForm.slice(0, queryAt);
  const query = queryAt === -1 ? '' : originForm.slice(queryAt);
  return { path, url: new URL(`http://local/${query}`) };
}

/** A request Node cannot parse (bad method, header or target; headers too large) still gets a contract error. */
function answerUnparsable(error: NodeJS.ErrnoException, socket: Duplex) {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, description] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'The request did not arrive in time.']
        : [400, 'The request is not valid HTTP/1.1.'];
  answerRaw(socket, status, invalidRequest(description));
}

// How long an answered socket Node has handed over may wait for its client to hang up.
const LINGER_MS = 2000;

/**
 * Answers on a socket Node no longer manages, then reads and drops what the client still sends
 * until it hangs up: closing on unread input would reset the connection, which can cost the client
 * the answer, and a paused socket would keep `close()` waiting forever.
 */
function answerRaw(socket: Duplex, status: number, body: string) {
  socket.end(rawAnswer(status, body));
  socket.resume();
  if (socket instanceof Socket) socket.setTimeout(LINGER_MS, () => socket.destroy());
}

function rawAnswer(status: number, body: string): string {
  return [
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(body)}`,
    'connection: close',
    '',
    body,
  ].join('\r\n');
}

function send(res: http.ServerResponse, status: number, body: string) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(body);
}

async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function stringHeaders(headers: APIGatewayProxyResult['headers']): Record<string, string> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name, String(value)]));
}
