import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type LocalBridge, startLocalBridge } from '../../bin/local/start-local-bridge';
import { parseResponse, type RawAnswer, sendRaw } from './support/raw-http';

/**
 * What the HTTP fuzzing found in the local server (the HTTP-to-event path), one example each.
 * The handler is a stub that records events, so each test shows whether a request reached it.
 */
describe('local server: requests the fuzzer found mishandled', () => {
  let bridge: LocalBridge;
  let port: number;
  const events: APIGatewayProxyEvent[] = [];

  beforeAll(async () => {
    bridge = await startLocalBridge({
      port: 0,
      handler: async (event) => {
        events.push(event);
        return { statusCode: 204, headers: { 'content-type': 'application/json' }, body: '' };
      },
    });
    port = Number(new URL(bridge.url).port);
  });

  afterAll(async () => {
    await bridge?.close();
  });

  /** Sends raw bytes and returns the answer and whether the handler saw the request. */
  async function send(request: string, method = request.split(' ')[0] ?? 'GET') {
    const before = events.length;
    const answer = await sendRaw(port, Buffer.from(request, 'utf8'), method);
    return { answer, reachedHandler: events.length > before, event: events.at(-1) };
  }

  const request = (method: string, target: string, headers: string[] = []) =>
    [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, 'Connection: close', '', ''].join('\r\n');

  function expectContractError(answer: RawAnswer, status: number, error: string) {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toBe('application/json');
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['error', 'error_description']);
    expect(body.error).toBe(error);
  }

  it.each([
    ['a control character in a header value', request('DELETE', '/abc', ['X-Note: a\u0001b']), 400],
    ['an unknown method', request('FOO', '/abc'), 400],
    ['a raw non-ASCII path', request('DELETE', '/ab\u00e9c'), 400],
    ['headers over 16 KiB', request('DELETE', '/abc', [`X-Big: ${'h'.repeat(20_000)}`]), 431],
  ])(
    'answers a request Node cannot parse (%s) with a contract error, not a bare status line',
    async (_label, raw, status) => {
      // Was: "HTTP/1.1 400 Bad Request" (or 431) with no Content-Type and no body.
      const { answer, reachedHandler } = await send(raw);

      expectContractError(answer, status, 'invalid_request');
      expect(reachedHandler).toBe(false);
    },
  );

  it.each([
    ['POST', '//'],
    ['DELETE', '//[/abc'],
    ['DELETE', 'http://[x/abc'],
  ])('answers %s %s with the no-route 404, not a 500', async (method, target) => {
    // Was: 500 "The local server failed.": new URL(target, base) threw on the bracket or the empty host.
    const { answer, reachedHandler } = await send(request(method, target));

    expectContractError(answer, 404, 'not_found');
    expect(reachedHandler).toBe(false);
  });

  it.each([
    ['//evil.example/abc', 'the first segment read as a host'],
    ['/x/../abc', 'a dot segment resolved away'],
    ['/x/%2e%2e/abc', 'an encoded dot segment resolved away'],
  ])('does not turn DELETE %s into a delete of client "abc" (%s)', async (target) => {
    // Was: 204 after the handler got clientId "abc": the path was resolved before matching.
    const { answer, reachedHandler } = await send(request('DELETE', target));

    expectContractError(answer, 404, 'not_found');
    expect(reachedHandler).toBe(false);
  });

  it('routes on the path as sent, and hands the handler that path and the decoded id', async () => {
    const { answer, event } = await send(request('DELETE', '/%41bc?x=1'));

    expect(answer.status).toBe(204);
    expect(event?.path).toBe('/%41bc');
    expect(event?.pathParameters).toEqual({ clientId: 'Abc' });
    expect(event?.queryStringParameters).toEqual({ x: '1' });
  });

  it('still serves an absolute-form request target', async () => {
    const { answer, event } = await send(request('DELETE', 'http://127.0.0.1/abc'));

    expect(answer.status).toBe(204);
    expect(event?.pathParameters).toEqual({ clientId: 'abc' });
  });

  it('answers CONNECT with the no-route 404 instead of dropping the connection', async () => {
    // Was: the socket closed without a byte, as Node does when nothing listens for "connect".
    const { answer, reachedHandler } = await send(request('CONNECT', '/abc'));

    expectContractError(answer, 404, 'not_found');
    expect(reachedHandler).toBe(false);
  });

  it('answers an Expect it does not support with a contract error', async () => {
    // Was: Node's bare 417 with an empty chunked body.
    const { answer, reachedHandler } = await send(request('DELETE', '/abc', ['Expect: something-else']));

    expectContractError(answer, 417, 'invalid_request');
    expect(reachedHandler).toBe(false);
  });

  it('still closes after refusing an unparsable request whose body it never read', async () => {
    // A refused socket left paused with the body unread would keep close() waiting forever
    // (the first version of the fix above did that; the HTTP fuzzing hung on it).
    const other = await startLocalBridge({ port: 0, handler: async () => ({ statusCode: 204, body: '' }) });
    const otherPort = Number(new URL(other.url).port);
    const body = 'x'.repeat(300_000);
    const raw = `POST / HTTP/1.1\r\nHost: a\r\nContent-Type: a\u0001b\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await sendRaw(otherPort, Buffer.from(raw), 'POST');
    expect(answer.status).toBe(400);

    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      other.close().then(() => 'closed'),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 5000, 'still open');
      }),
    ]);
    clearTimeout(timer);
    expect(closed).toBe('closed');
  });

  it('parses the answers it relies on: interim 100 Continue skipped, chunked bodies joined', () => {
    const raw = Buffer.from(
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n3\r\n{"a\r\n4\r\n":1}\r\n0\r\n\r\n',
    );

    expect(parseResponse(raw, 'POST')).toEqual({
      status: 400,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: '{"a":1}',
    });
  });
});
