import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { runVerify } from '../../bin/verify/run-verify';
import type { VerifyOptions } from '../../bin/verify/verify-options';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'verify_test_key_0123456789';

/** Runs verify and keeps what it printed. */
async function verify(options: Partial<VerifyOptions> & Pick<VerifyOptions, 'url'>) {
  const lines: string[] = [];
  const result = await runVerify(
    { key: KEY, scopes: [], timeoutMs: 5000, propagationWaitMs: 0, skipRotation: false, ...options },
    (line) => lines.push(line),
  );
  return {
    ...result,
    text: lines.join('\n'),
    statuses: Object.fromEntries(result.steps.map((s) => [s.name, s.status])),
  };
}

describe('verify against the local bridge and its embedded IdP', () => {
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

  it('passes every step with the token endpoint found by discovery, and leaves no client behind', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ url: bridge.local.bridgeUrl, issuer: idp.issuer, scopes: ['read'] });

    expect(result.exitCode).toBe(0);
    expect(result.steps.filter((step) => step.status !== 'pass')).toEqual([]);
    expect(Object.keys(result.statuses)).toEqual([
      'discover the token endpoint',
      'create application (POST /)',
      'token with the issued secret',
      'rotate secret (POST /{id}/new-secret)',
      'old secret refused by the IdP',
      'new secret accepted by the IdP',
      'event hook update_application',
      'secret still works after the update',
      'event hook add_registration',
      'event hook remove_registration',
      'delete application (DELETE /{id})',
      "deleted client's secret refused",
      'delete again (DELETE /{id})',
      'no X-API-KEY → 401',
      'wrong X-API-KEY → 401',
      'invalid create body → 400',
      'malformed JSON body → 400',
    ]);
    expect(result.text).toContain(`PASS  discover the token endpoint`);
    expect(result.text).toContain(idp.tokenEndpoint);
    expect(result.text).toMatch(/PASS {2}create application \(POST \/\) +201 +\d+ ms {2}client_id /);
    expect(result.text).toMatch(/verify: PASSED — 17 passed, 0 failed, 0 skipped in \d+ ms$/);
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('prints no secret: neither the key nor any client secret or token the IdP issued', async () => {
    const result = await verify({ url: bridge.local.bridgeUrl, tokenEndpoint: idp.tokenEndpoint });

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain(`(key ${KEY.slice(0, 4)}…)`);
    expect(result.text).not.toContain(KEY);
    // Every client secret and access token the IdP has handed out so far, this run's included.
    const issued = idp.issuedSecrets().filter((secret) => secret.length >= 12);
    expect(issued.length).toBeGreaterThan(2);
    for (const secret of issued) expect(result.text).not.toContain(secret);
    expect(result.text).toMatch(/secret [A-Za-z0-9_-]{4}…/);
  });

  it('says once that the token checks are skipped when neither --token-endpoint nor --issuer is given, and passes', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ url: bridge.local.bridgeUrl });

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain('SKIP  token checks');
    expect(result.text).toContain('skipped: no --token-endpoint or --issuer given');
    expect(result.steps.filter((step) => step.status === 'skip').map((step) => step.name)).toEqual(['token checks']);
    expect(result.statuses['rotate secret (POST /{id}/new-secret)']).toBe('pass');
    expect(result.text).toMatch(/verify: PASSED — 11 passed, 0 failed, 1 skipped/);
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('fails at create with a plain explanation when the key is wrong, exits 1 and creates nothing', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ url: bridge.local.bridgeUrl, key: 'not_the_bridge_key_0000', issuer: idp.issuer });

    expect(result.exitCode).toBe(1);
    expect(result.statuses['create application (POST /)']).toBe('fail');
    expect(result.text).toContain(
      'why: the bridge refused the key for the create call (401 unauthorized: Missing or invalid X-API-KEY header.): --key is not a key the bridge accepts',
    );
    expect(result.text).toContain('skipped: the application was not created');
    expect(result.text).toMatch(/verify: FAILED — /);
    expect(result.text).not.toContain('not_the_bridge_key_0000');
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('says no token endpoint was found when discovery fails, and still runs the rest and cleans up', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ url: bridge.local.bridgeUrl, issuer: `${idp.issuer}/no-such-issuer` });

    expect(result.exitCode).toBe(1);
    expect(result.statuses['discover the token endpoint']).toBe('fail');
    expect(result.text).toContain('no token endpoint found in the issuer');
    expect(result.text).toContain('pass --token-endpoint');
    expect(result.statuses['delete again (DELETE /{id})']).toBe('pass');
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('skips the rotation steps with --skip-rotation and still passes', async () => {
    const result = await verify({ url: bridge.local.bridgeUrl, tokenEndpoint: idp.tokenEndpoint, skipRotation: true });

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain(
      'SKIP  3 steps: rotate secret (POST /{id}/new-secret), old secret refused by the IdP, new secret accepted by the IdP',
    );
    expect(result.text).toContain('skipped: --skip-rotation');
    expect(result.statuses["deleted client's secret refused"]).toBe('pass');
  });

  it('with --konnect-verify, two Verify-shaped creates succeed and the bridge keeps only the latest verification client', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify({ url: bridge.local.bridgeUrl, issuer: idp.issuer, konnectVerify: true });

    expect(result.steps.filter((step) => step.status !== 'pass')).toEqual([]);
    expect(result.statuses['Konnect Verify create ("test portal_id")']).toBe('pass');
    expect(result.statuses['previous verification client removed']).toBe('pass');
    expect(result.statuses['latest verification client works']).toBe('pass');
    expect(result.text).toContain('the bridge keeps at most one verification client at the IdP');
    expect(idp.clientCount()).toBe(clientsBefore);
  });
});
