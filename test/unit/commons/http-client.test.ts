import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient, mayHaveReachedIdp } from '../../../functions/commons/http-client';
import { forgetKnownSecrets } from '../../../functions/commons/known-secrets';
import { redactSecretValues } from '../../../functions/commons/redaction';
import { captureOutputPerTest } from '../../support/captured-output';
import { bridgeErrorOf } from '../support/bridge-error-of';
import { deadPort, type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';

const MIB = 1024 * 1024;
// Every call in this file is bounded: the client's own timeout, and this deadline on top.
const deadline = () => AbortSignal.timeout(5000);

describe('HttpClient', () => {
  // Every call writes IdpLatency as EMF to stdout; test/unit/observability asserts on it.
  captureOutputPerTest();
  let server: LoopbackServer;
  const client = new HttpClient({ idpName: 'test-idp', callTimeoutMs: 2000 });

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
  });

  describe('answers', () => {
    it('parses a JSON body and returns status and headers', async () => {
      server.handle((_request, response) => sendJson(response, 201, { client_id: 'c1' }, { 'x-trace': 't1' }));

      const answer = await client.send({ method: 'GET', url: `${server.url}/thing` }, deadline());

      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({ client_id: 'c1' });
      expect(answer.headers.get('x-trace')).toBe('t1');
    });

    it('returns error statuses as answers, not as exceptions', async () => {
      server.handle((_request, response) => sendJson(response, 500, { error: 'server_error' }));

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect(answer).toMatchObject({ status: 500, body: { error: 'server_error' } });
    });

    it('gives body undefined for a non-JSON body', async () => {
      server.handle((_request, response) => {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<html><body>Bad gateway</body></html>');
      });

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect(answer.status).toBe(502);
      expect(answer.body).toBeUndefined();
    });

    it('gives body undefined for an empty body', async () => {
      server.handle((_request, response) => {
        response.writeHead(204);
        response.end();
      });

      const answer = await client.send({ method: 'DELETE', url: server.url }, deadline());

      expect(answer.status).toBe(204);
      expect(answer.body).toBeUndefined();
    });

    it('accepts a body of exactly 1 MiB', async () => {
      const text = JSON.stringify({ padding: 'p'.repeat(MIB - 14) });
      expect(Buffer.byteLength(text)).toBe(MIB);
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MIB) });
        response.end(text);
      });

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect((answer.body as { padding: string }).padding).toHaveLength(MIB - 14);
    });
  });

  describe('requests', () => {
    it('sends a json body as application/json', async () => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      await client.send(
        { method: 'POST', url: `${server.url}/register`, json: { client_name: 'App', scope: 'a b' } },
        deadline(),
      );

      const [request] = server.requests;
      expect(request?.method).toBe('POST');
      expect(request?.url).toBe('/register');
      expect(request?.headers['content-type']).toBe('application/json');
      expect(request?.headers.accept).toBe('application/json');
      expect(JSON.parse(request?.body ?? '')).toEqual({ client_name: 'App', scope: 'a b' });
    });

    it('sends a form body as application/x-www-form-urlencoded', async () => {
      server.handle((_request, response) => sendJson(response, 200, { access_token: 't' }));

      await client.send(
        {
          method: 'POST',
          url: `${server.url}/token`,
          headers: { authorization: 'Basic abc' },
          form: { grant_type: 'client_credentials', scope: 'dcr other&x=y' },
        },
        deadline(),
      );

      const [request] = server.requests;
      expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(request?.headers.authorization).toBe('Basic abc');
      expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
        grant_type: 'client_credentials',
        scope: 'dcr other&x=y',
      });
    });

    it('sends no body and no content-type without json or form', async () => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      await client.send({ method: 'GET', url: server.url, headers: { authorization: 'Bearer rat' } }, deadline());

      const [request] = server.requests;
      expect(request?.method).toBe('GET');
      expect(request?.headers['content-type']).toBeUndefined();
      expect(request?.headers.authorization).toBe('Bearer rat');
      expect(request?.body).toBe('');
    });

    it.each(['PUT', 'PATCH', 'DELETE'] as const)('sends %s as the method', async (method) => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      await client.send({ method, url: server.url, json: {} }, deadline());

      expect(server.requests[0]?.method).toBe(method);
    });
  });

  describe('transport failures', () => {
    it('turns a refused connection into 502 idp_error without the address', async () => {
      const port = await deadPort();

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: `http://127.0.0.1:${port}/x` }, deadline()));

      expect(error.statusCode).toBe(502);
      expect(error.error).toBe('idp_error');
      expect(error.description).toContain('test-idp');
      expect(error.description).not.toContain('127.0.0.1');
      expect(error.description).not.toContain(String(port));
    });

    it('turns a connection the server drops into 502', async () => {
      server.handle((_request, response) => {
        response.socket?.destroy();
      });

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, deadline()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    });

    it('turns a server that never answers into 504 idp_timeout after callTimeoutMs', async () => {
      server.handle(() => undefined);
      const quick = new HttpClient({ idpName: 'slow-idp', callTimeoutMs: 200 });

      const error = await bridgeErrorOf(quick.send({ method: 'GET', url: server.url }, deadline()));

      expect(error.statusCode).toBe(504);
      expect(error.error).toBe('idp_timeout');
      expect(error.description).toContain('slow-idp');
      expect(server.requests).toHaveLength(1);
    });

    it('turns a body that stops halfway into 504 when the call times out while reading', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"client_id":');
      });
      const quick = new HttpClient({ idpName: 'slow-idp', callTimeoutMs: 200 });

      const error = await bridgeErrorOf(quick.send({ method: 'GET', url: server.url }, deadline()));

      expect(error).toMatchObject({ statusCode: 504, error: 'idp_timeout' });
    });

    it('answers 504 at once for a deadline already passed, without a request', async () => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, AbortSignal.abort()));

      expect(error).toMatchObject({ statusCode: 504, error: 'idp_timeout' });
      expect(server.requests).toHaveLength(0);
    });

    it('answers 504 when the caller deadline passes before the call timeout', async () => {
      server.handle(() => undefined);
      const patient = new HttpClient({ idpName: 'test-idp', callTimeoutMs: 60_000 });

      const error = await bridgeErrorOf(patient.send({ method: 'GET', url: server.url }, AbortSignal.timeout(150)));

      expect(error).toMatchObject({ statusCode: 504, error: 'idp_timeout' });
    });

    it('answers 504 when the caller deadline is aborted by hand mid-call', async () => {
      const controller = new AbortController();
      server.handle(() => {
        controller.abort();
      });
      const patient = new HttpClient({ idpName: 'test-idp', callTimeoutMs: 60_000 });

      const error = await bridgeErrorOf(patient.send({ method: 'GET', url: server.url }, controller.signal));

      expect(error).toMatchObject({ statusCode: 504, error: 'idp_timeout' });
    });
  });

  // Issue 9 finding 4: fetch followed a 307 from the token endpoint and re-POSTed the bridge's
  // Basic credentials to whatever origin the Location named.
  describe('redirects', () => {
    let elsewhere: LoopbackServer;

    beforeAll(async () => {
      elsewhere = await startLoopbackServer((_request, response) => sendJson(response, 200, { access_token: 'x' }));
    });
    afterAll(async () => {
      await elsewhere.close();
    });
    beforeEach(() => {
      elsewhere.requests.length = 0;
    });

    it.each([301, 302, 303, 307, 308])(
      'never follows a %i: nothing reaches the target, the answer is 502 naming the status',
      async (status) => {
        server.handle((_request, response) => {
          response.writeHead(status, { location: `${elsewhere.url}/token` });
          response.end();
        });

        const error = await bridgeErrorOf(
          client.send(
            {
              method: 'POST',
              url: `${server.url}/token`,
              headers: { authorization: 'Basic YnJpZGdlOmJyaWRnZS1jbGllbnQtc2VjcmV0' },
              form: { grant_type: 'client_credentials', client_secret: 'bridge-client-secret' },
            },
            deadline(),
          ),
        );

        expect(server.requests).toHaveLength(1);
        expect(elsewhere.requests).toEqual([]);
        expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
        expect(error.description).toContain(`answered ${status} (a redirect)`);
        expect(error.description).not.toContain('127.0.0.1');
        // A 303 after a POST may mean it was acted on: the caller must treat it as possibly received.
        expect(mayHaveReachedIdp(error)).toBe(true);
      },
    );
  });

  describe('credentials it handles', () => {
    beforeEach(() => forgetKnownSecrets());

    it('remembers what it sends and what the IdP issues, so that redaction masks them anywhere', async () => {
      server.handle((_request, response) =>
        sendJson(response, 201, {
          client_id: 'c1',
          client_secret: 'issued-secret-42',
          registration_access_token: 'rat-42',
        }),
      );

      await client.send(
        {
          method: 'PUT',
          url: `${server.url}/register/c1`,
          headers: { Authorization: 'Bearer sent-rat-0042' },
          json: { client_id: 'c1', client_secret: 'sent-secret-0042' },
        },
        deadline(),
      );

      expect(redactSecretValues('sent-rat-0042 sent-secret-0042 issued-secret-42 c1')).toBe(
        '[redacted] [redacted] [redacted] c1',
      );
    });
  });

  // Issue 10: node:http instead of fetch. What fetch did implicitly is pinned here.
  describe('on node:http', () => {
    it('reads answer headers whatever the case of the name asked for', async () => {
      server.handle((_request, response) => sendJson(response, 200, {}, { 'X-Okta-Request-Id': 'req-1' }));

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect(answer.headers.get('X-OKTA-REQUEST-ID')).toBe('req-1');
      expect(answer.headers.has('x-okta-request-id')).toBe(true);
      expect(answer.headers.get('absent')).toBeNull();
    });

    it('asks for an uncompressed answer, and still understands a gzipped one', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(gzipSync(JSON.stringify({ client_id: 'zipped' })));
      });

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect(server.requests[0]?.headers['accept-encoding']).toBe('identity');
      expect(answer.body).toEqual({ client_id: 'zipped' });
    });

    it('refuses a compressed answer that grows past 1 MiB', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        response.end(gzipSync(JSON.stringify({ padding: 'p'.repeat(2 * MIB) })));
      });

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, deadline()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('larger than 1 MiB');
    });

    it('joins a chunked body, a character split across chunks included', async () => {
      const bytes = Buffer.from(JSON.stringify({ client_name: 'Café €' }));
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < bytes.length; i += 3) response.write(bytes.subarray(i, i + 3));
        response.end();
      });

      const answer = await client.send({ method: 'GET', url: server.url }, deadline());

      expect(answer.body).toEqual({ client_name: 'Café €' });
    });

    it('sends a json body with its content-length, not chunked', async () => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      await client.send({ method: 'POST', url: server.url, json: { client_name: 'Café' } }, deadline());

      const [request] = server.requests;
      expect(request?.headers['content-length']).toBe(String(Buffer.byteLength(request?.body ?? '')));
      expect(request?.headers['transfer-encoding']).toBeUndefined();
    });

    it('keeps the connection alive between calls', async () => {
      const ports: number[] = [];
      const keepAlive = http.createServer((request, response) => {
        ports.push(request.socket.remotePort ?? 0);
        sendJson(response, 200, {});
      });
      await new Promise<void>((resolve) => keepAlive.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(keepAlive.address() as AddressInfo).port}/`;
      try {
        await client.send({ method: 'GET', url }, deadline());
        await client.send({ method: 'POST', url, json: {} }, deadline());
      } finally {
        await new Promise((resolve) => keepAlive.close(resolve));
      }

      expect(ports).toHaveLength(2);
      expect(ports[1]).toBe(ports[0]);
    });

    it('knows a refused connection sent nothing', async () => {
      const port = await deadPort();

      const error = await bridgeErrorOf(
        client.send({ method: 'POST', url: `http://127.0.0.1:${port}/`, json: {} }, deadline()),
      );

      expect(error.statusCode).toBe(502);
      expect(mayHaveReachedIdp(error)).toBe(false);
    });

    it.each([
      ['dropped before any answer', (response: http.ServerResponse) => response.socket?.destroy()],
      [
        'dropped halfway through the answer',
        (response: http.ServerResponse) => {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          response.write('{"client_id":', () => response.socket?.destroy());
        },
      ],
    ])('knows a connection %s after the request may have been acted on: 502', async (_label, answer) => {
      server.handle((_request, response) => answer(response));

      const error = await bridgeErrorOf(client.send({ method: 'POST', url: server.url, json: {} }, deadline()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(server.requests).toHaveLength(1);
      expect(mayHaveReachedIdp(error)).toBe(true);
    });

    it.each([
      ['a URL with credentials', (url: string) => url.replace('http://', 'http://user:pass@')],
      ['another scheme', (url: string) => url.replace('http://', 'ftp://')],
      ['no URL at all', () => 'not a url'],
    ])('refuses %s without sending anything: 502', async (_label, spoil) => {
      server.handle((_request, response) => sendJson(response, 200, {}));

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: spoil(server.url) }, deadline()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(server.requests).toHaveLength(0);
      expect(mayHaveReachedIdp(error)).toBe(false);
    });
  });

  describe('oversized answers', () => {
    it('refuses a declared content-length over 1 MiB with 502', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(MIB + 1) });
        response.end(`"${'x'.repeat(MIB - 1)}"`);
      });

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, deadline()));

      expect(error.statusCode).toBe(502);
      expect(error.error).toBe('idp_error');
      expect(error.description).toContain('larger than 1 MiB');
    });

    it('refuses a chunked body without content-length once it passes 1 MiB', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'x'.repeat(64 * 1024);
        // 17 chunks of 64 KiB: one past 1 MiB.
        for (let i = 0; i < 17; i++) response.write(chunk);
        response.end();
      });

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, deadline()));

      expect(server.requests).toHaveLength(1);
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('larger than 1 MiB');
    });

    it('refuses an endless chunked body without waiting for its end', async () => {
      server.handle((_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        const chunk = 'y'.repeat(64 * 1024);
        const pump = () => {
          while (!response.destroyed && response.write(chunk)) {}
          if (!response.destroyed) response.once('drain', pump);
        };
        response.on('error', () => undefined);
        pump();
      });

      const error = await bridgeErrorOf(client.send({ method: 'GET', url: server.url }, deadline()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('larger than 1 MiB');
    });
  });
});
