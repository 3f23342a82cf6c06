import net from 'node:net';
import type { FuzzCase } from './fuzz-case';

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The case as bytes on the wire. A raw socket, because fetch and node:http refuse to send what a
 * fuzzer wants to send: control characters, unknown methods, unencoded paths, repeated headers.
 */
export function requestBytes(fuzzCase: FuzzCase, host: string): Buffer {
  const lines = [`${fuzzCase.method} ${fuzzCase.rawPath} HTTP/1.1`, `Host: ${host}`];
  for (const [name, value] of fuzzCase.headers) lines.push(`${name}: ${value}`);
  const body = fuzzCase.body === null ? undefined : Buffer.from(fuzzCase.body, 'utf8');
  if (body) lines.push(`Content-Length: ${body.length}`);
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'utf8');
  return body ? Buffer.concat([head, body]) : head;
}

/** Sends the bytes, reads until the server closes, and parses the (final) response. Bounded by `timeoutMs`. */
export function sendRaw(port: number, bytes: Buffer, method: string, timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let failure: Error | undefined;
    // Written, not ended: Node's server drops a request whose client half-closes before the
    // answer. "Connection: close" makes the server close once it has answered.
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(bytes);
    });
    socket.setTimeout(timeoutMs, () => {
      failure = new Error(`no complete answer within ${timeoutMs} ms`);
      socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may answer and close before it has read everything (413, 431): keep what came.
    socket.on('error', (error) => {
      failure ??= error;
    });
    socket.on('close', () => {
      const received = Buffer.concat(chunks);
      try {
        resolve(parseResponse(received, method));
      } catch (parseError) {
        reject(failure ?? parseError);
      }
    });
  });
}

/** HTTP/1.1 response parsing: skips 1xx interim answers, reads Content-Length or chunked bodies. */
export function parseResponse(received: Buffer, method: string): RawAnswer {
  let rest = received;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) throw new Error(`no complete response: ${JSON.stringify(received.toString('latin1').slice(0, 200))}`);
    const [statusLine = '', ...headerLines] = rest.subarray(0, end).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
    if (!Number.isInteger(status)) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    rest = rest.subarray(end + 4);
    if (status >= 100 && status < 200) continue;
    if (method === 'HEAD' || status === 204 || status === 304) return { status, headers, body: '' };
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') return { status, headers, body: dechunk(rest) };
    const length = headers['content-length'];
    const body = length === undefined ? rest : rest.subarray(0, Number(length));
    return { status, headers, body: body.toString('utf8') };
  }
}

function dechunk(data: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) throw new Error('truncated chunked body');
    const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isInteger(size)) throw new Error('bad chunk size');
    if (size === 0) return Buffer.concat(parts).toString('utf8');
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}
