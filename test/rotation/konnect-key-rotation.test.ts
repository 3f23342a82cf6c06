import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { parseKeySecret } from '../../functions/auth/konnect-key-source';
import type {
  DcrProvider,
  DcrProviderApi,
  DcrProviderVerification,
  UpdateHttpDcrProvider,
} from '../../functions/konnect/dcr-provider';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint } from '../../functions/konnect/key-fingerprint';
import { runRotationStep, type SecretsManagerRotationEvent } from '../../functions/konnect/key-rotation-steps';
import { OWNER_LABEL } from '../../functions/konnect/provider-owner';
import {
  addKey,
  DEFAULT_ACCEPT_DELAY_MS,
  handKeyToKonnect,
  KeyRotationError,
  type KeySecret,
  type RotationProgress,
  retireOldKeys,
  rotateWithKonnect,
} from '../../functions/konnect/rotate-with-konnect';
import { assertNoScheduledRotation, currentKeySecret } from '../../functions/konnect/rotation-secret';
import { secretsManagerStore } from '../support/secrets-manager-store';

const OLD_KEY = 'OldKonnectKeyInUse0123456789abcdefghijklmnopqrst';
const NEW_KEY = 'NewKonnectKeyDrawn0123456789abcdefghijklmnopqrst';
const OLDER_KEY = 'OlderKonnectKey0123456789abcdefghijklmnopqrstuvw';
const PROVIDER_NAME = 'dcr-okta-partners';
const CLI_KEY = 'KeyOfTheCommandLineRotation0123456789abcdefghij';
const SCHEDULED_KEY = 'KeyOfTheScheduledRotation0123456789abcdefghijkl';
const OWNER = '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f';
const OTHER_OWNER = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';

/**
 * Konnect as the rotation sees it, in memory: the provider, the key it holds (never returned, as
 * in the API), labels merged on PATCH with null removing one, and a verify that succeeds when the
 * bridge accepts the held key. `failNext` makes one call throw (an outage mid-rotation).
 */
