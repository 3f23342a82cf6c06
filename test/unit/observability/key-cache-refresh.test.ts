import { describe, expect, it } from '@jest/globals';
import type { KonnectKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { createMetrics } from '../../../functions/commons/metrics';
import { captureOutputPerTest } from '../../support/captured-output';
import { blobsWith } from './emf';

const OLD_KEY = 'konnect_key_old_000000000';
const NEW_KEY = 'konnect_key_new_111111111';

/** A secret store whose keys a test can change; counts forced re-reads. */
class RotatingKeySource implements KonnectKeySource {
  stored = [OLD_KEY];
  private cached = [OLD_KEY];

  async keys(refresh: boolean): Promise<readonly string[]> {
    if (refresh) this.cached = [...this.stored];
    return this.cached;
  }
}

describe('KeyCacheRefreshes', () => {
  const output = captureOutputPerTest();

  it('counts each forced re-read of the keys, and nothing for keys found in the cache', async () => {
    const clock = { now: 1_000_000 };
    const source = new RotatingKeySource();
    const verifier = new KonnectKeyVerifier(source, {
      minRefreshIntervalMs: 10_000,
      now: () => clock.now,
      metrics: createMetrics({}),
    });

    await verifier.verify(OLD_KEY);
    expect(blobsWith(output.text(), 'KeyCacheRefreshes')).toEqual([]);

    // A rotation: the new key is not cached yet, so the keys are read again at once.
    source.stored = [OLD_KEY, NEW_KEY];
    await expect(verifier.verify(NEW_KEY)).resolves.toBe(true);
    // A second unknown key within the interval triggers no re-read, so no count.
    await expect(verifier.verify('konnect_key_wrong_2222222')).resolves.toBe(false);
    clock.now += 10_000;
    await expect(verifier.verify('konnect_key_wrong_3333333')).resolves.toBe(false);

    const blobs = blobsWith(output.text(), 'KeyCacheRefreshes');
    expect(blobs.map((blob) => blob.members)).toEqual([
      { service: 'dcr-bridge', KeyCacheRefreshes: 1 },
      { service: 'dcr-bridge', KeyCacheRefreshes: 1 },
    ]);
    expect(blobs[0]?.namespace).toBe('DcrBridge');
    expect(blobs[0]?.units).toEqual({ KeyCacheRefreshes: 'Count' });
    expect(blobs[0]?.dimensionSets).toEqual([['service']]);
    expect(output.text()).not.toContain(NEW_KEY);
  });
});
