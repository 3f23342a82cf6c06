import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to one request. "Forwarded" faults let the real IdP act first (a client is
 * created), then spoil the answer: the cases where a create may have succeeded but its answer is lost.
 */
export type Fault =
  /** Answers itself, without forwarding: the IdP (or its rate limiter) refused before doing anything. */
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: string }
  /** Forwarded, then the connection is dropped without a byte of answer. */
  | { kind: 'reset-before-answer' }
  /** Forwarded, then the status, headers and half the body are sent, and the connection is dropped. */
  | { kind: 'reset-mid-response' }
  /** Forwarded, then never answered. */
  | { kind: 'hang' }
  /** Forwarded, then the answer dribbles out one byte per `everyMs`. */
  | { kind: 'trickle'; everyMs: number }
  /** Forwarded, then answered with `status` and this body instead of the IdP's (`chunked`: no length). */
  | { kind: 'replace'; status: number; body: (real: string) => string; chunked?: boolean }
  /** Forwarded once `until` resolves, then passed through. */
  | { kind: 'hold'; until: Promise<unknown> };

interface Rule {
  method: string;
  path: RegExp;
  fault: Fault;
  remaining: number;
}

interface Upstream {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface FaultProxy {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Every request received, as "METHOD /path", in order. */
  calls: string[];
  /** The next `times` requests matching method and path get this fault; others pass through. */
  inject(method: string, path: RegExp, fault: Fault, times?: number): void;
  /** Drops the faults not used up. */
  clearFaults(): void;
  /** Stops listening (new connections are refused) until `resume`; the port is kept. */
  refuseConnections(): Promise<void>;
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 in front of a real IdP, for fault injection. It rewrites the IdP's
 * origin to its own in answers, so RFC 7592 client URIs lead back through it.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const rules: Rule[] = [];
  const calls: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let origin = '';

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      calls.push(`${req.method} ${path.split('?')[0]}`);
      const rule = rules.find((r) => r.method === req.method && r.path.test(path) && r.remaining > 0);
      if (rule) rule.remaining -= 1;
      const body = Buffer.concat(chunks);
      serve(rule?.fault, req, res, () => forward(req, body)).catch(() => res.destroy());
    });
  });

  async function forward(req: http.IncomingMessage, body: Buffer): Promise<Upstream> {
    const headers = { ...req.headers, host: targetUrl.host };
    const upstream = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = http.request(
        { host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers },
        resolve,
      );
      request.on('error', reject);
      request.end(body);
    });
    const parts: Buffer[] = [];
    for await (const part of upstream) parts.push(part as Buffer);
    const text = Buffer.concat(parts).toString('utf8').replaceAll(targetUrl.origin, origin);
    return { status: upstream.statusCode ?? 502, headers: upstream.headers, body: text };
  }

  async function serve(
    fault: Fault | undefined,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    pass: () => Promise<Upstream>,
  ): Promise<void> {
    if (fault?.kind === 'answer') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
      res.end(fault.body ?? '');
      return;
    }
    if (fault?.kind === 'hold') await fault.until;
    const upstream = await pass();
    const json = { 'content-type': String(upstream.headers['content-type'] ?? 'application/json') };
    switch (fault?.kind) {
      case 'reset-before-answer':
        req.socket.destroy();
        return;
      case 'reset-mid-response': {
        const half = upstream.body.slice(0, Math.floor(upstream.body.length / 2));
        res.writeHead(upstream.status, { ...json, 'content-length': String(Buffer.byteLength(upstream.body)) });
        res.write(half, () => later(20, () => res.socket?.destroy()));
        return;
      }
      case 'hang':
        return;
      case 'trickle': {
        res.writeHead(upstream.status, json);
        let sent = 0;
        const drip = setInterval(() => {
          if (sent >= upstream.body.length) return res.end();
          res.write(upstream.body[sent]);
          sent += 1;
        }, fault.everyMs);
        timers.add(drip);
        res.on('close', () => {
          clearInterval(drip);
          timers.delete(drip);
        });
        return;
      }
      case 'replace': {
        const replaced = fault.body(upstream.body);
        const length = fault.chunked ? {} : { 'content-length': String(Buffer.byteLength(replaced)) };
        res.writeHead(fault.status, { 'content-type': 'application/json', ...length });
        res.end(replaced);
        return;
      }
      default: {
        const {
          'content-length': _length,
          'transfer-encoding': _encoding,
          connection: _connection,
          ...rest
        } = upstream.headers;
        res.writeHead(upstream.status, { ...rest, 'content-length': String(Buffer.byteLength(upstream.body)) });
        res.end(upstream.body);
      }
    }
  }

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      // Connections left hanging on purpose must not keep the server (or jest) alive.
      server.closeAllConnections();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: origin,
    calls,
    inject: (method, path, fault, times = 1) => {
      rules.push({ method, path, fault, remaining: times });
    },
    clearFaults: () => {
      rules.length = 0;
    },
    refuseConnections: stop,
    resume: () => listen(port),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (server.listening) await stop();
    },
  };
}
