import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import {
  KeyConfigurationError,
  type KonnectKeySource,
  parseKeySecret,
  SecretsManagerKeySource,
  StaticKeySource,
} from '../../../functions/auth/konnect-key-source';

const KEY_A = 'konnect_key_AAAAAAAAAAAA';
const KEY_B = 'konnect_key_BBBBBBBBBBBB';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:konnect-keys-AbCdEf';

function configurationError(run: () => unknown): KeyConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof KeyConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a KeyConfigurationError');
}

describe('parseKeySecret', () => {
  it('reads a single key', () => {
    expect(parseKeySecret(KEY_A)).toEqual([KEY_A]);
  });

  it('trims whitespace and a trailing newline around a single key', () => {
    expect(parseKeySecret(`  ${KEY_A}\n`)).toEqual([KEY_A]);
  });

  it('reads a JSON list of keys (a rotation in progress)', () => {
    expect(parseKeySecret(JSON.stringify([KEY_A, KEY_B]))).toEqual([KEY_A, KEY_B]);
  });

  it('accepts the bounds of the Konnect key rule: 12 and 256 characters', () => {
    expect(parseKeySecret('a'.repeat(12))).toEqual(['a'.repeat(12)]);
    expect(parseKeySecret('b'.repeat(256))).toEqual(['b'.repeat(256)]);
  });

  it.each([
    ['bad JSON', '["konnect_key_AAAAAAAAAAAA", oops]'],
    ['an unterminated list', '[ "konnect_key_secretvalue1"'],
  ])('refuses %s without echoing it', (_label, value) => {
    const error = configurationError(() => parseKeySecret(value));
    expect(error.name).toBe('KeyConfigurationError');
    expect(error.message).toContain('JSON list');
    expect(error.message).not.toContain('konnect_key');
    expect(error.message).not.toContain('secretvalue');
  });

  it.each([
    ['an empty list', '[]'],
    ['an empty value', ''],
    ['only whitespace', '   '],
  ])('refuses %s', (_label, value) => {
    const error = configurationError(() => parseKeySecret(value));
    expect(error.message.length).toBeGreaterThan(0);
  });

  it.each([
    ['11 characters', 'secret_1234'],
    ['257 characters', `secret_${'x'.repeat(250)}`],
    ['a dash', 'secret-value-with-dash'],
    ['a space inside', 'secret value inside'],
    ['a non-ASCII letter', 'secret_vàlue_12345'],
  ])('refuses a key with %s and never includes the value', (_label, value) => {
    for (const secret of [value, JSON.stringify([KEY_A, value])]) {
      const error = configurationError(() => parseKeySecret(secret));
      expect(error.message).toContain('12 to 256 characters');
      expect(error.message).not.toContain(value);
      expect(error.message).not.toContain('secret');
    }
  });

  it.each([
    ['a number', '[123456789012345]'],
    ['an object', '[{"key":"konnect_key_AAAAAAAAAAAA"}]'],
    ['null', '[null]'],
  ])('refuses a list entry that is %s', (_label, value) => {
    expect(() => parseKeySecret(value)).toThrow(KeyConfigurationError);
  });

  it('treats a JSON object as a (malformed) single key', () => {
    const error = configurationError(() => parseKeySecret('{"key":"konnect_key_AAAAAAAAAAAA"}'));
    expect(error.message).not.toContain('konnect_key_AAAAAAAAAAAA');
  });
});

describe('StaticKeySource', () => {
  it('returns its keys whatever refresh says', async () => {
    const source: KonnectKeySource = new StaticKeySource([KEY_A, KEY_B]);
    await expect(source.keys(false)).resolves.toEqual([KEY_A, KEY_B]);
    await expect(source.keys(true)).resolves.toEqual([KEY_A, KEY_B]);
  });

  it('refuses bad keys at construction', () => {
    expect(() => new StaticKeySource(['short'])).toThrow(KeyConfigurationError);
    expect(() => new StaticKeySource([])).toThrow(KeyConfigurationError);
  });
});

describe('SecretsManagerKeySource over the real Powertools SecretsProvider', () => {
  const client = new SecretsManagerClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const secretsManager = mockClient(client);

  // A fresh provider per test: its cache lives in the instance.
  const sourceWith = (maxAgeSeconds = 300) =>
    new SecretsManagerKeySource(new SecretsProvider({ awsSdkV3Client: client }), SECRET_ARN, maxAgeSeconds);

  const calls = () => secretsManager.commandCalls(GetSecretValueCommand);

  beforeEach(() => {
    secretsManager.reset();
  });

  it('reads the secret by its ARN', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: KEY_A });

    await expect(sourceWith().keys(false)).resolves.toEqual([KEY_A]);

    expect(calls()).toHaveLength(1);
    expect(calls()[0]?.args[0].input).toMatchObject({ SecretId: SECRET_ARN });
  });

  it('serves a second read within maxAge from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: KEY_A });
    const source = sourceWith();

    await source.keys(false);
    await expect(source.keys(false)).resolves.toEqual([KEY_A]);

    expect(calls()).toHaveLength(1);
  });

  it('refetches on refresh, bypassing the cache, and caches the new value', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: KEY_A })
      .resolves({ SecretString: JSON.stringify([KEY_A, KEY_B]) });
    const source = sourceWith();

    await expect(source.keys(false)).resolves.toEqual([KEY_A]);
    await expect(source.keys(true)).resolves.toEqual([KEY_A, KEY_B]);
    await expect(source.keys(false)).resolves.toEqual([KEY_A, KEY_B]);

    expect(calls()).toHaveLength(2);
  });

  it('refetches on every read when maxAge is 0', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: KEY_A });
    const source = sourceWith(0);

    await source.keys(false);
    await source.keys(false);

    expect(calls()).toHaveLength(2);
  });

  it('parses a JSON list secret, pretty-printed as the console stores it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify([KEY_A, KEY_B], null, 2) });

    await expect(sourceWith().keys(false)).resolves.toEqual([KEY_A, KEY_B]);
  });

  it('refuses a binary secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    await expect(sourceWith().keys(false)).rejects.toThrow(KeyConfigurationError);
  });

  it('refuses a malformed secret without echoing it', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: 'leaked-value' });

    const error = await sourceWith()
      .keys(false)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeyConfigurationError);
    expect((error as Error).message).not.toContain('leaked-value');
  });

  it('passes a Secrets Manager failure on to the verifier', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));

    await expect(sourceWith().keys(false)).rejects.toThrow();
    expect(calls()).toHaveLength(1);
  });
});
