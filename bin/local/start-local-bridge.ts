import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
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

const NO_ROUTE = JSON.stringify({
  error: 'not_found',
  error_description:
    'No such route. The bridge serves POST /, DELETE /{clientId}, POST /{clientId}/new-secret, POST /{clientId}/event-hook.',
});

/** Serves a Lambda proxy handler over plain HTTP, the way the deployed API Gateway stage does. */
export async function startLocalBridge(options: LocalBridgeOptions): Promise<LocalBridge> {
  const host = options.host ?? '127.0.0.1';
  const server = http.createServer((req, res) => {
    serve(options, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'server_error', error_description: 'The local server failed.' }));
    });
  });
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
  const url = new URL(req.url ?? '/', 'http://local');
  const route = matchRoute(req.method ?? '', url.pathname);
  const body = await readBody(req);
  if (body === undefined)
    return send(res, 413, JSON.stringify({ error: 'invalid_request', error_description: 'Request body too large.' }));
  // API Gateway answers unknown routes itself; the stack maps that to this body.
  if (!route) return send(res, 404, NO_ROUTE);
  const event = toApiGatewayEvent(
    { method: req.method ?? '', url, headers: req.headers, body, sourceIp: req.socket.remoteAddress ?? '' },
    route,
  );
  const result = await options.handler(event, localLambdaContext(options.timeoutMs ?? 12000));
  res.writeHead(result.statusCode, stringHeaders(result.headers));
  res.end(result.body);
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
