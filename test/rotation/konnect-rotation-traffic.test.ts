import { setTimeout as sleep } from 'node:timers/promises';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type EmbeddedIdp, startEmbeddedIdp } from '../../bin/local/embedded-idp';
import { type LocalBridge, startLocalBridge } from '../../bin/local/start-local-bridge';
import { runKonnectRotation } from '../../bin/rotation/konnect-rotation';
import { parseKeySecret } from '../../functions/auth/konnect-key-source';
import { loadBridgeDependencies } from '../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint } from '../../functions/konnect/key-fingerprint';
import { handler as rotationHandler } from '../../functions/konnect/key-rotation-handler';
import { konnectApiUrl } from '../../functions/konnect/konnect-regions';
import { OWNER_LABEL } from '../../functions/konnect/provider-owner';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import type { KonnectTraffic } from '../fakes/konnect-fake-traffic';
import { type CapturedOutput, captureOutput } from '../support/captured-output';
import { secretsManagerStore } from '../support/secrets-manager-store';

const KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dcr-bridge-konnect-key-AbCdEf';
const TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-token-AbCdEf';
const FIRST_KEY = 'KonnectKeyBeforeAnyRotation0123456789abcdefghij';
const PROVIDER_NAME = 'dcr-okta-partners';
const OWNER = '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f';
/** The bridge re-reads its keys on an unknown key at most once a second here (10 s deployed). */
const REFRESH_INTERVAL_S = 1;
const ACCEPT_DELAY_MS = REFRESH_INTERVAL_S * 1000 + 100;

/**
 * Konnect (the loopback fake, whose verify and traffic really call the bridge) in front of one
 * bridge container that reads its keys from Secrets Manager through the real SDK client (the
 * versioned store behind aws-sdk-client-mock), cached as deployed (5 minutes).
 */
