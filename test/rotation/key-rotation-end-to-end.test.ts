import { setTimeout } from 'node:timers/promises';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  PutSecretValueCommand,
  type PutSecretValueCommandInput,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { rotateKonnectKey } from '../../bin/rotation/rotate-konnect-key';
import { loadBridgeDependencies } from '../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { type CapturedOutput, captureOutput } from '../support/captured-output';
import { apiGatewayEvent, lambdaContext } from '../unit/support/api-gateway';

const KEY_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-key-AbCdEf';
const OLD_KEY = 'KonnectKeyInUseBeforeTheRotation0123456789abcde';

/**
 * One Secrets Manager for the whole file: `mockClient(SecretsManagerClient)` replaces `send` on
 * every client, so the handler's own client and the rotation helper's share this store.
 */
const store = new Map<string, string>();
const secretsManager = mockClient(SecretsManagerClient);
secretsManager.on(GetSecretValueCommand).callsFake((input: GetSecretValueCommandInput) => {
  const value = store.get(input.SecretId as string);
  if (value === undefined) throw new ResourceNotFoundException({ message: 'not found', $metadata: {} });
  return { ARN: input.SecretId, SecretString: value };
});
secretsManager.on(PutSecretValueCommand).callsFake((input: PutSecretValueCommandInput) => {
  store.set(input.SecretId as string, input.SecretString as string);
  return { ARN: input.SecretId, VersionId: `v${store.size}` };
});

const keyReads = () =>
  secretsManager.commandCalls(GetSecretValueCommand).filter((call) => call.args[0].input.SecretId === KEY_SECRET_ARN)
    .length;

/** A bridge container as Lambda would run it, configured like the stack configures it. */
function bridgeContainer(cacheTtlSeconds: number) {
  const handler = createBridgeHandler(() =>
    loadBridgeDependencies({
      IDP_REGISTRATION_ENDPOINT: 'https://idp.example.com/register',
      KONNECT_API_KEY_SECRET_ARN: KEY_SECRET_ARN,
      KEY_CACHE_TTL_SECONDS: String(cacheTtlSeconds),
      KEY_REFRESH_MIN_INTERVAL_SECONDS: '0',
    }),
  );
  /** Status of one Konnect call with this key; an unknown event type never reaches the IdP. */
  return async (key: string): Promise<number> => {
    const event = apiGatewayEvent({
      resource: '/{clientId}/event-hook',
      httpMethod: 'POST',
      clientId: 'client-1',
      headers: { 'X-API-KEY': key, 'Content-Type': 'application/json' },
      body: JSON.stringify({ event_type: 'key_rotation_probe', client_id: 'client-1' }),
    });
    const result = await handler(event, lambdaContext());
    return result.statusCode;
  };
}

const rotate = (phase: 'add' | 'finish') =>
  rotateKonnectKey(new SecretsManagerClient({ region: 'eu-west-1' }), { secretId: KEY_SECRET_ARN, phase });

describe('zero-downtime Konnect key rotation: rotate-key helper + the real handler', () => {
  let output: CapturedOutput;

  beforeAll(() => {
    output = captureOutput();
  });

  afterAll(() => {
    output.restore();
    secretsManager.restore();
  });

  it('accepts old and new key during the switch, and afterwards only the new one', async () => {
    store.set(KEY_SECRET_ARN, OLD_KEY);
    // A warm container that caches the keys for 5 minutes, as deployed.
    const warm = bridgeContainer(300);
    // A container whose cache has expired by the time of each call (KEY_CACHE_TTL_SECONDS=0).
    const expired = bridgeContainer(0);
    // A container with a one-second cache, to watch the cache run out.
    const shortLived = bridgeContainer(1);
    expect(await warm(OLD_KEY)).toBe(200);
    expect(await expired(OLD_KEY)).toBe(200);

    // Phase add: the secret holds both keys; Konnect still sends the old one.
    const { newKey } = await rotate('add');
    if (!newKey) throw new Error('expected a new key');
    expect(JSON.parse(store.get(KEY_SECRET_ARN) as string)).toEqual([OLD_KEY, newKey]);

    const readsBefore = keyReads();
    // The new key works at once in the warm container, its 5-minute cache notwithstanding:
    // an unknown key forces one re-read of the secret.
    expect(await warm(newKey)).toBe(200);
    expect(keyReads()).toBe(readsBefore + 1);
    expect(await warm(OLD_KEY)).toBe(200);
    expect(await expired(newKey)).toBe(200);
    expect(await expired(OLD_KEY)).toBe(200);
    expect(await shortLived(OLD_KEY)).toBe(200);

    // Phase finish: only the new key is stored.
    await rotate('finish');
    expect(store.get(KEY_SECRET_ARN)).toBe(newKey);

    // Once the cache has expired, the old key is refused and the new one still works.
    expect(await expired(OLD_KEY)).toBe(401);
    expect(await expired(newKey)).toBe(200);
    // The warm container keeps both until its cache expires (the documented 5-minute tail).
    expect(await warm(OLD_KEY)).toBe(200);
    expect(await warm(newKey)).toBe(200);
    // Past its TTL the short-lived cache re-reads the secret: the old key is refused from then on.
    await setTimeout(1500);
    expect(await shortLived(OLD_KEY)).toBe(401);
    expect(await shortLived(newKey)).toBe(200);
    // A key that was never stored is refused everywhere.
    expect(await warm('NeverStoredKey0123456789')).toBe(401);
  });

  it('never logs either key', () => {
    const logs = output.text();

    expect(logs).not.toBe('');
    expect(logs).not.toContain(OLD_KEY);
    for (const value of store.values()) expect(logs).not.toContain(value);
  });
});
