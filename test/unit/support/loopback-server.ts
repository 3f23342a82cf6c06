import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the loopback server saw it, body fully read. */
export interface RecordedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type LoopbackHandler = (request: RecordedRequest, response: http.ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  /** http://127.0.0.1:PORT, without a trailing slash. */
  url: string;
  port: number;
  /** Every request received since start or the last reset(), in order. */
  requests: RecordedRequest[];
  handle(handler: LoopbackHandler): void;
  reset(): void;
  close(): Promise<void>;
}

const notConfigured: LoopbackHandler = (_request, response) => sendJson(response, 500, { error: 'no handler' });

/** A node:http server on 127.0.0.1 and a free port; the handler can be swapped per test. */
export async function startLoopbackServer(initial: LoopbackHandler = notConfigured): Promise<LoopbackServer> {
  let handler = initial;
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch(() => {
        if (!res.headersSent) res.writeHead(599);
        res.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    handle: (next) => {
      handler = next;
    },
    reset: () => {
      requests.length = 0;
      handler = notConfigured;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Requests the tests left hanging on purpose must not keep jest alive.
        server.closeAllConnections();
      }),
  };
}

export function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

/** A port on 127.0.0.1 that nothing listens on any more (listen, note the port, close). */
export async function deadPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