function memoryKonnect(accepted: () => string[], heldKey = OLD_KEY, providerType = 'http') {
  const provider: DcrProvider = {
    id: '7f9fd312-a987-4628-b4c5-bb4f4fddd5f7',
    name: PROVIDER_NAME,
    provider_type: providerType,
    issuer: 'https://idp.example.com',
    active: true,
    dcr_config: { dcr_base_url: 'https://bridge.example.com' },
    labels: {},
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
  const state = { heldKey, patches: 0, verifies: 0, failNext: undefined as keyof DcrProviderApi | undefined };
  const failIf = (call: keyof DcrProviderApi) => {
    if (state.failNext !== call) return;
    state.failNext = undefined;
    throw new Error(`Konnect unreachable during ${call}`);
  };
  const copy = () => structuredClone(provider);
  const api: DcrProviderApi = {
    findByName: async (name) => {
      failIf('findByName');
      return name === provider.name ? copy() : undefined;
    },
    get: async (id) => {
      failIf('get');
      if (id !== provider.id) throw new Error('Konnect answered 404 Not Found: Not Found');
      return copy();
    },
    create: async () => {
      throw new Error('a rotation never creates a provider');
    },
    update: async (_id, body: UpdateHttpDcrProvider) => {
      failIf('update');
      state.patches += 1;
      if (body.dcr_config?.api_key) state.heldKey = body.dcr_config.api_key;
      for (const [name, value] of Object.entries(body.labels ?? {})) {
        if (value === null) delete provider.labels?.[name];
        else provider.labels = { ...provider.labels, [name]: value };
      }
      return copy();
    },
    remove: async () => {
      throw new Error('a rotation never removes a provider');
    },
    verify: async (): Promise<DcrProviderVerification> => {
      failIf('verify');
      state.verifies += 1;
      return accepted().includes(state.heldKey)
        ? { status: 'success', errors: [] }
        : { status: 'failed', errors: ['Unable to create the DCR application'] };
    },
  };
  return { api, provider, state };
}

/** The key secret in memory; `failWrite(n)` makes the n-th write from now throw. */
function memorySecret(initial: string[]) {
  let keys = [...initial];
  let failAt = 0;
  let writes = 0;
  const secret: KeySecret = {
    read: async () => [...keys],
    write: async (next) => {
      writes += 1;
      if (writes === failAt) throw new Error('Secrets Manager throttled the write');
      keys = [...next];
    },
  };
  return {
    secret,
    keys: () => keys,
    failWrite: (nth: number) => {
      failAt = writes + nth;
    },
  };
}

function setup(initial = [OLD_KEY], held = OLD_KEY) {
  const stored = memorySecret(initial);
  const konnect = memoryKonnect(stored.keys, held);
  const sleeps: number[] = [];
  const progress: RotationProgress[] = [];
  const run = () =>
    rotateWithKonnect({
      secret: stored.secret,
      api: konnect.api,
      provider: { name: PROVIDER_NAME },
      generate: () => NEW_KEY,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onProgress: (step) => progress.push(step),
    });
  /** The invariant: Konnect sends a key the bridge accepts. */
  const konnectAccepted = () => stored.keys().includes(konnect.state.heldKey);
  return { stored, konnect, sleeps, progress, run, konnectAccepted };
}

describe('rotateWithKonnect: the resumable state machine', () => {
  it('stores both keys, waits, moves Konnect to the new key, verifies, then keeps only the new key', async () => {
    const { stored, konnect, sleeps, progress, run } = setup();

    const outcome = await run();

    expect(stored.keys()).toEqual([NEW_KEY]);
    expect(konnect.state.heldKey).toBe(NEW_KEY);
    expect(konnect.provider.labels?.[KEY_FINGERPRINT_LABEL]).toBe(konnectKeyFingerprint(NEW_KEY));
    expect(sleeps).toEqual([DEFAULT_ACCEPT_DELAY_MS]);
    expect(progress.map((entry) => entry.step)).toEqual([
      'provider-found',
      'new-key-stored',
      'waiting-for-bridge',
      'konnect-updated',
      'verified',
      'old-keys-removed',
    ]);
    expect(outcome).toEqual({
      providerId: konnect.provider.id,
      generated: true,
      konnectUpdated: true,
      removedKeys: 1,
      keyFingerprint: konnectKeyFingerprint(NEW_KEY),
    });
    expect(DEFAULT_ACCEPT_DELAY_MS).toBe(11_000);
  });

  it('waits the accept delay before the PATCH, never after', async () => {
    const { konnect, stored } = setup();
    const order: string[] = [];
    const original = konnect.api.update;
    konnect.api.update = async (...args) => {
      order.push('patch');
      return original(...args);
    };
    await rotateWithKonnect({
      secret: stored.secret,
      api: konnect.api,
      provider: { id: konnect.provider.id },
      generate: () => NEW_KEY,
      acceptDelayMs: 1234,
      sleep: async (ms) => {
        order.push(`sleep ${ms}`);
        expect(stored.keys()).toEqual([OLD_KEY, NEW_KEY]);
      },
    });
    expect(order).toEqual(['sleep 1234', 'patch']);
  });

  it.each([
    [
      'after writing both keys (Konnect unreachable before the PATCH)',
      (s: ReturnType<typeof setup>) => {
        s.konnect.state.failNext = 'get';
      },
      OLD_KEY,
    ],
    [
      'when the PATCH fails',
      (s: ReturnType<typeof setup>) => {
        // findByName, then get inside the hand-over: the PATCH itself fails.
        s.konnect.state.failNext = 'update';
      },
      OLD_KEY,
    ],
    [
      'after the PATCH (verify unreachable)',
      (s: ReturnType<typeof setup>) => {
        s.konnect.state.failNext = 'verify';
      },
      NEW_KEY,
    ],
    [
      'before dropping the old key (the last write fails)',
      (s: ReturnType<typeof setup>) => {
        s.stored.failWrite(2);
      },
      NEW_KEY,
    ],
  ])('interrupted %s: both keys stay accepted, and a re-run completes it', async (_when, interrupt, heldAfter) => {
    const s = setup();
    interrupt(s);

    await expect(s.run()).rejects.toThrow();

    expect(s.stored.keys()).toEqual([OLD_KEY, NEW_KEY]);
    expect(s.konnect.state.heldKey).toBe(heldAfter);
    expect(s.konnectAccepted()).toBe(true);

    const outcome = await s.run();
    expect(outcome.generated).toBe(false);
    expect(s.stored.keys()).toEqual([NEW_KEY]);
    expect(s.konnect.state.heldKey).toBe(NEW_KEY);
    expect(s.konnectAccepted()).toBe(true);
  });

  it("a failed verify throws with Konnect's errors, keeps both keys, and a re-run completes once it passes", async () => {
    const s = setup();
    const verify = s.konnect.api.verify;
    s.konnect.api.verify = async () => ({ status: 'failed', errors: ['Unable to create the DCR application'] });

    const failure = (await s.run().catch((error: unknown) => error)) as Error;

    expect(failure).toBeInstanceOf(KeyRotationError);
    expect(failure.message).toContain('Unable to create the DCR application');
    expect(failure.message).toContain('still accepts the old and the new key');
    expect(failure.message).not.toContain(NEW_KEY);
    expect(failure.message).not.toContain(OLD_KEY);
    expect(s.stored.keys()).toEqual([OLD_KEY, NEW_KEY]);
    expect(s.konnectAccepted()).toBe(true);

    s.konnect.api.verify = verify;
    await s.run();
    expect(s.stored.keys()).toEqual([NEW_KEY]);
    // The second run found the label set: no second PATCH, no second wait.
    expect(s.konnect.state.patches).toBe(1);
  });

  it('masks a key should Konnect ever quote one in a verify error', async () => {
    const s = setup();
    s.konnect.api.verify = async () => ({ status: 'failed', errors: [`bad key ${NEW_KEY}`] });
    const failure = (await s.run().catch((error: unknown) => error)) as Error;
    expect(failure.message).toContain('bad key [redacted]');
    expect(failure.message).not.toContain(NEW_KEY);
  });

  it('finishes a rotation the manual --phase add began: the newest key is the one Konnect gets', async () => {
    const s = setup([OLDER_KEY, OLD_KEY], OLDER_KEY);
    const outcome = await s.run();
    expect(outcome.generated).toBe(false);
    expect(s.stored.keys()).toEqual([OLD_KEY]);
    expect(s.konnect.state.heldKey).toBe(OLD_KEY);
  });

  it("never drops the old key while Konnect's label names another key", async () => {
    const s = setup();
    // Someone edits the provider by hand between the verify and the last step.
    s.konnect.api.verify = async () => {
      s.konnect.provider.labels = { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(OLD_KEY) };
      s.konnect.state.heldKey = OLD_KEY;
      return { status: 'success', errors: [] };
    };
    await expect(s.run()).rejects.toThrow(/does not hold the new key/);
    expect(s.stored.keys()).toEqual([OLD_KEY, NEW_KEY]);
    expect(s.konnectAccepted()).toBe(true);
  });

  it('refuses a provider that is not an HTTP one, or none, before writing anything', async () => {
    const stored = memorySecret([OLD_KEY]);
    const okta = memoryKonnect(stored.keys, OLD_KEY, 'okta');
    await expect(
      rotateWithKonnect({ secret: stored.secret, api: okta.api, provider: { name: PROVIDER_NAME } }),
    ).rejects.toThrow(/of type okta, not http/);
    await expect(
      rotateWithKonnect({ secret: stored.secret, api: okta.api, provider: { name: 'nobody' } }),
    ).rejects.toThrow(/no DCR provider named "nobody".*connect-konnect/);
    expect(stored.keys()).toEqual([OLD_KEY]);
  });
});

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('two rotations at once (the command line and the scheduled one)', () => {
  it('/tmp/rev11/race.mts: Konnect ends with a key the bridge accepts', async () => {
    const s = setup();
    // The CLI rotation, and the scheduled one's setSecret (its key chosen at createSecret) 20 ms later.
    const cli = rotateWithKonnect({
      secret: s.stored.secret,
      api: s.konnect.api,
      provider: { name: PROVIDER_NAME },
      generate: () => CLI_KEY,
      acceptDelayMs: 100,
      sleep: wait,
    });
    const scheduled = (async () => {
      await wait(20);
      await addKey(s.stored.secret, SCHEDULED_KEY);
      await handKeyToKonnect(s.konnect.api, s.konnect.provider.id, SCHEDULED_KEY, {
        secret: s.stored.secret,
        acceptDelayMs: 200,
        sleep: wait,
      });
    })();
    await Promise.allSettled([cli, scheduled]);

    expect(s.konnectAccepted()).toBe(true);
    // The CLI dropped only the key older than its own; the scheduled one's newer key stayed.
    expect(s.stored.keys()).toEqual([CLI_KEY, SCHEDULED_KEY]);
    expect(s.konnect.state.heldKey).toBe(SCHEDULED_KEY);
  });

  it('the other order (the scheduled key stored first): the late hand-over refuses, Konnect keeps an accepted key', async () => {
    const s = setup();
    await addKey(s.stored.secret, SCHEDULED_KEY);
    const scheduled = handKeyToKonnect(s.konnect.api, s.konnect.provider.id, SCHEDULED_KEY, {
      secret: s.stored.secret,
      acceptDelayMs: 150,
      sleep: wait,
    });
    // The CLI resumes with the newest key (SCHEDULED_KEY) and finishes first: [SCHEDULED_KEY].
    await rotateWithKonnect({
      secret: s.stored.secret,
      api: s.konnect.api,
      provider: { name: PROVIDER_NAME },
      acceptDelayMs: 0,
      sleep: async () => undefined,
    });
    await expect(scheduled).resolves.toBe(false);
    expect(s.konnectAccepted()).toBe(true);
  });

  it('handKeyToKonnect re-reads the keys after its wait and refuses to PATCH a key no longer accepted', async () => {
    const s = setup([OLD_KEY, NEW_KEY]);
    const failure = await handKeyToKonnect(s.konnect.api, s.konnect.provider.id, NEW_KEY, {
      secret: s.stored.secret,
      sleep: async () => {
        // Another rotation retires NEW_KEY meanwhile.
        await s.stored.secret.write([OLD_KEY]);
      },
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(KeyRotationError);
    expect((failure as Error).message).toContain('no longer holds the new key');
    expect((failure as Error).message).not.toContain(NEW_KEY);
    expect(s.konnect.state.patches).toBe(0);
    expect(s.konnectAccepted()).toBe(true);
  });

  it('retireOldKeys drops only the keys older than the new one', async () => {
    const s = setup([OLDER_KEY, OLD_KEY, NEW_KEY], OLD_KEY);
    s.konnect.provider.labels = { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(OLD_KEY) };
    s.konnect.state.heldKey = OLD_KEY;

    expect(await retireOldKeys(s.stored.secret, s.konnect.api, s.konnect.provider.id, OLD_KEY)).toBe(1);
    expect(s.stored.keys()).toEqual([OLD_KEY, NEW_KEY]);
    expect(await retireOldKeys(s.stored.secret, s.konnect.api, s.konnect.provider.id, OLD_KEY)).toBe(0);
  });
});

describe("the rotation PATCH keeps the provider's other labels", () => {
  it('sends every label Konnect has, with the new fingerprint', async () => {
    const s = setup();
    s.konnect.provider.labels = { team: 'platform', [OWNER_LABEL]: OWNER, [KEY_FINGERPRINT_LABEL]: 'stale' };
    const bodies: unknown[] = [];
    const update = s.konnect.api.update;
    s.konnect.api.update = async (id, body) => {
      bodies.push(body);
      return update(id, body);
    };

    await s.run();

    expect(bodies).toEqual([
      {
        dcr_config: { api_key: NEW_KEY },
        labels: { team: 'platform', [OWNER_LABEL]: OWNER, [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(NEW_KEY) },
      },
    ]);
  });
});

describe('ownership in a rotation', () => {
  const rotate = (s: ReturnType<typeof setup>) =>
    rotateWithKonnect({
      secret: s.stored.secret,
      api: s.konnect.api,
      provider: { name: PROVIDER_NAME },
      owner: OWNER,
      generate: () => NEW_KEY,
      sleep: async () => undefined,
    });

  it('rotates a provider whose owner label is the given owner', async () => {
    const s = setup();
    s.konnect.provider.labels = { [OWNER_LABEL]: OWNER };
    await expect(rotate(s)).resolves.toMatchObject({ removedKeys: 1 });
  });

  it.each([
    ['absent', {}, 'missing'],
    ['different', { [OWNER_LABEL]: OTHER_OWNER }, `"${OTHER_OWNER}"`],
  ])('refuses, before writing anything, a provider whose owner label is %s', async (_case, labels, shown) => {
    const s = setup();
    s.konnect.provider.labels = labels;

    await expect(rotate(s)).rejects.toThrow(`${OWNER_LABEL} is ${shown}, expected "${OWNER}"`);
    expect(s.stored.keys()).toEqual([OLD_KEY]);
    expect(s.konnect.state.patches).toBe(0);
  });
});

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:dcr-bridge-konnect-key-AbCdEf';

describe('the Secrets Manager rotation steps', () => {
  const store = secretsManagerStore();
  const client = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const accepted = () => parseKeySecret(store.current(SECRET_ARN) ?? '[]');
  let konnect: ReturnType<typeof memoryKonnect>;
  let sleeps: number[];

  const step = (Step: string, token: string) => {
    const event: SecretsManagerRotationEvent = { Step, SecretId: SECRET_ARN, ClientRequestToken: token };
    return runRotationStep(event, {
      client,
      api: konnect.api,
      provider: { name: PROVIDER_NAME },
      generate: () => NEW_KEY,
      acceptDelayMs: 250,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    });
  };
  const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'];

  beforeEach(() => {
    store.create(SECRET_ARN, OLD_KEY);
    konnect = memoryKonnect(accepted, OLD_KEY);
    sleeps = [];
  });

  afterAll(() => store.restore());

  it('the four steps: pending key, both keys current then Konnect, verify, the pending version current', async () => {
    const token = store.startRotation(SECRET_ARN);

    expect(await step('createSecret', token)).toBe('pending-key-created');
    // The bridge reads AWSCURRENT only: nothing it accepts has changed yet.
    expect(store.current(SECRET_ARN)).toBe(OLD_KEY);
    expect(store.valueOf(SECRET_ARN, token)).toBe(NEW_KEY);
    expect(store.stages(SECRET_ARN)[token]).toEqual(['AWSPENDING']);

    expect(await step('setSecret', token)).toBe('konnect-updated');
    expect(accepted()).toEqual([OLD_KEY, NEW_KEY]);
    expect(konnect.state.heldKey).toBe(NEW_KEY);
    expect(sleeps).toEqual([250]);

    expect(await step('testSecret', token)).toBe('verified');
    expect(await step('finishSecret', token)).toBe('pending-key-made-current');

    expect(store.current(SECRET_ARN)).toBe(NEW_KEY);
    const stages = store.stages(SECRET_ARN);
    expect(stages[token]).toEqual(expect.arrayContaining(['AWSCURRENT']));
    // A later RotateSecret can start: AWSPENDING is on the current version or nowhere.
    expect(Object.entries(stages).filter(([id, labels]) => labels.includes('AWSPENDING') && id !== token)).toEqual([]);
    expect(Object.values(stages).filter((labels) => labels.includes('AWSPREVIOUS'))).toHaveLength(1);
    expect(() => store.startRotation(SECRET_ARN)).not.toThrow();
  });

  it('every step run twice (Secrets Manager retries) changes nothing the second time', async () => {
    const token = store.startRotation(SECRET_ARN);
    for (const name of STEPS) {
      await step(name, token);
      const before = { stages: store.stages(SECRET_ARN), patches: konnect.state.patches };
      const again = await step(name, token);
      expect({ stages: store.stages(SECRET_ARN), patches: konnect.state.patches }).toEqual(before);
      if (name === 'createSecret') expect(again).toBe('pending-key-exists');
      if (name === 'setSecret') expect(again).toBe('konnect-already-updated');
      if (name === 'finishSecret') expect(again).toBe('already-current');
    }
    expect(store.current(SECRET_ARN)).toBe(NEW_KEY);
  });

  it.each([
    ['createSecret', 'PutSecretValue'],
    ['setSecret', 'PutSecretValue'],
    ['setSecret', 'update'],
    ['testSecret', 'verify'],
    ['finishSecret', 'UpdateSecretVersionStage'],
    ['finishSecret', 'get'],
  ] as const)("%s failing (%s) throws, leaves Konnect's key accepted, and a retry completes", async (failing, call) => {
    const token = store.startRotation(SECRET_ARN);
    for (const name of STEPS) {
      if (name === failing) {
        if (call === 'update' || call === 'verify' || call === 'get') konnect.state.failNext = call;
        else store.failNext(call, Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
        await expect(step(name, token)).rejects.toThrow();
        expect(accepted()).toContain(konnect.state.heldKey);
      }
      await step(name, token);
      expect(accepted()).toContain(konnect.state.heldKey);
    }
    expect(store.current(SECRET_ARN)).toBe(NEW_KEY);
    expect(konnect.state.heldKey).toBe(NEW_KEY);
  });

  it("a failed verify fails testSecret with Konnect's errors, and finishSecret keeps the old key if Konnect lost the new one", async () => {
    const token = store.startRotation(SECRET_ARN);
    await step('createSecret', token);
    await step('setSecret', token);
    konnect.api.verify = async () => ({ status: 'failed', errors: ['Unable to create the DCR application'] });
    await expect(step('testSecret', token)).rejects.toThrow(/Unable to create the DCR application/);
    expect(accepted()).toEqual([OLD_KEY, NEW_KEY]);

    // Someone pastes the old key back by hand (label too): finishing would lock Konnect out.
    konnect.provider.labels = { [KEY_FINGERPRINT_LABEL]: konnectKeyFingerprint(OLD_KEY) };
    konnect.state.heldKey = OLD_KEY;
    await expect(step('finishSecret', token)).rejects.toThrow(/does not hold the new key/);
    expect(accepted()).toEqual([OLD_KEY, NEW_KEY]);
  });

  it('testSecret alone (RotateImmediately=false: AWSPENDING holds a copy of the current value) checks the set-up through Konnect', async () => {
    const token = store.startRotation(SECRET_ARN, { immediately: false });
    expect(store.valueOf(SECRET_ARN, token)).toBe(OLD_KEY);
    expect(await step('testSecret', token)).toBe('verified');
    expect(konnect.state.verifies).toBe(1);
    expect(konnect.state.patches).toBe(0);
    expect(store.current(SECRET_ARN)).toBe(OLD_KEY);
    konnect.api.verify = async () => ({ status: 'failed', errors: ['Unable to create the DCR application'] });
    await expect(step('testSecret', token)).rejects.toThrow(/Unable to create the DCR application/);
  });

  it('resumes an unfinished manual rotation: the newest stored key becomes the pending one', async () => {
    store.create(SECRET_ARN, JSON.stringify([OLDER_KEY, OLD_KEY]));
    const token = store.startRotation(SECRET_ARN);
    for (const name of STEPS) await step(name, token);
    expect(store.current(SECRET_ARN)).toBe(OLD_KEY);
    expect(konnect.state.heldKey).toBe(OLD_KEY);
  });

  it.each([
    ['equal', 'rotated', { [OWNER_LABEL]: OWNER }],
    ['absent', 'left alone', {}],
    ['different', 'left alone', { [OWNER_LABEL]: OTHER_OWNER }],
  ])(
    'with an owner (KONNECT_PROVIDER_OWNER), a provider whose owner label is %s is %s',
    async (_case, outcome, labels) => {
      const rotated = outcome === 'rotated';
      konnect.provider.labels = labels;
      const token = store.startRotation(SECRET_ARN);
      const owned = (Step: string) =>
        runRotationStep(
          { Step, SecretId: SECRET_ARN, ClientRequestToken: token },
          {
            client,
            api: konnect.api,
            provider: { name: PROVIDER_NAME },
            owner: OWNER,
            generate: () => NEW_KEY,
            acceptDelayMs: 0,
            sleep: async () => undefined,
          },
        );
      await owned('createSecret');
      if (rotated) {
        for (const name of STEPS.slice(1)) await owned(name);
        expect(store.current(SECRET_ARN)).toBe(NEW_KEY);
        return;
      }
      for (const name of STEPS.slice(1)) await expect(owned(name)).rejects.toThrow(/is not this bridge's/);
      expect(store.current(SECRET_ARN)).toBe(OLD_KEY);
      expect(konnect.state.patches).toBe(0);
    },
  );

  it('a key secret written by someone else since it was read is not overwritten', async () => {
    const secret = currentKeySecret(client, SECRET_ARN);
    expect(await secret.read()).toEqual([OLD_KEY]);
    // Another rotation writes in between.
    await currentKeySecret(client, SECRET_ARN).write([OLD_KEY, SCHEDULED_KEY]);

    await expect(secret.write([OLD_KEY, CLI_KEY])).rejects.toThrow(/changed since it was read.*nothing was written/);
    expect(accepted()).toEqual([OLD_KEY, SCHEDULED_KEY]);

    // Read again, the write goes through.
    await secret.read();
    await secret.write([OLD_KEY, SCHEDULED_KEY, CLI_KEY]);
    expect(accepted()).toEqual([OLD_KEY, SCHEDULED_KEY, CLI_KEY]);
  });

  it('the command-line rotation refuses to start while a scheduled rotation is under way', async () => {
    await expect(assertNoScheduledRotation(client, SECRET_ARN)).resolves.toBeUndefined();
    const token = store.startRotation(SECRET_ARN);
    await step('createSecret', token);

    const failure = await assertNoScheduledRotation(client, SECRET_ARN).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KeyRotationError);
    expect((failure as Error).message).toContain(
      `A scheduled rotation of ${SECRET_ARN} is under way (version ${token} is AWSPENDING)`,
    );

    for (const name of STEPS.slice(1)) await step(name, token);
    await expect(assertNoScheduledRotation(client, SECRET_ARN)).resolves.toBeUndefined();
    store.create(SECRET_ARN, OLD_KEY, { rotationEnabled: false });
    await expect(assertNoScheduledRotation(client, SECRET_ARN)).resolves.toBeUndefined();
  });

  it('refuses an unknown step, a version not staged for rotation, and a secret without rotation', async () => {
    const token = store.startRotation(SECRET_ARN);
    await expect(step('rotateEverything', token)).rejects.toThrow(/Unknown rotation step/);
    await expect(step('createSecret', 'not-a-version-of-this-secret-0000000')).rejects.toThrow(/no stage for rotation/);
    store.create(SECRET_ARN, OLD_KEY, { rotationEnabled: false });
    await expect(step('createSecret', token)).rejects.toThrow(/not enabled/);
  });
});
