import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  connectProvider,
  type DesiredProvider,
  KonnectVerificationFailed,
  ProviderTypeConflict,
} from '../../functions/konnect/connect-provider';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint, STACK_LABEL } from '../../functions/konnect/key-fingerprint';
import { KonnectApi } from '../../functions/konnect/konnect-api';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'ConnectProviderKeyOne_0123456789';
const NEXT_KEY = 'ConnectProviderKeyTwo_0123456789';
const REFUSED_KEY = 'KeyTheBridgeNeverAccepts_0123456789';

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
      labels: { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(KEY), [STACK_LABEL]: 'dcr-okta-partners' },
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
});
