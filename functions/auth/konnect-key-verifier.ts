import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { serviceUnavailable } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import { metrics as bridgeMetrics, recordKeyCacheRefresh } from '../commons/metrics';
import { KONNECT_KEY_PATTERN, type KonnectKeySource } from './konnect-key-source';

export interface KeyVerifierOptions {
  /** A mismatch triggers at most one forced re-read of the keys per this interval. */
  minRefreshIntervalMs: number;
  now?: () => number;
  /** Where KeyCacheRefreshes goes; the bridge's Metrics by default. */
  metrics?: Metrics;
}

/**
 * Checks the X-API-KEY header against every accepted key in constant time. A key that matches
 * none triggers a fresh read (a rotation then takes effect at once), rate-limited so that a flood
 * of wrong keys cannot become a flood of Secrets Manager calls.
 */
export class KonnectKeyVerifier {
  private lastForcedRefresh = Number.NEGATIVE_INFINITY;
  private readonly now: () => number;

  constructor(
    private readonly source: KonnectKeySource,
    private readonly options: KeyVerifierOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async verify(presented: string | undefined): Promise<boolean> {
    if (presented === undefined || !KONNECT_KEY_PATTERN.test(presented)) return false;
    if (matchesAny(presented, await this.read(false))) return true;
    const now = this.now();
    if (now - this.lastForcedRefresh < this.options.minRefreshIntervalMs) return false;
    this.lastForcedRefresh = now;
    logger.info('Presented key matched no cached key; re-reading the accepted keys');
    // Many of these mean a rotation in progress, or someone probing with wrong keys.
    recordKeyCacheRefresh(this.options.metrics ?? bridgeMetrics);
    return matchesAny(presented, await this.read(true));
  }

  /**
   * Fail closed: without its keys the bridge cannot tell Konnect from anyone else. How long keys
   * read before outlast an outage of the secret store is the source's decision (see its grace).
   */
  private async read(refresh: boolean): Promise<readonly string[]> {
    try {
      return await this.source.keys(refresh);
    } catch (error) {
      throw serviceUnavailable('The bridge cannot read its accepted API keys; check its key secret.', error);
    }
  }
}

function matchesAny(presented: string, accepted: readonly string[]): boolean {
  const digest = sha256(presented);
  let matched = false;
  // Compare with every key, without an early exit, so timing says nothing about which matched.
  for (const key of accepted) {
    matched = timingSafeEqual(digest, sha256(key)) || matched;
  }
  return matched;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
