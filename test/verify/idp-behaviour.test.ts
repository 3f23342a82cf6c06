import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { runVerify } from '../../bin/verify/run-verify';
import type { VerifyOptions } from '../../bin/verify/verify-options';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../unit/support/loopback-server';
import { contractAnswer, forward, reply } from './support/bridge-proxy';
import { verifyRunner } from './support/verify-run';

const KEY = 'idp_behaviour_key_0123456789';

const EVENT_HOOK = /^\/([^/]+)\/event-hook$/;
const NEW_SECRET = /^\/([^/]+)\/new-secret$/;

const isUpdate = (url: string, body: string) =>
  EVENT_HOOK.test(url) && (JSON.parse(body) as { event_type?: string }).event_type === 'update_application';

/** The secret in a Basic authorization header (RFC 6749 form-encoding undone). */
function basicCredentials(header: string | undefined): [string, string] | undefined {
  const encoded = /^Basic (.+)$/.exec(header ?? '')?.[1];
  if (!encoded) return undefined;
  const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  const [id = '', secret = ''] = Buffer.from(encoded, 'base64').toString('utf8').split(':').map(decode);
  return [id, secret];
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

// One bridge per file: like a Lambda container, the handler reads its environment once.
let bridge: TestBridge;
let idp: EmbeddedIdp;

beforeAll(async () => {
  bridge = await startTestBridge([KEY]);
  if (!bridge.local.idp) throw new Error('expected the embedded IdP');
  idp = bridge.local.idp;
});

afterAll(async () => {
  await bridge?.stop();
});

describe('verify reports how the IdP behind the bridge treats client secrets', () => {
  let proxy: LoopbackServer;
  let tokenProxy: LoopbackServer;

  const verify = verifyRunner({ url: () => proxy.url, key: KEY, tokenEndpoint: () => idp.tokenEndpoint });

  const passThrough = () =>
    proxy.handle(async (request, response) => reply(response, await forward(bridge.local.bridgeUrl, request)));

  beforeAll(async () => {
    proxy = await startLoopbackServer();
    tokenProxy = await startLoopbackServer();
  });

  afterEach(() => {
    proxy.reset();
    tokenProxy.reset();
  });

  afterAll(async () => {
    await tokenProxy?.close();
    await proxy?.close();
  });

  it('says rotation works and updates keep the secret when they do (the embedded IdP)', async () => {
    passThrough();
    const clientsBefore = idp.clientCount();

    const result = await verify();

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain('How the IdP treats client secrets, as seen through the bridge:');
    expect(result.text).toContain(
      '  new-secret:           rotation works: the IdP refused the old secret and accepted the new one, so IDP_SECRET_ROTATION fits this IdP.',
    );
    expect(result.text).toContain("  redirect URI updates: applied, and the developer's secret keeps working.");
    expect(result.status('secret still works after the update')).toBe('pass');
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('warns without failing when the bridge refuses redirect URI updates with 409 update_refused', async () => {
    proxy.handle(async (request, response) => {
      if (request.method === 'POST' && isUpdate(request.url, request.body)) {
        // What the bridge answers with IDP_REDIRECT_URI_UPDATES=refuse, before any IdP call.
        return reply(
          response,
          contractAnswer(
            409,
            'update_refused',
            'The identity provider issues a new client secret on every update, so the redirect URIs were not changed.',
          ),
        );
      }
      reply(response, await forward(bridge.local.bridgeUrl, request));
    });

    const result = await verify();

    expect(result.exitCode).toBe(0);
    expect(result.status('event hook update_application')).toBe('warn');
    expect(result.text).toMatch(/^WARN {2}event hook update_application +409 /m);
    expect(result.text).toContain('      note: the bridge refuses redirect URI updates at this IdP (update_refused)');
    expect(result.text).toContain('  redirect URI updates: refused on purpose (409 update_refused)');
    expect(result.text).toContain('turn on "Disable event hooks" in the Konnect DCR provider');
    expect(result.status('secret still works after the update')).toBeUndefined();
    expect(result.status('event hook add_registration')).toBe('pass');
    expect(result.text).toMatch(/verify: PASSED — \d+ passed, 0 failed, 0 skipped, 1 warned in \d+ ms$/);
  });

  it("fails when update_application answers 200 but the developer's secret stopped working", async () => {
    const clientsBefore = idp.clientCount();
    proxy.handle(async (request, response) => {
      const answer = await forward(bridge.local.bridgeUrl, request);
      const updated = EVENT_HOOK.exec(request.url)?.[1];
      if (updated && isUpdate(request.url, request.body) && answer.status === 200) {
        // The broken part: the IdP issued a new secret on the update, and the bridge said nothing.
        await fetch(`${bridge.local.bridgeUrl}/${updated}/new-secret`, {
          method: 'POST',
          headers: { 'x-api-key': KEY },
        });
      }
      reply(response, answer);
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('event hook update_application')).toBe('pass');
    expect(result.status('secret still works after the update')).toBe('fail');
    expect(result.text).toContain(
      "why: the bridge answered 200 to update_application, but the IdP now refuses the developer's secret (401 invalid_client): the IdP issued a new secret on the update and the bridge did not notice, so the developer's credentials broke silently; set IDP_REDIRECT_URI_UPDATES=refuse",
    );
    expect(result.text).toContain(
      "  redirect URI updates: BROKEN: the bridge answered 200, but the developer's secret stopped working",
    );
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('explains a 502 from update_application saying the IdP issued a new secret', async () => {
    proxy.handle(async (request, response) => {
      if (request.method === 'POST' && isUpdate(request.url, request.body)) {
        return reply(
          response,
          contractAnswer(
            502,
            'idp_error',
            "The identity provider (generic) issued a new client secret while updating the redirect URIs; the developer's current secret no longer works: the developer must refresh the secret in the portal. Set IDP_REDIRECT_URI_UPDATES=refuse.",
          ),
        );
      }
      reply(response, await forward(bridge.local.bridgeUrl, request));
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('event hook update_application')).toBe('fail');
    expect(result.text).toContain(
      "  redirect URI updates: the IdP issued a new secret while the bridge updated the redirect URIs, so the developer's secret stopped working (the bridge answered 502). Set IDP_REDIRECT_URI_UPDATES=refuse.",
    );
  });

  it('names the setting when new-secret answers 502 because IDP_SECRET_ROTATION does not fit the IdP', async () => {
    const description =
      'The identity provider (generic) answered the same client secret on two reads, so it does not rotate on read; set IDP_SECRET_ROTATION to "update" or "none".';
    proxy.handle(async (request, response) => {
      if (request.method === 'POST' && NEW_SECRET.test(request.url)) {
        return reply(response, contractAnswer(502, 'idp_error', description));
      }
      reply(response, await forward(bridge.local.bridgeUrl, request));
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('rotate secret (POST /{id}/new-secret)')).toBe('fail');
    expect(result.text).toContain(
      `  new-secret:           IDP_SECRET_ROTATION does not match this IdP; the bridge says: ${description}`,
    );
  });

  it('warns in the report when the IdP still accepts the old secret after a rotation', async () => {
    // A token endpoint with a grace period: a replaced secret keeps working.
    const newer = new Map<string, string>();
    proxy.handle(async (request, response) => {
      const answer = await forward(bridge.local.bridgeUrl, request);
      const rotated = NEW_SECRET.exec(request.url)?.[1];
      if (rotated && answer.status === 200) {
        newer.set(rotated, (JSON.parse(answer.text) as { client_secret: string }).client_secret);
      }
      reply(response, answer);
    });
    tokenProxy.handle(async (request, response) => {
      const [id = '', secret = ''] = basicCredentials(request.headers.authorization) ?? [];
      const current = newer.get(id) ?? secret;
      const answer = await fetch(idp.tokenEndpoint, {
        method: 'POST',
        headers: { authorization: basic(id, current), 'content-type': 'application/x-www-form-urlencoded' },
        body: request.body,
      });
      reply(response, {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
        text: await answer.text(),
      });
    });

    const result = await verify({ tokenEndpoint: tokenProxy.url });

    expect(result.exitCode).toBe(1);
    expect(result.status('old secret refused by the IdP')).toBe('fail');
    expect(result.status('new secret accepted by the IdP')).toBe('pass');
    expect(result.text).toContain(
      '  new-secret:           WARNING: the IdP accepts both the new and the old secret. Either it keeps previous secrets valid for a while',
    );
    expect(result.text).toContain('try the other mode (update or read)');
  });
});

describe('verify against a token endpoint that requires a scope and refuses clients with a bare 403', () => {
  let tokenEndpoint: LoopbackServer;

  beforeAll(async () => {
    tokenEndpoint = await startLoopbackServer(async (request, response) => {
      const form = new URLSearchParams(request.body);
      if (form.get('scope') !== 'portal') {
        return sendJson(response, 400, { error: 'invalid_request', error_description: 'scope is required' });
      }
      // The IdP applies its own scopes, so the real check happens without one.
      form.delete('scope');
      const answer = await fetch(idp.tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: String(request.headers.authorization),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: form.toString(),
      });
      if (answer.status === 200) return sendJson(response, 200, await answer.json());
      // A wrong, rotated or deleted client: 403 without any body.
      response.writeHead(403);
      response.end();
    });
  });

  afterAll(async () => {
    await tokenEndpoint?.close();
  });

  const verify = async (options: Partial<VerifyOptions> = {}) => {
    const lines: string[] = [];
    const result = await runVerify(
      {
        url: bridge.local.bridgeUrl,
        key: KEY,
        tokenEndpoint: tokenEndpoint.url,
        scopes: [],
        timeoutMs: 5000,
        propagationWaitMs: 0,
        skipRotation: false,
        ...options,
      },
      (line) => lines.push(line),
    );
    const status = (name: string) => result.steps.find((step) => step.name === name)?.status;
    return { ...result, text: lines.join('\n'), status };
  };

  it('passes with --token-scope, sending it with every token request and counting a bare 403 as a refusal', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ scopes: ['read'], tokenScopes: ['portal'] });

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain('  token scope:  portal');
    expect(result.text).toMatch(/^PASS {2}old secret refused by the IdP +403 /m);
    expect(result.text).toMatch(/^PASS {2}deleted client's secret refused +403 /m);
    const scopes = tokenEndpoint.requests.map((request) => new URLSearchParams(request.body).get('scope'));
    expect(scopes.length).toBeGreaterThanOrEqual(5);
    expect(new Set(scopes)).toEqual(new Set(['portal']));
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('without --token-scope, says the token endpoint wants a scope', async () => {
    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.text).toContain(
      "why: the IdP's token endpoint answered 400 invalid_request to a token request without a scope: if it requires one, pass it with --token-scope",
    );
  });
});
