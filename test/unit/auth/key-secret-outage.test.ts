import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import {
  GetSecretValueCommand,
  InvalidRequestException,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { KeyConfigurationError, SecretsManagerKeySource } from '../../../functions/auth/konnect-key-source';
import { captureOutputPerTest } from '../../support/captured-output';
import { deadPort } from '../support/loopback-server';

const KEY_A = 'konnect_key_AAAAAAAAAAAA';
const KEY_B = 'konnect_key_BBBBBBBBBBBB';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:konnect-keys-AbCdEf';
const TTL_SECONDS = 300;
const TTL_MS = TTL_SECONDS * 1000;
const GRACE_MS = 2 * TTL_MS;

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
const notFound = () =>
  new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: {} });

/** What the "secret store" answers; a test changes it between reads. */
interface Store {
  value?: string;
  failure?: () => Error;
}

describe('SecretsManagerKeySource in a Secrets Manager outage (SDK client mock, test clock)', () => {
  const output = captureOutputPerTest();
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const secretsManager = mockClient(client);
  let store: Store;
  let clock: { now: number };

  beforeEach(() => {
    store = { value: KEY_A };
    clock = { now: 1_000_000_000 };
    secretsManager.reset();
    secretsManager.on(GetSecretValueCommand).callsFake(() => {
      if (store.failure) throw store.failure();
      return { SecretString: store.value };
    });
  });

  afterAll(() => {
    secretsManager.restore();
  });

  const reads = () => secretsManager.commandCalls(GetSecretValueCommand).length;
  const source = () =>
    new SecretsManagerKeySource(new SecretsProvider({ awsSdkV3Client: client }), SECRET_ARN, TTL_SECONDS, {
      now: () => clock.now,
    });

  /** A source that read KEY_A at clock 0 of the test. */
  async function warmSource() {
    const warm = source();
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    return { warm, readAt: clock.now };
  }

  it('defines the grace as 2 × the cache TTL after the last successful read', () => {
    expect(source().graceMs).toBe(GRACE_MS);
  });

  it('fails closed while nothing was ever read: unreachable, throttled, missing or malformed', async () => {
    const failures: Array<[string, Partial<Store>]> = [
      ['unreachable', { failure: () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }],
      ['throttled', { failure: throttled }],
      ['missing', { failure: notFound }],
      ['malformed', { value: 'not a key!' }],
    ];
    for (const [, failure] of failures) {
      store = { ...failure };
      await expect(source().keys(false)).rejects.toBeDefined();
    }
    expect(reads()).toBe(failures.length);
  });

  it('keeps the keys read before through an outage up to the grace, and not a millisecond longer', async () => {
    const { warm, readAt } = await warmSource();
    store.failure = throttled;

    // Within the TTL: the cache answers, Secrets Manager is not asked.
    clock.now = readAt + TTL_MS - 1;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    expect(reads()).toBe(1);

    // The TTL is over: the read fails, the old keys stand in, and the next try waits a few seconds.
    clock.now = readAt + TTL_MS;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    expect(reads()).toBe(2);
    clock.now += 4999;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    expect(reads()).toBe(2);

    // The last moment of the grace: one more failed read, still served.
    clock.now = readAt + GRACE_MS;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    expect(reads()).toBe(3);

    // One millisecond past it: fail closed.
    clock.now = readAt + GRACE_MS + 1;
    await expect(warm.keys(false)).rejects.toMatchObject({ name: 'GetParameterError' });
    expect(reads()).toBe(4);
    expect(output.text()).toContain('Could not re-read the accepted keys; using the ones read before');
    expect(output.text()).toContain('"reason":"ThrottlingException"');
    expect(output.text()).not.toContain(KEY_A);
  });

  it('recovers by itself when the secret can be read again, past the grace too', async () => {
    const { warm, readAt } = await warmSource();
    store.failure = throttled;
    clock.now = readAt + GRACE_MS + 1;
    await expect(warm.keys(false)).rejects.toBeDefined();

    store = { value: JSON.stringify([KEY_A, KEY_B]) };
    await expect(warm.keys(false)).resolves.toEqual([KEY_A, KEY_B]);
    // A fresh read starts a fresh TTL: the cache answers again.
    clock.now += TTL_MS - 1;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A, KEY_B]);
    expect(reads()).toBe(3);
  });

  it('serves the old keys on a forced refresh within the grace (a wrong key is then simply refused)', async () => {
    const { warm } = await warmSource();
    store.failure = throttled;

    await expect(warm.keys(true)).resolves.toEqual([KEY_A]);
    expect(reads()).toBe(2);
  });

  it('treats a malformed value after a good one like an outage, logged as an error for a person to fix', async () => {
    const { warm, readAt } = await warmSource();
    store.value = 'leaked-but-malformed value';

    clock.now = readAt + TTL_MS;
    await expect(warm.keys(false)).resolves.toEqual([KEY_A]);
    clock.now = readAt + GRACE_MS + 1;
    await expect(warm.keys(false)).rejects.toBeInstanceOf(KeyConfigurationError);
    expect(output.text()).toContain('The Konnect key secret holds no valid keys');
    expect(output.text()).not.toContain('leaked-but-malformed');
  });

  it.each([
    ['ResourceNotFoundException', notFound],
    [
      'InvalidRequestException (scheduled for deletion)',
      () =>
        new InvalidRequestException({
          message: "You can't perform this operation on the secret because it was marked for deletion.",
          $metadata: {},
        }),
    ],
  ])('stops honouring the keys at once when the secret is deleted: %s, even within the grace', async (_label, gone) => {
    const { warm, readAt } = await warmSource();
    store.failure = gone;

    clock.now = readAt + TTL_MS;
    await expect(warm.keys(false)).rejects.toBeInstanceOf(KeyConfigurationError);
    // Forgotten: the cache does not answer any more, even within what was the TTL.
    clock.now = readAt + 1;
    await expect(warm.keys(false)).rejects.toBeInstanceOf(KeyConfigurationError);
    expect(reads()).toBe(3);
    expect(output.text()).toContain('The Konnect key secret no longer exists');

    store = { value: KEY_B };
    await expect(warm.keys(false)).resolves.toEqual([KEY_B]);
  });

  it('learns of a deletion on a forced refresh within the TTL, and forgets the keys', async () => {
    const { warm } = await warmSource();
    store.failure = notFound;

    await expect(warm.keys(true)).rejects.toBeInstanceOf(KeyConfigurationError);
    await expect(warm.keys(false)).rejects.toBeInstanceOf(KeyConfigurationError);
  });

  it('shares one read among requests that arrive together', async () => {
    const cold = source();

    const answers = await Promise.all([cold.keys(false), cold.keys(false), cold.keys(true)]);

    expect(answers).toEqual([[KEY_A], [KEY_A], [KEY_A]]);
    expect(reads()).toBe(1);
  });
});

