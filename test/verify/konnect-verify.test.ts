import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { type LoopbackServer, type RecordedRequest, startLoopbackServer } from '../unit/support/loopback-server';
import { contractAnswer, forward, reply } from './support/bridge-proxy';
import { verifyRunner } from './support/verify-run';

const KEY = 'konnect_verify_key_0123456789';

const STEPS = [
  'Konnect Verify create ("test portal_id")',
  'Konnect Verify create again',
  'previous verification client removed',
  'latest verification client works',
];

const KONNECT_IDS = ['portal_id', 'organization_id', 'developer_id', 'auth_strategy_id', 'dcr_provider_id'];

const isVerificationCreate = (request: RecordedRequest) =>
  request.method === 'POST' && request.url === '/' && request.body.includes('"test portal_id"');

/** The create with real-looking ids, so the bridge behind the proxy sees an ordinary create. */
function withUuids(body: string): string {
  const create = JSON.parse(body) as Record<string, unknown>;
  for (const field of KONNECT_IDS) create[field] = randomUUID();
  return JSON.stringify(create);
}

/**
 * The bridge's side of `--konnect-verify` is played by a proxy in front of the local bridge: it
 * accepts Konnect's placeholder ids and, when `retire` is on, removes the previous verification
 * client after the next one is created (what the bridge promises), so verify's checks are tested
 * on their own.
 */
describe('verify --konnect-verify', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;
  let proxy: LoopbackServer;

  const verify = verifyRunner({
    url: () => proxy.url,
    key: KEY,
    tokenEndpoint: () => idp.tokenEndpoint,
    defaults: { konnectVerify: true },
  });

  const verificationBridge = (retire: boolean) => {
    let previous: string | undefined;
    proxy.handle(async (request, response) => {
      if (!isVerificationCreate(request)) return reply(response, await forward(bridge.local.bridgeUrl, request));
      const answer = await forward(bridge.local.bridgeUrl, request, { body: withUuids(request.body) });
      if (answer.status === 201) {
        const created = (JSON.parse(answer.text) as { client_id: string }).client_id;
        if (retire && previous) {
          await fetch(`${bridge.local.bridgeUrl}/${previous}`, { method: 'DELETE', headers: { 'x-api-key': KEY } });
        }
        previous = created;
      }
      reply(response, answer);
    });
  };

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('expected the embedded IdP');
    idp = bridge.local.idp;
    proxy = await startLoopbackServer();
  });

  afterEach(() => {
    proxy.reset();
  });

  afterAll(async () => {
    await proxy?.close();
    await bridge?.stop();
  });

  it("sends two creates with Konnect's placeholder ids and passes when only the latest survives", async () => {
    verificationBridge(true);
    const clientsBefore = idp.clientCount();

    const result = await verify();

    expect(result.exitCode).toBe(0);
    expect(STEPS.map(result.status)).toEqual(['pass', 'pass', 'pass', 'pass']);
    const creates = proxy.requests.filter(isVerificationCreate).map((request) => JSON.parse(request.body));
    expect(creates).toHaveLength(2);
    for (const create of creates) {
      for (const field of KONNECT_IDS) expect(create[field]).toBe(`test ${field}`);
    }
    expect(result.text).toContain(
      '  Konnect Verify:       a Verify-shaped create ("test portal_id") works, and the bridge keeps at most one verification client at the IdP: each Verify removes the one before. This run deleted its own.',
    );
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('fails when the previous verification client still works, and still deletes both', async () => {
    verificationBridge(false);
    const clientsBefore = idp.clientCount();

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('previous verification client removed')).toBe('fail');
    expect(result.text).toContain(
      "why: the first verification client's secret still works: the bridge did not remove the previous verification client, so every Verify click leaves a client at the IdP",
    );
    expect(result.text).toContain('but the previous verification client still works: verification clients pile up');
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it("explains that Konnect's Verify fails when the bridge refuses the placeholder ids", async () => {
    proxy.handle(async (request, response) => {
      if (isVerificationCreate(request)) {
        return reply(response, contractAnswer(400, 'invalid_client_metadata', 'portal_id: must be a UUID'));
      }
      reply(response, await forward(bridge.local.bridgeUrl, request));
    });

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.text).toContain(
      "why: the bridge answered 400 instead of 201 to the create call (400 invalid_client_metadata: portal_id: must be a UUID); Konnect's Verify button sends these placeholder ids, so Verify fails against this bridge until it accepts them",
    );
    expect(result.text).toContain(
      'SKIP  3 steps: Konnect Verify create again, previous verification client removed, latest verification client works',
    );
    expect(result.text).toContain("  Konnect Verify:       a create with Konnect's placeholder ids failed");
  });
});
