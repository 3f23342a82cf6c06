import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint } from '../../functions/konnect/key-fingerprint';
import { OWNER_LABEL } from '../../functions/konnect/provider-owner';
import { handleProviderEvent, onEvent } from '../../functions/konnect/provider-resource';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import { type CapturedOutput, captureOutput } from '../support/captured-output';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { mockSecretsManagerMap } from '../support/secrets-manager-map';

const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-token-AbCdEf';
const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-key-AbCdEf';
const KEY = 'ProviderResourceKeyOne_0123456789';
const NEXT_KEY = 'ProviderResourceKeyTwo_0123456789';
/** The stack's UUID, as the stack passes it (Fn::Select 2 of its stack id split on "/"). */
const OWNER = '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f';
const OTHER_OWNER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

const { secrets: store, mock: secretsManager } = mockSecretsManagerMap();

const env = { KONNECT_TOKEN_SECRET_ARN: TOKEN_ARN, KONNECT_API_KEY_SECRET_ARN: KEY_ARN };

describe('the Konnect provider custom resource (onEvent)', () => {
  let bridge: TestBridge;
  let konnect: FakeKonnect;
  let output: CapturedOutput;
  let properties: Record<string, string>;

  const event = (
    requestType: 'Create' | 'Update' | 'Delete',
    overrides: Record<string, string> = {},
    physicalId?: string,
  ): CloudFormationCustomResourceEvent => {
    const common = {
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
      ResponseURL: 'https://cloudformation-custom-resource-response.example.com/',
      StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/dcr-okta-partners/1',
      RequestId: 'request-1',
      LogicalResourceId: 'KonnectDcrProvider',
      ResourceType: 'Custom::KonnectDcrProvider',
      ResourceProperties: {
        ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
        ...properties,
        ...overrides,
      },
    };
    if (requestType === 'Create') return { ...common, RequestType: 'Create' };
    if (requestType === 'Update') {
      return {
        ...common,
        RequestType: 'Update',
        PhysicalResourceId: physicalId ?? 'none',
        OldResourceProperties: common.ResourceProperties,
      };
    }
    return { ...common, RequestType: 'Delete', PhysicalResourceId: physicalId ?? 'none' };
  };

  const handle = (input: CloudFormationCustomResourceEvent) =>
    handleProviderEvent(input, { secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }), env });

  beforeAll(async () => {
    bridge = await startTestBridge([KEY, NEXT_KEY]);
    konnect = await startFakeKonnect();
    output = captureOutput();
  });

  afterAll(async () => {
    output.restore();
    secretsManager.restore();
    await konnect.close();
    await bridge.stop();
  });

  beforeEach(() => {
    konnect.providers.clear();
    konnect.requests.length = 0;
    store.set(TOKEN_ARN, JSON.stringify({ token: konnect.token }));
    store.set(KEY_ARN, KEY);
    properties = {
      KonnectApiUrl: konnect.url,
      ProviderName: 'dcr-okta-partners',
      DcrBaseUrl: bridge.local.bridgeUrl,
      Issuer: 'https://idp.example.com/oauth2/default',
      DisableRefreshSecret: 'false',
      RemoveOnDelete: 'false',
      StackLabel: 'dcr-okta-partners',
      Owner: OWNER,
      Adopt: 'false',
    };
  });

  it('Create makes and verifies the provider; its id is the physical id', async () => {
    const result = await handle(event('Create'));

    const created = konnect.providerNamed('dcr-okta-partners');
    expect(result).toEqual({
      PhysicalResourceId: created?.provider.id,
      Data: { ProviderId: created?.provider.id, Action: 'created' },
    });
    expect(created?.apiKey).toBe(KEY);
    expect(created?.provider.labels?.[OWNER_LABEL]).toBe(OWNER);
    expect(konnect.verifications.at(-1)?.status).toBe('success');
  });

  describe("ownership: a provider found by name is changed only when it is this stack's", () => {
    const seed = (labels: Record<string, string>) =>
      konnect.seedProvider(
        {
          name: 'dcr-okta-partners',
          dcr_config: { dcr_base_url: bridge.local.bridgeUrl },
          labels: { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(KEY), ...labels },
        },
        KEY,
      );

    it('owner label equal: managed', async () => {
      const record = seed({ [OWNER_LABEL]: OWNER });
      await expect(handle(event('Create'))).resolves.toMatchObject({ PhysicalResourceId: record.provider.id });
    });

    it('owner label absent: the deploy fails, untouched, naming the way out', async () => {
      const record = seed({});
      const before = structuredClone(record.provider);

      await expect(handle(event('Create'))).rejects.toThrow(/has no dcr-bridge-owner label.*konnectAdoptProvider/);
      expect(konnect.providers.get(record.provider.id)?.provider).toEqual(before);
      expect(konnect.writes()).toEqual([]);
    });

    it('owner label absent, Adopt "true": adopted and labelled', async () => {
      const record = seed({ team: 'platform' });

      await expect(handle(event('Create', { Adopt: 'true' }))).resolves.toMatchObject({
        PhysicalResourceId: record.provider.id,
        Data: { Action: 'updated' },
      });
      expect(konnect.providers.get(record.provider.id)?.provider.labels).toMatchObject({
        [OWNER_LABEL]: OWNER,
        team: 'platform',
      });
    });

    it('owner label absent on the provider this resource made before it labelled (Update): adopted', async () => {
      const record = seed({});
      await expect(handle(event('Update', {}, record.provider.id))).resolves.toMatchObject({
        PhysicalResourceId: record.provider.id,
      });
      expect(konnect.providers.get(record.provider.id)?.provider.labels?.[OWNER_LABEL]).toBe(OWNER);
    });

    it('owner label different: the deploy fails, untouched, even with Adopt, naming the conflict', async () => {
      const record = seed({ [OWNER_LABEL]: OTHER_OWNER });
      const before = structuredClone(record.provider);

      for (const request of [event('Create', { Adopt: 'true' }), event('Update', {}, record.provider.id)]) {
        await expect(handle(request)).rejects.toThrow(`belongs to another bridge (${OWNER_LABEL}=${OTHER_OWNER})`);
      }
      expect(konnect.providers.get(record.provider.id)?.provider).toEqual(before);
      expect(konnect.writes()).toEqual([]);
    });

    it("Delete with RemoveOnDelete removes only a provider whose owner label is this stack's", async () => {
      const absent = seed({});
      const other = konnect.seedProvider({ name: 'elsewhere', labels: { [OWNER_LABEL]: OTHER_OWNER } });
      for (const id of [absent.provider.id, other.provider.id]) {
        await expect(handle(event('Delete', { RemoveOnDelete: 'true' }, id))).resolves.toEqual({
          PhysicalResourceId: id,
        });
        expect(konnect.providers.has(id)).toBe(true);
      }
      expect(konnect.writes()).toEqual([]);
    });
  });

  it('Update with the newest key of a rotation PATCHes it; an unchanged Update writes nothing', async () => {
    const { PhysicalResourceId: id } = await handle(event('Create'));
    store.set(KEY_ARN, JSON.stringify([KEY, NEXT_KEY]));

    const updated = await handle(event('Update', {}, id));
    expect(updated).toEqual({ PhysicalResourceId: id, Data: { ProviderId: id, Action: 'updated' } });
    expect(konnect.apiKeyOf(id)).toBe(NEXT_KEY);
    expect(konnect.providers.get(id)?.provider.labels?.[KEY_FINGERPRINT_LABEL]).toBe(konnectKeyFingerprint(NEXT_KEY));

    konnect.requests.length = 0;
    const again = await handle(event('Update', {}, id));
    expect(again.Data?.Action).toBe('unchanged');
    expect(konnect.writes()).toEqual([]);
  });

  it("fails the deployment with Konnect's errors when the verify fails", async () => {
    konnect.failNextVerify([VERIFY_FAILED_ERROR]);

    await expect(handle(event('Create'))).rejects.toThrow(
      `Konnect could not verify the bridge: ${VERIFY_FAILED_ERROR}`,
    );
  });

  it('fails with a readable Konnect error, never the token, when the token is refused', async () => {
    const wrong = 'kpat_RevokedTokenOfTheCustomResource0123';
    store.set(TOKEN_ARN, wrong);

    const error = (await handle(event('Create')).catch((caught: unknown) => caught)) as Error;

    expect(error.message).toMatch(/^Konnect answered 401 Unauthorized: Unauthorized/);
    expect(error.message).not.toContain(wrong);
  });

  it('names the secret it could not read', async () => {
    store.delete(KEY_ARN);

    await expect(handle(event('Create'))).rejects.toThrow(
      'could not read the Konnect key secret: ResourceNotFoundException',
    );
  });

  it('Delete leaves the provider in Konnect by default, without reading any secret', async () => {
    const { PhysicalResourceId: id } = await handle(event('Create'));
    store.clear();
    konnect.requests.length = 0;

    expect(await handle(event('Delete', {}, id))).toEqual({ PhysicalResourceId: id });
    expect(konnect.providers.has(id)).toBe(true);
    expect(konnect.requests).toEqual([]);
  });

  it('Delete removes the provider when RemoveOnDelete is "true", and tolerates one already gone', async () => {
    const { PhysicalResourceId: id } = await handle(event('Create'));

    await handle(event('Delete', { RemoveOnDelete: 'true' }, id));
    expect(konnect.providers.has(id)).toBe(false);

    await expect(handle(event('Delete', { RemoveOnDelete: 'true' }, id))).resolves.toEqual({ PhysicalResourceId: id });
  });

  it('Delete leaves a provider an auth strategy still uses, even with RemoveOnDelete', async () => {
    const { PhysicalResourceId: id } = await handle(event('Create'));
    const record = konnect.providers.get(id);
    if (record) record.provider.active = true;

    await handle(event('Delete', { RemoveOnDelete: 'true' }, id));

    expect(konnect.providers.has(id)).toBe(true);
  });

  it('Delete after a failed Create (no provider id) calls nothing', async () => {
    konnect.requests.length = 0;

    await handle(event('Delete', { RemoveOnDelete: 'true' }, 'AWSCDK::CustomResourceProviderFramework::CREATE_FAILED'));

    expect(konnect.requests).toEqual([]);
  });

  it('refuses, untouched, an existing provider of another type with the name', async () => {
    const okta = konnect.seedProvider({ name: 'dcr-okta-partners', provider_type: 'okta' });

    await expect(handle(event('Create'))).rejects.toThrow('of type okta');
    expect(konnect.writes()).toEqual([]);
    expect(konnect.providers.get(okta.provider.id)?.provider.provider_type).toBe('okta');
  });

  it('onEvent reads its environment and uses its own SDK client', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, env, { AWS_REGION: 'eu-west-1' });
    try {
      const result = await onEvent(event('Create'), { getRemainingTimeInMillis: () => 60_000 });

      expect(result.Data?.Action).toBe('created');
    } finally {
      for (const name of [...Object.keys(env), 'AWS_REGION']) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
    }
  });

  it('never logs the token or a key', () => {
    const logs = output.text();

    expect(logs).toContain('Konnect DCR provider connected');
    for (const secret of [konnect.token, KEY, NEXT_KEY]) expect(logs).not.toContain(secret);
  });
});
