import { describe, expect, it } from '@jest/globals';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import fc from 'fast-check';
import { StaticKeySource } from '../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { captureOutput } from '../support/captured-output';
import { lambdaContext } from '../unit/support/api-gateway';
import { type AdapterCall, FakeIdpAdapter } from '../unit/support/fake-idp-adapter';
import { checkSafety, type Observed, type PlantedSecrets } from './support/answer-checks';
import { callProblem, expectedClientName } from './support/call-checks';
import { anyRouteCase } from './support/case-arbitraries';
import { chaosCase } from './support/chaos-arbitraries';
import { expectationOf, FUZZ_SEED, type FuzzCase } from './support/fuzz-case';
import { fuzzEvent } from './support/fuzz-event';

// Planted: the bridge holds these, and none may ever show up where it should not.
const KEY = 'fuzz_konnect_key_0123456789abcdef';
const ROTATING_KEY = 'fuzz_konnect_key_next_fedcba9876543210';
const ISSUED_SECRET = 'planted-issued-client-secret-5b1c0e7d2a9f4e8c';
const ROTATED_SECRET = 'planted-rotated-client-secret-9e3f7a1b6c2d4058';
const PLANTED: PlantedSecrets = { never: [KEY, ROTATING_KEY], answerOnly: [ISSUED_SECRET, ROTATED_SECRET] };

const STRUCTURED_RUNS = 8000;
const CHAOS_RUNS = 3000;

/** The real handler and middleware chain, with a fake adapter that records every IdP call and never fails. */
function inProcessBridge() {
  const adapter = new FakeIdpAdapter();
  adapter.issued = { clientId: 'fuzz-client-1', clientSecret: ISSUED_SECRET, clientIdIssuedAt: 1_700_000_000 };
  adapter.rotated = { clientId: 'fuzz-client-1', clientSecret: ROTATED_SECRET };
  const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY, ROTATING_KEY]), {
    minRefreshIntervalMs: 60_000,
  });
  const handler = createBridgeHandler(() => ({ adapter, keyVerifier, idpTimeoutMs: 5000 }));

  return async (event: APIGatewayProxyEvent): Promise<Observed & { calls: AdapterCall[] }> => {
    const before = adapter.calls.length;
    const output = captureOutput();
    let result: Awaited<ReturnType<typeof handler>>;
    try {
      result = await handler(event, lambdaContext());
    } finally {
      output.restore();
    }
    const calls = adapter.calls.slice(before);
    const contentType = result.headers?.['content-type'];
    return {
      status: result.statusCode,
      contentType: contentType === undefined ? undefined : String(contentType),
      body: result.body ?? '',
      idpCalls: calls.length,
      logs: output.text(),
      calls,
    };
  };
}

const SUCCESS_STATUS = { create: 201, delete: 204, rotate: 200, event: 200 } as const;

/** An accepted request is answered as the contract says, after exactly the IdP call it asks for. */
function checkAccepted(fuzzCase: FuzzCase, observed: Observed, calls: AdapterCall[]): void {
  const expected = SUCCESS_STATUS[fuzzCase.route];
  if (observed.status !== expected) {
    throw new Error(
      `a valid request was answered ${observed.status} (${observed.body.slice(0, 300)}), not ${expected}`,
    );
  }
  checkCall(fuzzCase, calls);
}

/** The call made is the one the route and event type stand for, for the client in the path. */
function checkCall(fuzzCase: FuzzCase, calls: AdapterCall[]): void {
  const methods = calls.map((call) => call.method);
  const expected = fuzzCase.call === 'none' ? [] : [fuzzCase.call];
  if (methods.join() !== expected.join())
    throw new Error(`IdP calls [${methods.join()}], expected [${expected.join()}]`);
  const [call] = calls;
  if (!call) return;
  const clientId = 'clientId' in call ? call.clientId : 'change' in call ? call.change.clientId : undefined;
  if (fuzzCase.route !== 'create' && clientId !== fuzzCase.clientId) {
    throw new Error(`the IdP call was for client ${JSON.stringify(clientId)}, not the one in the path`);
  }
  if (call.method === 'createClient') {
    const sent = (JSON.parse(fuzzCase.body ?? '{}') as { client_name?: unknown }).client_name;
    if (call.client.clientName !== expectedClientName(sent)) {
      throw new Error('the IdP got another client_name than Konnect sent, cleaned and cut');
    }
  }
}

const counted = () => ({ accepted: 0, refused: 0, success: 0, refusedStatuses: new Set<number>() });

describe('bad input, generated, through the real handler in-process', () => {
  const invoke = inProcessBridge();

  it(`${STRUCTURED_RUNS.toLocaleString('en')} generated requests over the four routes: invalid ones refused with a contract error before the IdP, valid ones served, no secret leaked`, async () => {
    const seen = counted();
    await fc.assert(
      fc.asyncProperty(anyRouteCase({ transport: 'event', apiKey: KEY }), async (fuzzCase) => {
        const observed = await invoke(fuzzEvent(fuzzCase));
        checkSafety(fuzzCase, observed, PLANTED);
        // Whatever came in, operators get exactly one summary line (and the secret checks saw the logs).
        const summaries = observed.logs.split('"message":"Request completed"').length - 1;
        if (summaries !== 1) throw new Error(`${summaries} "Request completed" lines for one request`);
        // The fake IdP never fails: a refusal can only be the bridge's own, made before any call.
        if (observed.status >= 300 && observed.idpCalls > 0) throw new Error('refused after calling the IdP');
        const expectation = expectationOf(fuzzCase.verdicts);
        if (expectation === 'accept') checkAccepted(fuzzCase, observed, observed.calls);
        else if (observed.status < 300) checkCall(fuzzCase, observed.calls);
        if (expectation === 'accept') seen.accepted += 1;
        if (expectation === 'refuse') seen.refused += 1;
        if (observed.status >= 400) seen.refusedStatuses.add(observed.status);
      }),
      { numRuns: STRUCTURED_RUNS, seed: FUZZ_SEED },
    );
    // The generator must stay meaningful: plenty of both, and every kind of refusal.
    expect(seen.accepted).toBeGreaterThan(STRUCTURED_RUNS * 0.3);
    expect(seen.refused).toBeGreaterThan(STRUCTURED_RUNS * 0.3);
    expect([...seen.refusedStatuses].sort()).toEqual([400, 401, 404, 415]);
  }, 60_000);

  it(`${CHAOS_RUNS.toLocaleString('en')} chaotic events (any method, resource, path parameters, headers, base64 and body): no 5xx, contract errors, only contract-valid IdP calls`, async () => {
    const seen = counted();
    await fc.assert(
      fc.asyncProperty(chaosCase(KEY), async ({ fuzzCase, event }) => {
        const observed = await invoke(event);
        checkSafety(fuzzCase, observed, PLANTED);
        if (observed.idpCalls > 0 && observed.status >= 300) throw new Error('refused after calling the IdP');
        for (const call of observed.calls) {
          const problem = callProblem(call);
          if (problem) throw new Error(`the IdP was called with an invalid ${problem}`);
        }
        if (observed.status < 300) seen.success += 1;
      }),
      { numRuns: CHAOS_RUNS, seed: FUZZ_SEED },
    );
    // Some chaos must get through, or the properties above say little about the IdP calls.
    expect(seen.success).toBeGreaterThan(CHAOS_RUNS * 0.02);
  }, 60_000);
});
