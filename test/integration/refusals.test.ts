import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalEnvironment } from '../../bin/local/local-environment';
import { type BridgeAnswer, callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'refusals_test_key_0001';
const validCreate = { client_name: 'app', grant_types: ['client_credentials'], redirect_uris: [], scopes: [] };

function expectContractError(answer: BridgeAnswer, status: number, error: string) {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/json');
  expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
  expect(answer.body.error).toBe(error);
  expect(answer.body.error_description).toEqual(expect.any(String));
  expect(answer.text).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
}

describe('requests the bridge must refuse before reaching the IdP', () => {
  let bridge: TestBridge;
  let local: LocalEnvironment;

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    local = bridge.local;
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  /** Runs the calls and proves the embedded IdP saw no request meanwhile. */
  async function withoutIdpCalls(calls: () => Promise<void>) {
    const before = local.idp?.requestCount();
    await calls();
    expect(local.idp?.requestCount()).toBe(before);
  }

  it('refuses a missing, wrong or malformed key on every route with 401', async () => {
    await withoutIdpCalls(async () => {
      const routes: Array<['POST' | 'DELETE', string]> = [
        ['POST', '/'],
        ['DELETE', '/someClient'],
        ['POST', '/someClient/new-secret'],
        ['POST', '/someClient/event-hook'],
      ];
      for (const [method, path] of routes) {
        for (const key of [undefined, 'wrong_key_but_well_formed', 'short', `${KEY}x`, KEY.toUpperCase()]) {
          const answer = await callBridge(local.bridgeUrl, method, path, { key, json: validCreate });
          expectContractError(answer, 401, 'unauthorized');
        }
      }
    });
  });

  it('accepts the key whatever the header name case', async () => {
    for (const header of ['X-API-KEY', 'x-api-key', 'X-Api-Key']) {
      const answer = await callBridge(local.bridgeUrl, 'DELETE', '/notThere', { headers: { [header]: KEY } });
      expect(answer.status).toBe(204);
    }
  });

  it('refuses invalid create bodies with 400 naming the field', async () => {
    await withoutIdpCalls(async () => {
      // Only what the developer can fix; everything else Konnect may send is accepted (konnect-contract.test.ts).
      const cases: Array<[unknown, string]> = [
        [{ ...validCreate, client_name: 42 }, 'client_name'],
        [{ ...validCreate, redirect_uris: ['http://example.com/cb'] }, 'redirect_uris.0'],
        [
          { ...validCreate, redirect_uris: ['https://*.example.com/cb'] },
          'redirect_uris.0: must not contain a wildcard',
        ],
        [
          { ...validCreate, redirect_uris: ['https://user@example.com/cb'] },
          'redirect_uris.0: must not contain userinfo',
        ],
        [
          { ...validCreate, redirect_uris: ['https://example.com/my cb'] },
          'redirect_uris.0: must not contain whitespace',
        ],
        [
          { ...validCreate, redirect_uris: ['https://example.com/cb#x'] },
          'redirect_uris.0: must not contain a fragment',
        ],
        [{ ...validCreate, redirect_uris: ['https://example.com'] }, 'use "https://example.com/"'],
        [{ ...validCreate, redirect_uris: ['myapp://cb'] }, 'redirect_uris.0'],
        [
          { ...validCreate, redirect_uris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) },
          'redirect_uris',
        ],
        [{ ...validCreate, grant_types: ['authorization_code'] }, 'redirect_uris'],
        [{ ...validCreate, grant_types: [7] }, 'grant_types.0'],
        [{ ...validCreate, scopes: ['has space'] }, 'scopes.0'],
        [{ ...validCreate, token_endpoint_auth_method: 5 }, 'token_endpoint_auth_method'],
        [[validCreate], 'JSON object'],
      ];
      for (const [json, field] of cases) {
        const answer = await callBridge(local.bridgeUrl, 'POST', '/', { key: KEY, json });
        expectContractError(answer, 400, Array.isArray(json) ? 'invalid_request' : 'invalid_client_metadata');
        expect(answer.body.error_description).toContain(field);
      }
      expectContractError(
        await callBridge(local.bridgeUrl, 'POST', '/', {
          key: KEY,
          rawBody: '{"client_name":',
          headers: { 'Content-Type': 'application/json' },
        }),
        400,
        'invalid_request',
      );
      expectContractError(
        await callBridge(local.bridgeUrl, 'POST', '/', { key: KEY, rawBody: JSON.stringify(validCreate) }),
        415,
        'invalid_request',
      );
    });
  });

  it('refuses traversal-style and otherwise unsafe client ids without calling the IdP', async () => {
    const ids = [
      '..%2F..%2F..%2Fapi%2Fv1%2Fusers%2Fx',
      'abc%3Fadmin%3Dtrue',
      'abc%23frag',
      'abc%00',
      'abc%2Fdef',
      '%C3%A9t%C3%A9',
      'a'.repeat(256),
    ];
    await withoutIdpCalls(async () => {
      for (const id of ids) {
        expectContractError(
          await callBridge(local.bridgeUrl, 'DELETE', `/${id}`, { key: KEY }),
          400,
          'invalid_request',
        );
        expectContractError(
          await callBridge(local.bridgeUrl, 'POST', `/${id}/new-secret`, { key: KEY }),
          400,
          'invalid_request',
        );
        expectContractError(
          await callBridge(local.bridgeUrl, 'POST', `/${id}/event-hook`, {
            key: KEY,
            json: { event_type: 'update_application', client_id: id, redirect_uris: [] },
          }),
          400,
          'invalid_request',
        );
      }
    });
  });

  it('never routes bare dot segments to a client operation', async () => {
    // HTTP clients (and API Gateway) resolve "/.." and "/." before routing; what is left is no route.
    await withoutIdpCalls(async () => {
      for (const path of ['/..', '/.', '/%2E%2E', '/../new-secret', '/./event-hook', '/%2e%2e/new-secret']) {
        const answer = await callBridge(
          local.bridgeUrl,
          path.endsWith('-secret') || path.endsWith('-hook') ? 'POST' : 'DELETE',
          path,
          {
            key: KEY,
          },
        );
        expect([400, 404]).toContain(answer.status);
        expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
      }
    });
  });

  it('refuses an event hook whose body names another client, and acknowledges unknown event types', async () => {
    await withoutIdpCalls(async () => {
      const mismatch = await callBridge(local.bridgeUrl, 'POST', '/clientA/event-hook', {
        key: KEY,
        json: { event_type: 'update_application', client_id: 'clientB', redirect_uris: [] },
      });
      expectContractError(mismatch, 400, 'invalid_request');
      expect(mismatch.body.error_description).toContain('client_id');
      const unknown = await callBridge(local.bridgeUrl, 'POST', '/clientA/event-hook', {
        key: KEY,
        json: { event_type: 'application_renamed_in_2027', client_id: 'clientA' },
      });
      expect(unknown.status).toBe(200);
    });
  });

  it('refuses event hook redirect URIs under the create rules, naming the field and index', async () => {
    await withoutIdpCalls(async () => {
      for (const uri of [
        'https://*.example.com/cb',
        'https://user@example.com/cb',
        'https://a.example/ cb',
        'https://example.com',
      ]) {
        const answer = await callBridge(local.bridgeUrl, 'POST', '/clientA/event-hook', {
          key: KEY,
          json: {
            event_type: 'update_application',
            client_id: 'clientA',
            redirect_uris: ['https://ok.example/cb', uri],
          },
        });
        expectContractError(answer, 400, 'invalid_request');
        expect(answer.body.error_description).toContain('redirect_uris.1: ');
      }
    });
  });

  // Issue 9 finding 7: text that could pass for another name in the IdP's console never reaches it.
  it('refuses display text with invisible format or separator characters, naming the field, on create and event hooks', async () => {
    await withoutIdpCalls(async () => {
      for (const character of ['\u202E', '\u200B', '\u2028', '\u2029']) {
        for (const field of ['client_name', 'application_description']) {
          const answer = await callBridge(local.bridgeUrl, 'POST', '/', {
            key: KEY,
            json: { ...validCreate, [field]: `Pay${character}roll` },
          });
          expectContractError(answer, 400, 'invalid_client_metadata');
          expect(answer.body.error_description).toContain(`${field}: must not contain invisible format`);
        }
        const hook = await callBridge(local.bridgeUrl, 'POST', '/clientA/event-hook', {
          key: KEY,
          json: { event_type: 'update_application', client_id: 'clientA', application_name: `Pay${character}roll` },
        });
        expectContractError(hook, 400, 'invalid_request');
        expect(hook.body.error_description).toContain('application_name: must not contain invisible format');
      }
    });
  });

  it('accepts an emoji sequence joined by U+200D in a name', async () => {
    const name = 'Family \u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    const created = await callBridge(local.bridgeUrl, 'POST', '/', {
      key: KEY,
      json: { ...validCreate, client_name: name },
    });
    expect(created.status).toBe(201);
    const clientId = String(created.body.client_id);
    expect((await local.idp?.findClient(clientId))?.client_name).toBe(name);
    expect((await callBridge(local.bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY })).status).toBe(204);
  });

  it('answers routes API Gateway would not serve with the contract body', async () => {
    expectContractError(await callBridge(local.bridgeUrl, 'GET', '/', { key: KEY }), 404, 'not_found');
    expectContractError(await callBridge(local.bridgeUrl, 'PUT', '/abc', { key: KEY }), 404, 'not_found');
  });

  it('logs refusals without the key', () => {
    expect(bridge.output.text()).toContain('Request refused');
    expect(bridge.output.text()).not.toContain(KEY);
  });
});
