import { describe, expect, it } from '@jest/globals';
import type { KonnectKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { captureOutputPerTest } from '../../support/captured-output';

const OLD_KEY = 'konnect_key_old_000000000';
const NEW_KEY = 'konnect_key_new_111111111';
const WRONG_KEY = 'konnect_key_wrong_2222222';
const INTERVAL_MS = 10_000;

/**
 * A key source that behaves like a cached secret: `keys(false)` answers from its cache,
 * `keys(true)` re-reads the "secret store" (`stored`) and refreshes the cache. Counts every call.
 */
class FakeKeySource implements KonnectKeySource {
  stored: string[];
  private cached: string[] | undefined;
  readonly calls: boolean[] = [];
  failWith: Error | undefined;

  constructor(keys: string[]) {
    this.stored = keys;
  }

  async keys(refresh: boolean): Promise<readonly string[]> {
    this.calls.push(refresh);
    if (this.failWith) throw this.failWith;
    if (refresh || this.cached === undefined) this.cached = [...this.stored];
    return this.cached;
  }

  /** The cache's max age has passed: the next plain read goes to the store. */
  expireCache(): void {
    this.cached = undefined;
  }

  get forcedRefreshes(): number {
    return this.calls.filter(Boolean).length;
  }
}

function setup(keys: string[] = [OLD_KEY]) {
  const clock = { now: 1_000_000 };
  const source = new FakeKeySource(keys);
  const verifier = new KonnectKeyVerifier(source, { minRefreshIntervalMs: INTERVAL_MS, now: () => clock.now });
  return { clock, source, verifier };
}

describe('KonnectKeyVerifier', () => {
  const output = captureOutputPerTest();

  it('accepts the configured key with one plain read', async () => {
    const { source, verifier } = setup();

    await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);

    expect(source.calls).toEqual([false]);
  });

  it('accepts any of several configured keys', async () => {
    const { verifier } = setup([OLD_KEY, NEW_KEY]);

    await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);
    await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
  });

  it('refuses a key that differs in one character or is a prefix/extension of the real one', async () => {
    const { verifier } = setup();

    await expect(verifier.verify(`${OLD_KEY.slice(0, -1)}1`)).resolves.toBe(false);
    await expect(verifier.verify(OLD_KEY.slice(0, -1))).resolves.toBe(false);
    await expect(verifier.verify(`${OLD_KEY}0`)).resolves.toBe(false);
  });

  it('answers a wrong key with exactly one forced refresh, then false', async () => {
    const { source, verifier } = setup();

    await expect(verifier.verify(WRONG_KEY)).resolves.toBe(false);

    expect(source.calls).toEqual([false, true]);
  });

  it('does not refresh again for a second wrong key within the interval', async () => {
    const { clock, source, verifier } = setup();

    await verifier.verify(WRONG_KEY);
    clock.now += INTERVAL_MS - 1;
    await expect(verifier.verify(`${WRONG_KEY}x`)).resolves.toBe(false);

    expect(source.forcedRefreshes).toBe(1);
    expect(source.calls).toEqual([false, true, false]);
  });

  it('refreshes again once the interval has passed', async () => {
    const { clock, source, verifier } = setup();

    await verifier.verify(WRONG_KEY);
    clock.now += INTERVAL_MS;
    await expect(verifier.verify(WRONG_KEY)).resolves.toBe(false);

    expect(source.calls).toEqual([false, true, false, true]);
  });

  it('keeps a flood of wrong keys to one refresh per interval', async () => {
    const { clock, source, verifier } = setup();

    for (let i = 0; i < 50; i++) {
      await verifier.verify(`${WRONG_KEY}_${i}`);
      clock.now += 100;
    }

    // 50 attempts over 5 s with a 10 s interval: only the first one refreshes.
    expect(source.forcedRefreshes).toBe(1);
  });

  it('does not let a correct key consume the refresh budget', async () => {
    const { clock, source, verifier } = setup();

    await verifier.verify(OLD_KEY);
    clock.now += 1;
    await verifier.verify(WRONG_KEY);

    expect(source.forcedRefreshes).toBe(1);
  });

  describe('rotation', () => {
    it('takes a new key at once, keeps both during the switch, and only the new one after', async () => {
      const { clock, source, verifier } = setup([OLD_KEY]);
      await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);

      // The admin adds the new key to the secret; the source's cache still holds only the old one.
      source.stored = [OLD_KEY, NEW_KEY];
      await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
      expect(source.forcedRefreshes).toBe(1);

      // During the switch both work, without further refreshes.
      await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);
      await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
      expect(source.forcedRefreshes).toBe(1);

      // The old key is removed; once the source's cache expires only the new one works.
      source.stored = [NEW_KEY];
      source.expireCache();
      clock.now += INTERVAL_MS;
      await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
      await expect(verifier.verify(OLD_KEY)).resolves.toBe(false);
    });

    it('accepts a new key right after a refused wrong key only once the interval allows a refresh', async () => {
      const { clock, source, verifier } = setup([OLD_KEY]);
      await verifier.verify(WRONG_KEY);
      source.stored = [OLD_KEY, NEW_KEY];

      // Still within the interval of the previous forced refresh: the cache has no new key yet.
      await expect(verifier.verify(NEW_KEY)).resolves.toBe(false);

      clock.now += INTERVAL_MS;
      await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
    });
  });

  describe('malformed presented keys', () => {
    it.each([
      ['undefined', undefined],
      ['empty', ''],
      ['11 characters', 'abcdefghijk'],
      ['257 characters', 'k'.repeat(257)],
      ['a dash', 'konnect-key-with-dashes'],
      ['a space', 'konnect key with spaces'],
      ['a Bearer prefix', `Bearer ${OLD_KEY}`],
      ['a non-ASCII letter', 'konnect_kéy_0000000000'],
    ])('refuses %s without reading the keys', async (_label, presented) => {
      const { source, verifier } = setup();

      await expect(verifier.verify(presented)).resolves.toBe(false);

      expect(source.calls).toEqual([]);
    });
  });

  describe('key source failures', () => {
    it('fails closed with 503 service_unavailable when the very first read fails', async () => {
      const { source, verifier } = setup();
      source.failWith = new Error('AccessDenied for secret value konnect_key_old_000000000');

      const error = await verifier.verify(OLD_KEY).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(BridgeError);
      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect((error as BridgeError).description).not.toContain(OLD_KEY);
    });

    it("fails closed when a later read fails too: how long old keys outlast an outage is the source's call", async () => {
      const { source, verifier } = setup();
      await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);

      source.failWith = new Error(`secret store down; last value ${OLD_KEY}`);

      const error = await verifier.verify(OLD_KEY).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ statusCode: 503, error: 'service_unavailable' });
      expect((error as BridgeError).description).not.toContain(OLD_KEY);
      expect(output.text()).not.toContain(OLD_KEY);
    });

    it('recovers once the source works again after a failed first read', async () => {
      const { source, verifier } = setup();
      source.failWith = new Error('temporary');
      await expect(verifier.verify(OLD_KEY)).rejects.toBeInstanceOf(BridgeError);

      source.failWith = undefined;
      await expect(verifier.verify(OLD_KEY)).resolves.toBe(true);
    });
  });

  it('never logs a presented key', async () => {
    const { verifier } = setup();

    await verifier.verify(WRONG_KEY);
    await verifier.verify(OLD_KEY);

    expect(output.text()).toContain('re-reading the accepted keys');
    expect(output.text()).not.toContain(WRONG_KEY);
    expect(output.text()).not.toContain(OLD_KEY);
  });
});
