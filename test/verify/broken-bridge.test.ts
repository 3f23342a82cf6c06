import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { runVerify } from '../../bin/verify/run-verify';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { deadPort, type LoopbackServer, sendJson, startLoopbackServer } from '../unit/support/loopback-server';
import { forward, reply } from './support/bridge-proxy';
import { verifyRunner } from './support/verify-run';

const KEY = 'broken_bridge_key_0123456789';

const NEW_SECRET = /^\/([^/]+)\/new-secret$/;

describe('verify against bridges that are broken on purpose', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;
  let broken: LoopbackServer;
  let clientsBefore: number;

  const verify = verifyRunner({ url: () => broken.url, key: KEY, tokenEndpoint: () => idp.tokenEndpoint });

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('expected the embedded IdP');
    idp = bridge.local.idp;
    broken = await startLoopbackServer();
  });

  afterEach(() => {
    broken.reset();
  });

  afterAll(async () => {
    await broken?.close();
    await bridge?.stop();
  });

  const bridgeUrl = () => bridge.local.bridgeUrl;

  it('fails when new-secret hands back the old secret ("old secret still works"), and still deletes the client', async () => {
    clientsBefore = idp.clientCount();
    const secrets = new Map<string, string>();
    broken.handle(async (request, response) => {
      const rotate = NEW_SECRET.exec(request.url);
      if (request.method === 'POST' && rotate?.[1] && secrets.has(rotate[1])) {
        // The broken part: claims a rotation and returns the secret the client already has.
        return sendJson(response, 200, { client_id: rotate[1], client_secret: secrets.get(rotate[1]) });
      }
      const answer = await forward(bridgeUrl(), request);
      if (request.method === 'POST' && request.url === '/' && answer.status === 201) {
        const created = JSON.parse(answer.text) as { client_id: string; client_secret: string };
        secrets.set(created.client_id, created.client_secret);
      }
      reply(response, answer);
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('rotate secret (POST /{id}/new-secret)')).toBe('fail');
    expect(result.text).toContain('why: the bridge handed back the old secret: rotation did not take effect');
    expect(result.status('old secret refused by the IdP')).toBe('fail');
    expect(result.text).toContain('why: the old secret still works: rotation did not revoke it');
    // The rest of the run still happened, the client included in the delete.
    expect(result.status('delete application (DELETE /{id})')).toBe('pass');
    expect(result.text).toMatch(/verify: FAILED — \d+ passed, 2 failed/);
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('fails with "the IdP refused the new secret" when the secret handed to Konnect is not the one the IdP holds', async () => {
    clientsBefore = idp.clientCount();
    broken.handle(async (request, response) => {
      const answer = await forward(bridgeUrl(), request);
      if (request.method === 'POST' && NEW_SECRET.test(request.url) && answer.status === 200) {
        // The broken part: the IdP rotated, but Konnect is told some other secret.
        const rotated = JSON.parse(answer.text) as { client_id: string };
        return sendJson(response, 200, {
          client_id: rotated.client_id,
          client_secret: randomBytes(24).toString('hex'),
        });
      }
      reply(response, answer);
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('rotate secret (POST /{id}/new-secret)')).toBe('pass');
    expect(result.status('old secret refused by the IdP')).toBe('pass');
    expect(result.status('new secret accepted by the IdP')).toBe('fail');
    expect(result.text).toContain(
      'why: the IdP refused the new secret (401 invalid_client): rotation did not take effect',
    );
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('fails when the bridge answers a create without a key, and deletes that client too', async () => {
    clientsBefore = idp.clientCount();
    // The broken part: a proxy that "helpfully" adds the key to every call.
    broken.handle(async (request, response) => reply(response, await forward(bridgeUrl(), request, { key: KEY })));

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('no X-API-KEY → 401')).toBe('fail');
    expect(result.status('wrong X-API-KEY → 401')).toBe('fail');
    expect(result.text).toContain(
      'why: the bridge created a client for a create without X-API-KEY: anyone who finds the bridge URL can create clients at the IdP',
    );
    expect(result.text).toMatch(/PASS {2}cleanup: delete \S+ +204/);
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('names the client it could not delete when every delete fails', async () => {
    clientsBefore = idp.clientCount();
    broken.handle(async (request, response) => {
      if (request.method === 'DELETE') {
        return sendJson(response, 500, { error: 'server_error', error_description: 'The bridge failed.' });
      }
      reply(response, await forward(bridgeUrl(), request));
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.text).toContain(
      'why: the bridge answered 500 instead of 204 to the delete call (500 server_error: The bridge failed.)',
    );
    const leftOver = /cleanup: delete (\S+)/.exec(result.text)?.[1];
    expect(leftOver).toBeDefined();
    expect(result.text).toContain(`client ${leftOver} (named dcr-bridge-verify-`);
    expect(result.text).toContain('may remain at the IdP: delete it there');
    expect(idp.clientCount()).toBe(clientsBefore + 1);

    // Not verify's job any more: remove the leftover through the real bridge.
    const deleted = await fetch(`${bridgeUrl()}/${leftOver}`, { method: 'DELETE', headers: { 'x-api-key': KEY } });
    expect(deleted.status).toBe(204);
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('reports a bridge that never answers as a timeout, naming the client to look for at the IdP', async () => {
    broken.handle(() => undefined);

    const result = await verify({ timeoutMs: 300 });

    expect(result.exitCode).toBe(1);
    expect(result.text).toMatch(
      /why: the bridge did not answer within 300 ms; if a client named dcr-bridge-verify-\S+ appears at the IdP, delete it there/,
    );
    expect(result.status('no X-API-KEY → 401')).toBe('fail');
    expect(result.text).toContain('why: the bridge did not answer within 300 ms');
  });

  describe('with an IdP that takes a moment to accept a new secret (like Auth0)', () => {
    let slowIdp: LoopbackServer;

    beforeAll(async () => {
      slowIdp = await startLoopbackServer();
      const seen = new Set<string>();
      slowIdp.handle(async (request, response) => {
        // Refuses each set of credentials the first time it sees them, then passes them on.
        const authorization = String(request.headers.authorization);
        if (!seen.has(authorization)) {
          seen.add(authorization);
          return sendJson(response, 401, { error: 'invalid_client' });
        }
        const answer = await fetch(idp.tokenEndpoint, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: request.body,
        });
        reply(response, {
          status: answer.status,
          headers: { 'content-type': 'application/json' },
          text: await answer.text(),
        });
      });
    });

    afterAll(async () => {
      await slowIdp?.close();
    });

    it('waits within --propagation-wait-ms and passes, saying how many attempts it took', async () => {
      broken.handle(async (request, response) => reply(response, await forward(bridgeUrl(), request)));

      const result = await verify({ tokenEndpoint: slowIdp.url, propagationWaitMs: 10_000 });

      expect(result.exitCode).toBe(0);
      expect(result.text).toMatch(/PASS {2}token with the issued secret +200 +\d+ ms {2}after 2 attempts in \d+ ms/);
      expect(result.text).toMatch(/PASS {2}new secret accepted by the IdP +200 +\d+ ms {2}after 2 attempts in \d+ ms/);
    });

    it('without a propagation wait, fails and suggests --propagation-wait-ms', async () => {
      broken.handle(async (request, response) => reply(response, await forward(bridgeUrl(), request)));

      const result = await verify({ tokenEndpoint: slowIdp.url });

      expect(result.exitCode).toBe(1);
      expect(result.text).toContain(
        'why: the IdP refused the credentials the bridge issued (401 invalid_client): the new client cannot obtain tokens; if the IdP needs time to propagate changes, raise --propagation-wait-ms',
      );
    });
  });
});

describe('verify against a bridge URL where nothing listens', () => {
  it('says the bridge could not be reached, without suggesting a leftover client', async () => {
    const port = await deadPort();
    const lines: string[] = [];

    const result = await runVerify(
      {
        url: `http://127.0.0.1:${port}`,
        key: KEY,
        scopes: [],
        timeoutMs: 2000,
        propagationWaitMs: 0,
        skipRotation: false,
      },
      (line) => lines.push(line),
    );

    expect(result.exitCode).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('why: the bridge could not be reached (ECONNREFUSED)');
    expect(text).not.toContain('appears at the IdP');
  });
});
