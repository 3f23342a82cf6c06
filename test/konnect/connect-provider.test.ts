import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  connectProvider,
  type DesiredProvider,
  KonnectVerificationFailed,
  ProviderTypeConflict,
} from '../../functions/konnect/connect-provider';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint, STACK_LABEL } from '../../functions/konnect/key-fingerprint';
import { KonnectApi } from '../../functions/konnect/konnect-api';
import { OWNER_LABEL, ProviderOwnerConflict } from '../../functions/konnect/provider-owner';
import { DEFAULT_ACCEPT_DELAY_MS } from '../../functions/konnect/rotate-with-konnect';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'ConnectProviderKeyOne_0123456789';
const NEXT_KEY = 'ConnectProviderKeyTwo_0123456789';
const REFUSED_KEY = 'KeyTheBridgeNeverAccepts_0123456789';
/** Stack UUIDs (the last part of a stack id). */
const OWNER = '3f1c0e9a-5b2d-4c7e-9f10-2a3b4c5d6e7f';
const OTHER_OWNER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

/** connectProvider over real HTTP: the fake Konnect, whose verify calls the local bridge. */
describe('connectProvider', () => {
  let bridge: TestBridge;
  let konnect: FakeKonnect;
  let api: KonnectApi;
  let desired: DesiredProvider;

  beforeAll(async () => {
    bridge = await startTestBridge([KEY, NEXT_KEY]);
    konnect = await startFakeKonnect();
    api = new KonnectApi({ baseUrl: konnect.url, token: konnect.token, callTimeoutMs: 10_000 });
  });

  afterAll(async () => {
    await konnect.close();
    await bridge.stop();
  });

  beforeEach(() => {
    konnect.providers.clear();
    konnect.requests.length = 0;
    desired = {
      name: 'dcr-okta-partners',
      dcrBaseUrl: bridge.local.bridgeUrl,
      issuer: 'https://idp.example.com/oauth2/default',
      apiKey: KEY,
      disableRefreshSecret: false,
      stackLabel: 'dcr-okta-partners',
      owner: OWNER,
    };
  });

  const calls = () =>
    konnect.requests.map((request) => `${request.method} ${request.path.replace(/[0-9a-f-]{36}/, '{id}')}`);

  it('creates the provider, labelled with the key fingerprint, and Konnect verifies it through the bridge', async () => {
    const result = await connectProvider(api, desired);

    expect(result).toMatchObject({ action: 'created', changed: [], verification: { status: 'success', errors: [] } });
    const record = konnect.providers.get(result.providerId);
    expect(record?.provider).toMatchObject({
      name: 'dcr-okta-partners',
      provider_type: 'http',
      issuer: desired.issuer,
      dcr_config: {
        dcr_base_url: bridge.local.bridgeUrl,
        disable_event_hooks: false,
        disable_refresh_secret: false,
        allow_multiple_credentials: false,
      },
      labels: {
        [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(KEY),
        [STACK_LABEL]: 'dcr-okta-partners',
        [OWNER_LABEL]: OWNER,
      },
    });
    expect(record?.apiKey).toBe(KEY);
    expect(calls()).toEqual(['GET /v2/dcr-providers', 'POST /v2/dcr-providers', 'POST /v2/dcr-providers/{id}/verify']);
    expect(konnect.verifications.at(-1)).toMatchObject({ status: 'success', bridgeStatus: 201 });
  });

  it('changes nothing when run again: only the lookup and the verify', async () => {
    const first = await connectProvider(api, desired);
    konnect.requests.length = 0;

    const second = await connectProvider(api, desired);

    expect(second).toMatchObject({ providerId: first.providerId, action: 'unchanged', changed: [] });
    expect(calls()).toEqual(['GET /v2/dcr-providers', 'POST /v2/dcr-providers/{id}/verify']);
    expect(konnect.writes()).toEqual([]);
  });

  it('PATCHes only a changed URL', async () => {
    const { providerId } = await connectProvider(api, desired);
    konnect.requests.length = 0;
    const moved = bridge.local.bridgeUrl.replace('127.0.0.1', 'localhost');

    const result = await connectProvider(api, { ...desired, dcrBaseUrl: moved });

    expect(result).toMatchObject({ action: 'updated', changed: ['dcr_config.dcr_base_url'] });
    const patch = konnect.requests.find((request) => request.method === 'PATCH');
    expect(patch?.body).toEqual({ dcr_config: { dcr_base_url: moved } });
    expect(konnect.providers.get(providerId)?.provider.dcr_config.dcr_base_url).toBe(moved);
    expect(result.verification?.status).toBe('success');
  });

  it('PATCHes a new key with its fingerprint, keeping the other labels', async () => {
    const { providerId } = await connectProvider(api, desired);
    const record = konnect.providers.get(providerId);
    if (record?.provider.labels) record.provider.labels.team = 'platform';
    konnect.requests.length = 0;

    const result = await connectProvider(api, { ...desired, apiKey: NEXT_KEY });

    expect(result).toMatchObject({ action: 'updated', changed: ['dcr_config.api_key'] });
    const patch = konnect.requests.find((request) => request.method === 'PATCH');
    expect(patch?.body).toEqual({
      dcr_config: { api_key: '[api_key]' },
      labels: {
        [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(NEXT_KEY),
        [STACK_LABEL]: 'dcr-okta-partners',
        [OWNER_LABEL]: OWNER,
        team: 'platform',
      },
    });
    expect(konnect.apiKeyOf(providerId)).toBe(NEXT_KEY);
    expect(konnect.verifications.at(-1)?.status).toBe('success');
  });

  it('PATCHes the issuer and refresh-secret switch, and nothing else', async () => {
    await connectProvider(api, desired);
    konnect.requests.length = 0;

    const result = await connectProvider(api, {
      ...desired,
      issuer: 'https://idp.example.com/oauth2/other',
      disableRefreshSecret: true,
    });

    expect(result.changed).toEqual(['issuer', 'dcr_config.disable_refresh_secret']);
    expect(konnect.requests.find((request) => request.method === 'PATCH')?.body).toEqual({
      issuer: 'https://idp.example.com/oauth2/other',
      dcr_config: { disable_refresh_secret: true },
    });
  });

  it("reports a failing verify with Konnect's errors, never the key", async () => {
    await expect(connectProvider(api, { ...desired, apiKey: REFUSED_KEY })).rejects.toThrow(KonnectVerificationFailed);
    const failure = (await connectProvider(api, { ...desired, apiKey: REFUSED_KEY }).catch(
      (error: unknown) => error,
    )) as KonnectVerificationFailed;

    expect(failure.errors).toContain(VERIFY_FAILED_ERROR);
    expect(failure.message).toContain(`Konnect could not verify the bridge: ${VERIFY_FAILED_ERROR}`);
    expect(failure.result.action).toBe('unchanged');
    expect(failure.message).not.toContain(REFUSED_KEY);
    expect(konnect.verifications.at(-1)?.bridgeStatus).toBe(401);
  });

  it('passes on the errors of a failed verify as Konnect words them', async () => {
    konnect.failNextVerify(['Unable to create the DCR application', `key ${KEY} refused`]);

    const failure = (await connectProvider(api, desired).catch((error: unknown) => error)) as KonnectVerificationFailed;

    expect(failure).toBeInstanceOf(KonnectVerificationFailed);
    expect(failure.errors).toEqual(['Unable to create the DCR application', 'key [redacted] refused']);
    expect(failure.result.action).toBe('created');
  });

  it('skips the verify when asked', async () => {
    const result = await connectProvider(api, desired, { verify: false });

    expect(result.verification).toBeUndefined();
    expect(calls()).not.toContain('POST /v2/dcr-providers/{id}/verify');
  });

  it('refuses, untouched, a provider of another type with the same name', async () => {
    const okta = konnect.seedProvider({ name: desired.name, provider_type: 'okta', dcr_config: {} });
    const before = structuredClone(okta.provider);

    const failure = await connectProvider(api, desired).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ProviderTypeConflict);
    expect((failure as Error).message).toContain(`named "${desired.name}" of type okta (${okta.provider.id})`);
    expect(konnect.providers.get(okta.provider.id)?.provider).toEqual(before);
    expect(calls()).toEqual(['GET /v2/dcr-providers']);
  });

  describe('ownership (the dcr-bridge-owner label)', () => {
    const seedOurs = (labels: Record<string, string>) =>
      konnect.seedProvider(
        {
          name: desired.name,
          dcr_config: { dcr_base_url: bridge.local.bridgeUrl },
          labels: { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(KEY), ...labels },
        },
        KEY,
      );

    it('manages a provider whose owner label is ours', async () => {
      const record = seedOurs({ [OWNER_LABEL]: OWNER });

      const result = await connectProvider(api, desired);

      expect(result.providerId).toBe(record.provider.id);
      expect(result.changed).not.toContain(`labels.${OWNER_LABEL}`);
    });

    it('refuses, untouched, a provider without owner label unless adoption is asked', async () => {
      const record = seedOurs({});
      const before = structuredClone(record.provider);
      const verifies = konnect.verifications.length;

      const failure = await connectProvider(api, desired).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(ProviderOwnerConflict);
      expect((failure as Error).message).toContain(`has no ${OWNER_LABEL} label`);
      expect((failure as Error).message).toContain('--adopt');
      expect(konnect.providers.get(record.provider.id)?.provider).toEqual(before);
      expect(konnect.writes()).toEqual([]);
      expect(konnect.verifications).toHaveLength(verifies);
    });

    it('adopts a provider without owner label when asked, and labels it ours', async () => {
      const record = seedOurs({ team: 'platform' });

      const result = await connectProvider(api, desired, { adopt: true });

      expect(result.changed).toContain(`labels.${OWNER_LABEL}`);
      expect(konnect.providers.get(record.provider.id)?.provider.labels).toMatchObject({
        [OWNER_LABEL]: OWNER,
        team: 'platform',
      });
      // Ours from now on: the next run needs no adoption.
      await expect(connectProvider(api, desired)).resolves.toMatchObject({ action: 'unchanged' });
    });

    it("refuses, untouched, another bridge's provider, even with adoption asked, naming the conflict", async () => {
      const record = seedOurs({ [OWNER_LABEL]: OTHER_OWNER });
      const before = structuredClone(record.provider);

      for (const options of [{}, { adopt: true }, { adoptProviderId: record.provider.id }]) {
        const failure = await connectProvider(api, { ...desired, apiKey: NEXT_KEY }, options).catch(
          (error: unknown) => error,
        );
        expect(failure).toBeInstanceOf(ProviderOwnerConflict);
        expect((failure as Error).message).toContain(`belongs to another bridge (${OWNER_LABEL}=${OTHER_OWNER})`);
        expect((failure as Error).message).toContain('another provider name');
      }
      expect(konnect.providers.get(record.provider.id)?.provider).toEqual(before);
      expect(konnect.writes()).toEqual([]);
    });

    it('without an owner (a manual connect): creates, manages an unlabelled provider only with adoption, never an owned one', async () => {
      const manual = { ...desired, owner: undefined };
      const { providerId } = await connectProvider(api, manual);
      expect(konnect.providers.get(providerId)?.provider.labels?.[OWNER_LABEL]).toBeUndefined();

      await expect(connectProvider(api, manual)).rejects.toThrow(ProviderOwnerConflict);
      await expect(connectProvider(api, manual, { adopt: true })).resolves.toMatchObject({ action: 'unchanged' });
      expect(konnect.providers.get(providerId)?.provider.labels?.[OWNER_LABEL]).toBeUndefined();

      const record = konnect.providers.get(providerId);
      if (record?.provider.labels) record.provider.labels[OWNER_LABEL] = OTHER_OWNER;
      await expect(connectProvider(api, manual, { adopt: true })).rejects.toThrow(/belongs to another bridge/);
    });
  });

  describe('a key stored moments ago', () => {
    const clock = 1_800_000_000_000;

    it('waits until it has been stored for the accept delay before Konnect gets it (create or PATCH)', async () => {
      const sleeps: number[] = [];
      const order: string[] = [];
      const sleep = async (ms: number) => {
        sleeps.push(ms);
        order.push(`sleep ${ms}`);
      };
      const timing = { keyStoredAt: new Date(clock - 4_000), now: () => clock, sleep };

      await connectProvider(api, desired, timing);
      expect(sleeps).toEqual([DEFAULT_ACCEPT_DELAY_MS - 4_000]);

      konnect.requests.length = 0;
      const original = konnect.requests.push.bind(konnect.requests);
      konnect.requests.push = (...records) => {
        for (const record of records) order.push(`${record.method} ${record.path.replace(/[0-9a-f-]{36}/, '{id}')}`);
        return original(...records);
      };
      await connectProvider(
        api,
        { ...desired, apiKey: NEXT_KEY },
        { ...timing, acceptDelayMs: 2_500, now: () => clock - 3_000 },
      );
      konnect.requests.push = original;
      expect(sleeps).toEqual([DEFAULT_ACCEPT_DELAY_MS - 4_000, 1_500]);
      expect(order.slice(-4)).toEqual([
        'GET /v2/dcr-providers',
        'sleep 1500',
        'PATCH /v2/dcr-providers/{id}',
        'POST /v2/dcr-providers/{id}/verify',
      ]);
    });

    it('does not wait for an old key, nor when the key is not sent', async () => {
      const sleeps: number[] = [];
      const sleep = async (ms: number) => {
        sleeps.push(ms);
      };
      await connectProvider(api, desired, {
        keyStoredAt: new Date(clock - DEFAULT_ACCEPT_DELAY_MS),
        now: () => clock,
        sleep,
      });
      // Konnect holds this key already (its label says so): nothing to wait for.
      await connectProvider(api, desired, { keyStoredAt: new Date(clock), now: () => clock, sleep });
      expect(sleeps).toEqual([]);
    });
  });
});
