import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { formatLoadReport } from './load/load-report';
import { type LoadReport, runLoad } from './load/run-load';

const KEY = 'load_smoke_key_0123456789';
const LIFECYCLES = 20;
const CONCURRENCY = 5;

/** `npm run load` in miniature: the same lifecycle driver against the same local bridge and IdP. */
describe('load smoke: concurrent application lifecycles against the local bridge', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;
  let report: LoadReport;

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('expected the embedded IdP');
    idp = bridge.local.idp;
    report = await runLoad({
      target: { bridgeUrl: bridge.local.bridgeUrl, apiKey: KEY, tokenEndpoint: idp.tokenEndpoint },
      lifecycles: LIFECYCLES,
      concurrency: CONCURRENCY,
      deadlineMs: 20_000,
    });
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  it('completes every lifecycle without an error', () => {
    expect(report.errors).toEqual([]);
    expect(report.started).toBe(LIFECYCLES);
    expect(report.completed).toBe(LIFECYCLES);
  });

  it('leaves no client at the IdP: nothing leaked, nothing lost', () => {
    expect(idp.clientCount()).toBe(0);
  });

  it('timed every step of every lifecycle, and reports them', () => {
    for (const sample of Object.values(report.stepMs)) expect(sample).toHaveLength(LIFECYCLES);
    expect(report.lifecycleMs).toHaveLength(LIFECYCLES);
    const text = formatLoadReport(report, CONCURRENCY);
    expect(text).toContain(`${LIFECYCLES} of ${LIFECYCLES} lifecycles completed at concurrency ${CONCURRENCY}`);
    expect(text).toMatch(/\| old secret refused \| 20 \| [\d.]+ ms \|/);
  });

  it('logged none of the secrets the IdP issued under load', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Request completed');
    const leaked = idp.issuedSecrets().filter((secret) => logs.includes(secret));
    expect(leaked).toEqual([]);
  });
});
