import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { dedupeKeepingNewest, RotationError, rotateKonnectKey } from '../../bin/rotation/rotate-konnect-key';
import { rotationInstructions } from '../../bin/rotation/rotation-instructions';

const SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dcr-bridge-konnect-key-AbCdEf';
const OLD_KEY = 'OldKonnectKey0123456789abcdefghijklmnopqrstuvwxy';
const OLDER_KEY = 'OlderKonnectKey0123456789abcdefghijklmnopqrstuvw';
const NEW_KEY = 'NewKonnectKey0123456789abcdefghijklmnopqrstuvwxy';

describe('rotateKonnectKey on the real Secrets Manager client (mocked transport)', () => {
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const secretsManager = mockClient(client);

  const stored = () => secretsManager.commandCalls(PutSecretValueCommand).map((call) => call.args[0].input);
  const holding = (value: string) => secretsManager.on(GetSecretValueCommand).resolves({ SecretString: value });

  beforeEach(() => {
    secretsManager.reset();
    secretsManager.on(PutSecretValueCommand).resolves({ VersionId: 'v2' });
  });

  afterAll(() => {
    secretsManager.restore();
  });

  it('add: keeps the one current key and stores ["OLD","NEW"], reading and writing the given secret', async () => {
    holding(OLD_KEY);

    const result = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' }, () => NEW_KEY);

    expect(result).toEqual({ phase: 'add', keysStored: 2, newKey: NEW_KEY, changed: true });
    expect(secretsManager.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
    expect(stored()).toEqual([{ SecretId: SECRET_ID, SecretString: JSON.stringify([OLD_KEY, NEW_KEY]) }]);
  });

  it('add: generates a real 48-character key when none is injected', async () => {
    holding(JSON.stringify([OLD_KEY]));

    const result = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' });

    expect(result.newKey).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(stored()[0]?.SecretString).toBe(JSON.stringify([OLD_KEY, result.newKey]));
  });

  it('add: treats a list repeating one key as that one key', async () => {
    holding(JSON.stringify([OLD_KEY, OLD_KEY]));

    await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' }, () => NEW_KEY);

    expect(stored()[0]?.SecretString).toBe(JSON.stringify([OLD_KEY, NEW_KEY]));
  });

  it('add: never stores a "new" key equal to the old one', async () => {
    holding(OLD_KEY);
    const draws = [OLD_KEY, NEW_KEY];

    const result = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' }, () => draws.shift() as string);

    expect(result.newKey).toBe(NEW_KEY);
    expect(stored()[0]?.SecretString).toBe(JSON.stringify([OLD_KEY, NEW_KEY]));
  });

  it('add: refuses while a rotation is under way (two keys), writing nothing, since dropping one could lock Konnect out', async () => {
    holding(JSON.stringify([OLDER_KEY, OLD_KEY]));

    const attempt = rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' }, () => NEW_KEY);

    await expect(attempt).rejects.toThrow(RotationError);
    await expect(rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' })).rejects.toThrow(
      'run --phase finish; then run --phase add again',
    );
    expect(stored()).toEqual([]);
  });

  it('finish: keeps only the newest key, as a plain value', async () => {
    holding(JSON.stringify([OLD_KEY, NEW_KEY]));

    const result = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'finish' });

    expect(result).toEqual({ phase: 'finish', keysStored: 1, changed: true });
    expect(stored()).toEqual([{ SecretId: SECRET_ID, SecretString: NEW_KEY }]);
  });

  it('finish: writes nothing when the secret already holds one plain key', async () => {
    holding(NEW_KEY);

    const result = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'finish' });

    expect(result).toEqual({ phase: 'finish', keysStored: 1, changed: false });
    expect(stored()).toEqual([]);
  });

  it('finish: turns a one-key JSON list into the plain key', async () => {
    holding(JSON.stringify([NEW_KEY]));

    await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'finish' });

    expect(stored()).toEqual([{ SecretId: SECRET_ID, SecretString: NEW_KEY }]);
  });

  it.each([
    ['not a key list', '["unterminated'],
    ['a key Konnect would refuse', 'has-dashes-and-is-long-enough'],
    ['an empty list', '[]'],
  ])('refuses a secret holding %s without echoing its value, writing nothing', async (_label, value) => {
    holding(value);

    const error = await rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'finish' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RotationError);
    expect((error as Error).message).toMatch(/^The secret's value is not usable: /);
    expect((error as Error).message).not.toContain(value);
    expect(stored()).toEqual([]);
  });

  it('refuses a binary secret', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    await expect(rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' })).rejects.toThrow(
      'The secret has no string value',
    );
  });

  it('lets Secrets Manager errors through (AccessDenied, not found) without writing', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(Object.assign(new Error('User is not authorized'), { name: 'AccessDeniedException' }));

    await expect(rotateKonnectKey(client, { secretId: SECRET_ID, phase: 'add' })).rejects.toThrow(
      'User is not authorized',
    );
    expect(stored()).toEqual([]);
  });
});

describe('dedupeKeepingNewest', () => {
  it('keeps each key once, at its last (newest) position', () => {
    expect(dedupeKeepingNewest(['A', 'B', 'A'])).toEqual(['B', 'A']);
    expect(dedupeKeepingNewest(['A', 'A'])).toEqual(['A']);
  });
});

describe('rotationInstructions', () => {
  it('after add: shows the new key exactly once, never the old one, and where to paste it in Konnect', () => {
    const text = rotationInstructions(SECRET_ID, { phase: 'add', keysStored: 2, newKey: NEW_KEY, changed: true });

    expect(text.split(NEW_KEY)).toHaveLength(2);
    expect(text).not.toContain(OLD_KEY);
    expect(text).toContain('Dev Portal → Application Auth → DCR provider tab → your HTTP DCR provider');
    expect(text).toContain('API Key: paste the key above');
    expect(text).toContain(`npm run rotate-key -- --secret-id ${SECRET_ID} --phase finish`);
  });

  it('after finish: explains that warm containers accept the old key until their cache expires', () => {
    const text = rotationInstructions(SECRET_ID, { phase: 'finish', keysStored: 1, changed: true });

    expect(text).toContain(`Stored only the newest key in ${SECRET_ID}.`);
    expect(text).toContain('KEY_CACHE_TTL_SECONDS');
    expect(rotationInstructions(SECRET_ID, { phase: 'finish', keysStored: 1, changed: false })).toContain(
      'already holds a single key; nothing to do',
    );
  });
});
