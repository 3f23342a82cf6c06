import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_SCOPES, type EmbeddedIdp } from '../../bin/local/embedded-idp';
import { callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { checkSafety, type Observed } from './support/answer-checks';
import { anyRouteCase } from './support/case-arbitraries';
import { expectationOf, FUZZ_SEED, type FuzzCase } from './support/fuzz-case';
import { requestBytes, sendRaw } from './support/raw-http';

const KEY = 'fuzz_http_konnect_key_0123456789';
const HTTP_RUNS = 500;

/** The keys a 2xx answer may have, per route: nothing else may come back (a RAT, say). */
const SUCCESS_KEYS: Record<FuzzCase['route'], string[]> = {
  create: ['client_id', 'client_id_issued_at', 'client_secret', 'client_secret_expires_at'],
  delete: [],
  rotate: ['client_id', 'client_secret', 'client_secret_expires_at'],
  event: ['event_type', 'handled'],
};

const isIdpRefusal = (observed: Observed, body: Record<string, unknown>) =>
  observed.status === 400 &&
  observed.idpCalls > 0 &&
  String(body.error_description).startsWith('The identity provider');

/**
 * A valid request either succeeds or meets the IdP's own verdict: an unknown client (404), or
 * metadata the IdP refuses (400, only after asking it).
 */
function checkAcceptedOverHttp(fuzzCase: FuzzCase, observed: Observed, body: Record<string, unknown>): void {
  const { status } = observed;
  if (status < 300) return;
  const unknownClient = status === 404 && body.error === 'client_not_found' && fuzzCase.route !== 'create';
  const idpRefusedMetadata = fuzzCase.route === 'create' && isIdpRefusal(observed, body);
  if (!unknownClient && !idpRefusedMetadata) {
    throw new Error(`a valid request was answered ${status}: ${observed.body.slice(0, 300)}`);
  }
}

/** A 2xx answer carries the contract's fields only, and no secret but its own client_secret. */
function checkSuccessBody(fuzzCase: FuzzCase, observed: Observed, body: Record<string, unknown>, issued: string[]) {
  if (observed.status >= 300 || fuzzCase.method === 'HEAD') return;
  const extra = Object.keys(body).filter((key) => !SUCCESS_KEYS[fuzzCase.route].includes(key));
  if (extra.length > 0) throw new Error(`a ${observed.status} answer with unexpected fields ${extra.join(', ')}`);
  if (issued.some((secret) => secret !== body.client_secret && observed.body.includes(secret))) {
    throw new Error(`a ${observed.status} answer with an IdP secret that is not its client_secret`);
  }
}

const parseObject = (text: string): Record<string, unknown> => {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

describe('bad input, generated, over real HTTP through the local server and the embedded IdP', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;
  let port: number;
  const knownIds: string[] = [];
  const createdIds = new Set<string>();

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('the test bridge runs without its embedded IdP');
    idp = bridge.local.idp;
    port = Number(new URL(bridge.local.bridgeUrl).port);
    // Clients that exist, so that valid rotations and event hooks really reach the IdP.
    for (const name of ['fuzz known one', 'fuzz known two', 'fuzz known three']) {
      const created = await callBridge(bridge.local.bridgeUrl, 'POST', '/', {
        key: KEY,
        json: { client_name: name, grant_types: ['client_credentials'], redirect_uris: ['https://known.example/cb'] },
      });
      knownIds.push(String(created.body.client_id));
    }
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  it(`${HTTP_RUNS} generated raw HTTP requests (methods, paths, headers, bodies): contract errors, no IdP request for invalid input, no secret in answers or logs`, async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        anyRouteCase({ transport: 'http', apiKey: KEY, knownIds, scopePool: DEFAULT_SCOPES }),
        async (fuzzCase) => {
          const idpBefore = idp.requestCount();
          const logsBefore = bridge.output.text().length;
          const answer = await sendRaw(port, requestBytes(fuzzCase, `127.0.0.1:${port}`), fuzzCase.method);
          const observed: Observed = {
            status: answer.status,
            contentType: answer.headers['content-type'],
            body: answer.body,
            idpCalls: idp.requestCount() - idpBefore,
            logs: bridge.output.text().slice(logsBefore),
          };
          // Planted: the Konnect key and everything the IdP issued (initial access token, client
          // secrets, registration access tokens, access tokens).
          const issued = idp.issuedSecrets();
          checkSafety(fuzzCase, observed, { never: [KEY, idp.initialAccessToken], answerOnly: issued });
          const body = parseObject(answer.body);
          checkSuccessBody(fuzzCase, observed, body, issued);
          const expectation = expectationOf(fuzzCase.verdicts);
          if (expectation === 'accept') checkAcceptedOverHttp(fuzzCase, observed, body);
          if (observed.status === 201 && typeof body.client_id === 'string') createdIds.add(body.client_id);
          if (expectation === 'accept') accepted += 1;
          if (expectation === 'refuse') refused += 1;
        },
      ),
      { numRuns: HTTP_RUNS, seed: FUZZ_SEED },
    );
    expect(accepted).toBeGreaterThan(HTTP_RUNS * 0.25);
    expect(refused).toBeGreaterThan(HTTP_RUNS * 0.25);

    // Nothing the fuzzing created is left behind once Konnect deletes what it was told about.
    for (const clientId of [...createdIds, ...knownIds]) {
      const deleted = await callBridge(bridge.local.bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });
      expect(deleted.status).toBe(204);
    }
    expect(idp.clientCount()).toBe(0);
  }, 60_000);
});