describe('SecretsManagerKeySource with the real SDK client against a broken loopback endpoint', () => {
  const output = captureOutputPerTest();
  let hanging: http.Server;
  let hangingUrl: string;
  let requestsSeen = 0;

  beforeAll(async () => {
    // Accepts the request and never answers, like a blackholed network path.
    hanging = http.createServer(() => {
      requestsSeen += 1;
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()));
    hangingUrl = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    hanging.closeAllConnections();
    await new Promise<void>((resolve) => hanging.close(() => resolve()));
  });

  const sourceAt = (endpoint: string) => {
    const client = new SecretsManagerClient({
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
      maxAttempts: 1,
    });
    return new SecretsManagerKeySource(new SecretsProvider({ awsSdkV3Client: client }), SECRET_ARN, TTL_SECONDS, {
      readTimeoutMs: 300,
    });
  };

  it('fails a read that hangs after its read timeout, instead of waiting for the Lambda timeout', async () => {
    const error = await sourceAt(hangingUrl)
      .keys(false)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'SecretReadTimeoutError' });
    expect(requestsSeen).toBeGreaterThan(0);
  });

  it('fails a read whose endpoint refuses connections at once, passing the refusal on as its cause', async () => {
    const port = await deadPort();

    const error = await sourceAt(`http://127.0.0.1:${port}`)
      .keys(false)
      .catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'GetParameterError' });
    // The SDK wraps the socket error; its message (with the address) is never logged, only names are.
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(output.text()).not.toContain(String(port));
  });
});