const store = secretsManagerStore();
const client = new SecretsManagerClient({
  region: 'eu-west-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
let konnect: FakeKonnect;
let idp: EmbeddedIdp;
let bridge: LocalBridge;
let output: CapturedOutput;
let providerId: string;
let traffic: KonnectTraffic | undefined;
const seen = new Set<string>();

const accepted = () => parseKeySecret(store.current(KEY_SECRET_ARN) ?? '[]');
const heldByKonnect = () => konnect.apiKeyOf(providerId) as string;
const printed: string[] = [];

async function startBridgeContainer(): Promise<LocalBridge> {
  const handler = createBridgeHandler(() =>
    loadBridgeDependencies({
      IDP_TYPE: 'generic',
      IDP_ISSUER: idp.issuer,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
      IDP_SECRET_ROTATION: 'update',
      KONNECT_API_KEY_SECRET_ARN: KEY_SECRET_ARN,
      KEY_CACHE_TTL_SECONDS: '300',
      KEY_REFRESH_MIN_INTERVAL_SECONDS: String(REFRESH_INTERVAL_S),
    }),
  );
  return startLocalBridge({ handler, port: 0 });
}

function cliRotation(owner?: string) {
  return runKonnectRotation(
    {
      secretId: KEY_SECRET_ARN,
      konnect: true,
      konnectUrl: konnectApiUrl(konnect.url),
      provider: { name: PROVIDER_NAME },
      ...(owner ? { owner } : {}),
      tokenSecretId: TOKEN_SECRET_ARN,
      acceptDelayMs: ACCEPT_DELAY_MS,
    },
    { client, print: (line) => printed.push(line) },
  );
}

/** All four steps as Secrets Manager invokes them, stopping at the first that throws. */
async function lambdaRotation(token = store.startRotation(KEY_SECRET_ARN)) {
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret']) {
    await rotationHandler({ Step, SecretId: KEY_SECRET_ARN, ClientRequestToken: token });
  }
  return token;
}

const remember = () => {
  for (const key of accepted()) seen.add(key);
};

beforeAll(async () => {
  output = captureOutput();
  konnect = await startFakeKonnect();
  idp = await startEmbeddedIdp({ port: 0 });
  bridge = await startBridgeContainer();
  Object.assign(process.env, {
    KONNECT_TOKEN_SECRET_ARN: TOKEN_SECRET_ARN,
    KONNECT_API_URL: konnect.url,
    KONNECT_PROVIDER_NAME: PROVIDER_NAME,
    ACCEPT_DELAY_MS: String(ACCEPT_DELAY_MS),
  });
});

afterAll(async () => {
  await bridge.close();
  await idp.close();
  await konnect.close();
  store.restore();
  output.restore();
});

beforeEach(async () => {
  store.create(KEY_SECRET_ARN, FIRST_KEY);
  store.create(TOKEN_SECRET_ARN, JSON.stringify({ token: konnect.token }));
  konnect.providers.clear();
  providerId = konnect.seedProvider(
    {
      name: PROVIDER_NAME,
      dcr_config: { dcr_base_url: bridge.url, disable_event_hooks: false, disable_refresh_secret: false },
      labels: { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(FIRST_KEY) },
    },
    FIRST_KEY,
  ).provider.id;
  seen.add(FIRST_KEY);
  // Warm the container: it caches [FIRST_KEY] for 5 minutes.
  expect(await konnect.sendCreate(providerId)).toBe(201);
  traffic = konnect.startTraffic(providerId, { concurrency: 2, intervalMs: 10 });
});

afterEach(async () => {
  await traffic?.stop();
  traffic = undefined;
});

/** Stops the traffic and expects every request to have succeeded. */
async function expectNoFailedRequest() {
  const summary = await (traffic as KonnectTraffic).stop();
  traffic = undefined;
  expect(summary.failures).toEqual([]);
  expect(summary.sent).toBeGreaterThan(10);
}

function expectEndsWithOneKey() {
  remember();
  expect(accepted()).toHaveLength(1);
  expect(accepted()).toEqual([heldByKonnect()]);
  expect(heldByKonnect()).not.toBe(FIRST_KEY);
  expect(konnect.providers.get(providerId)?.provider.labels?.[KEY_FINGERPRINT_LABEL]).toBe(
    konnectKeyFingerprint(heldByKonnect()),
  );
}

describe('rotate-key --konnect under continuous Konnect-style traffic', () => {
  it('has zero failed requests and ends with one key, the one Konnect holds', async () => {
    const outcome = await cliRotation();

    await expectNoFailedRequest();
    expectEndsWithOneKey();
    expect(outcome).toMatchObject({ providerId, generated: true, konnectUpdated: true, removedKeys: 1 });
    expect(konnect.verifications.at(-1)).toMatchObject({ status: 'success', bridgeStatus: 201 });
    expect(await konnect.sendCreate(providerId)).toBe(201);
  });

  it.each([
    [
      'after writing both keys',
      () => konnect.inject({ status: 503, method: 'GET', path: /^\/v2\/dcr-providers\/[^/]+$/ }),
      'Konnect answered 503',
    ],
    [
      'after the PATCH',
      () => konnect.inject({ status: 500, method: 'POST', path: /\/verify$/ }),
      'Konnect answered 500',
    ],
    ['when verify fails', () => konnect.failNextVerify([VERIFY_FAILED_ERROR]), VERIFY_FAILED_ERROR],
    [
      'before dropping the old key',
      () =>
        store.failNext('PutSecretValue', Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 1),
      'Rate exceeded',
    ],
  ])('interrupted %s: every request still succeeds, and a re-run completes it', async (_when, interrupt, reason) => {
    interrupt();

    await expect(cliRotation()).rejects.toThrow(reason);
    remember();
    expect(accepted()).toHaveLength(2);
    expect(accepted()).toContain(heldByKonnect());
    expect(await konnect.sendCreate(providerId)).toBe(201);

    const outcome = await cliRotation();
    expect(outcome.generated).toBe(false);
    await expectNoFailedRequest();
    expectEndsWithOneKey();
  });

  it('without the accept delay, a container that has just re-read its keys refuses the new key (why the wait exists)', async () => {
    // A stray wrong key makes the container re-read its keys now; for the next second it re-reads no more.
    await fetch(`${bridge.url}/`, {
      method: 'POST',
      headers: { 'x-api-key': 'SomeoneElsesKey0123456789' },
      body: '{}',
    });
    const rotation = runKonnectRotation(
      {
        secretId: KEY_SECRET_ARN,
        konnect: true,
        konnectUrl: konnectApiUrl(konnect.url),
        provider: { id: providerId },
        tokenSecretId: TOKEN_SECRET_ARN,
        acceptDelayMs: 0,
      },
      { client, print: () => undefined },
    );

    // Konnect's own verify already meets the refusal.
    await expect(rotation).rejects.toThrow(VERIFY_FAILED_ERROR);
    await sleep(300);
    const summary = await (traffic as KonnectTraffic).stop();
    traffic = undefined;
    remember();
    expect(summary.failures.map((failure) => failure.status)).toContain(401);
  });
});

describe('the scheduled rotation (Secrets Manager rotation Lambda) under continuous traffic', () => {
  it('has zero failed requests and ends with one key, AWSCURRENT on the rotation version', async () => {
    const token = await lambdaRotation();

    await expectNoFailedRequest();
    expectEndsWithOneKey();
    expect(store.stages(KEY_SECRET_ARN)[token]).toContain('AWSCURRENT');
  });

  it.each([
    ['setSecret (the PATCH)', () => konnect.inject({ status: 500, method: 'PATCH' }), 'Konnect answered 500'],
    ['testSecret (verify fails)', () => konnect.failNextVerify([VERIFY_FAILED_ERROR]), VERIFY_FAILED_ERROR],
    [
      'finishSecret',
      () =>
        store.failNext(
          'UpdateSecretVersionStage',
          Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
        ),
      'Rate exceeded',
    ],
  ])(
    'a failed %s throws (the errors alarm fires), both keys stay accepted, and the retry completes',
    async (_step, fail, reason) => {
      fail();
      const token = store.startRotation(KEY_SECRET_ARN);

      await expect(lambdaRotation(token)).rejects.toThrow(reason);
      remember();
      expect(accepted()).toHaveLength(2);
      expect(accepted()).toContain(heldByKonnect());
      expect(await konnect.sendCreate(providerId)).toBe(201);
      const failedLine = output.lines().findLast((line) => line.level === 'ERROR');
      expect(failedLine?.message).toMatch(/rotation step failed/);

      // Secrets Manager re-attempts the rotation that is not complete, with the same token.
      await lambdaRotation(token);
      await expectNoFailedRequest();
      expectEndsWithOneKey();
    },
  );
});

describe("the provider's other labels, whether Konnect merges or replaces labels on PATCH", () => {
  const labelsNow = () => konnect.providers.get(providerId)?.provider.labels;

  it.each(['merge', 'replace'] as const)('%s: the command line and the scheduled rotation keep them', async (mode) => {
    const record = konnect.providers.get(providerId);
    if (record) record.provider.labels = { ...record.provider.labels, team: 'platform', [OWNER_LABEL]: OWNER };
    konnect.labelsOnPatch = mode;
    try {
      await cliRotation(OWNER);
      expect(labelsNow()).toMatchObject({ team: 'platform', [OWNER_LABEL]: OWNER });
      process.env.KONNECT_PROVIDER_OWNER = OWNER;
      await lambdaRotation();
    } finally {
      konnect.labelsOnPatch = 'merge';
      delete process.env.KONNECT_PROVIDER_OWNER;
    }
    await expectNoFailedRequest();
    expectEndsWithOneKey();
    expect(labelsNow()).toEqual({
      team: 'platform',
      [OWNER_LABEL]: OWNER,
      [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(heldByKonnect()),
    });
    // The container re-read its keys moments ago; the next test's first key must not meet its refresh pause.
    await sleep(ACCEPT_DELAY_MS);
  });
});

describe('what the command-line rotation refuses', () => {
  it("a provider whose owner label is not --owner's, before writing anything", async () => {
    const record = konnect.providers.get(providerId);
    if (record) record.provider.labels = { ...record.provider.labels, [OWNER_LABEL]: OWNER };
    const writes = konnect.writes().length;

    await expect(cliRotation('0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d')).rejects.toThrow(/is not this bridge's/);
    expect(accepted()).toEqual([FIRST_KEY]);
    expect(konnect.writes()).toHaveLength(writes);
  });

  it('starting while a scheduled rotation is under way; the scheduled one then completes', async () => {
    const token = store.startRotation(KEY_SECRET_ARN);
    await rotationHandler({ Step: 'createSecret', SecretId: KEY_SECRET_ARN, ClientRequestToken: token });

    await expect(cliRotation()).rejects.toThrow(/A scheduled rotation of .* is under way/);
    expect(accepted()).toEqual([FIRST_KEY]);

    for (const Step of ['setSecret', 'testSecret', 'finishSecret']) {
      await rotationHandler({ Step, SecretId: KEY_SECRET_ARN, ClientRequestToken: token });
    }
    await expectNoFailedRequest();
    expectEndsWithOneKey();
  });
});

describe('secrets', () => {
  it('no key and no Konnect token in any output, log line or progress line', () => {
    const text = output.text() + printed.join('\n');
    expect(printed.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(5);
    for (const secret of [...seen, konnect.token]) expect(text).not.toContain(secret);
    expect(JSON.stringify(konnect.requests)).not.toContain(FIRST_KEY);
  });
});
