import { setTimeout as sleepFor } from 'node:timers/promises';
import { DEFAULT_KEY_REFRESH_MIN_INTERVAL_SECONDS } from '../auth/key-refresh-interval';
import type { DcrProvider, DcrProviderApi } from './dcr-provider';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint } from './key-fingerprint';
import { OWNER_LABEL, ownershipOf } from './provider-owner';
import { dedupeKeepingNewest, generateKonnectKey } from './rotation-keys';

/**
 * The bridge's KEY_REFRESH_MIN_INTERVAL_SECONDS default plus 1 s (11 s): a warm container that
 * force-refreshed its keys just before the new key was stored refuses unknown keys for that long
 * (functions/auth/konnect-key-verifier.ts), so Konnect must not send the new key any sooner.
 */
export const DEFAULT_ACCEPT_DELAY_MS = (DEFAULT_KEY_REFRESH_MIN_INTERVAL_SECONDS + 1) * 1000;

/** The keys the bridge reads (its key secret as the bridge sees it). */
export interface KeySecret {
  /** The accepted keys, oldest first, without repeats. */
  read(): Promise<string[]>;
  /** Makes the bridge accept exactly these keys from now on. */
  write(keys: readonly string[]): Promise<void>;
}

export type ProviderRef = { id: string } | { name: string };

export interface RotationTiming {
  /** Wait between storing a new key and handing it to Konnect. @default DEFAULT_ACCEPT_DELAY_MS */
  acceptDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface HandOverOptions extends RotationTiming {
  /** Re-read after the wait: the new key must still be accepted when Konnect gets it. */
  secret: KeySecret;
}

/** What a run did, step by step; never a key. */
export type RotationProgress =
  | { step: 'provider-found'; providerId: string }
  | { step: 'new-key-stored'; keysStored: number }
  | { step: 'rotation-resumed'; keysStored: number }
  | { step: 'waiting-for-bridge'; ms: number }
  | { step: 'konnect-updated' }
  | { step: 'konnect-already-updated' }
  | { step: 'verified' }
  | { step: 'old-keys-removed'; removed: number };

export interface RotateWithKonnectOptions extends RotationTiming {
  secret: KeySecret;
  api: DcrProviderApi;
  provider: ProviderRef;
  /** The stack's UUID: a provider whose dcr-bridge-owner label differs is refused. */
  owner?: string;
  generate?: () => string;
  onProgress?: (progress: RotationProgress) => void;
}

export interface RotationOutcome {
  providerId: string;
  /** False when the run finished a rotation an earlier run had started. */
  generated: boolean;
  konnectUpdated: boolean;
  removedKeys: number;
  /** The `dcr-bridge-key` label Konnect holds now (a one-way fingerprint, not the key). */
  keyFingerprint: string;
}

/** A rotation step that cannot go ahead safely; both keys stay accepted. Never quotes a key. */
export class KeyRotationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRotationError';
  }
}

/**
 * Rotates the bridge's Konnect key with Konnect itself: store [OLD, NEW] (both accepted), wait
 * for every bridge container to be able to see NEW, PATCH Konnect's provider with NEW (and its
 * fingerprint label), verify through Konnect, store [NEW]. Every step is idempotent and every
 * stop leaves a state in which Konnect's key is accepted: run it again to finish.
 */
export async function rotateWithKonnect(options: RotateWithKonnectOptions): Promise<RotationOutcome> {
  const report = options.onProgress ?? (() => undefined);
  const provider = await findHttpProvider(options.api, options.provider, options.owner);
  report({ step: 'provider-found', providerId: provider.id });
  const staged = await stageNewKey(options.secret, options.generate);
  report(
    staged.generated
      ? { step: 'new-key-stored', keysStored: staged.keysStored }
      : { step: 'rotation-resumed', keysStored: staged.keysStored },
  );
  const konnectUpdated = await handKeyToKonnect(options.api, provider.id, staged.newKey, {
    secret: options.secret,
    acceptDelayMs: options.acceptDelayMs,
    sleep: async (ms) => {
      report({ step: 'waiting-for-bridge', ms });
      await (options.sleep ?? sleepFor)(ms);
    },
  });
  report({ step: konnectUpdated ? 'konnect-updated' : 'konnect-already-updated' });
  await verifyThroughKonnect(options.api, provider.id, [staged.newKey]);
  report({ step: 'verified' });
  const removedKeys = await retireOldKeys(options.secret, options.api, provider.id, staged.newKey);
  report({ step: 'old-keys-removed', removed: removedKeys });
  return {
    providerId: provider.id,
    generated: staged.generated,
    konnectUpdated,
    removedKeys,
    keyFingerprint: konnectKeyFingerprint(staged.newKey),
  };
}

/**
 * The HTTP DCR provider to rotate; any other type is not the bridge's and is left alone. With
 * `owner`, only a provider whose dcr-bridge-owner label is that owner.
 */
export async function findHttpProvider(api: DcrProviderApi, ref: ProviderRef, owner?: string): Promise<DcrProvider> {
  const provider = 'id' in ref ? await api.get(ref.id) : await api.findByName(ref.name);
  const named = 'id' in ref ? `with id ${ref.id}` : `named "${ref.name}"`;
  if (!provider) {
    throw new KeyRotationError(`Konnect has no DCR provider ${named}; connect it first (npm run connect-konnect).`);
  }
  if (provider.provider_type !== 'http') {
    throw new KeyRotationError(
      `Konnect's DCR provider ${named} is of type ${provider.provider_type}, not http; it is not a bridge's and is left alone.`,
    );
  }
  if (owner !== undefined && ownershipOf(provider, owner) !== 'owned') {
    const label = provider.labels?.[OWNER_LABEL];
    throw new KeyRotationError(
      `Konnect's DCR provider ${named} is not this bridge's (${OWNER_LABEL} is ${label ? `"${label}"` : 'missing'}, expected "${owner}"); it is left alone. ` +
        'Connect it with this stack first (adopting it if it has no owner), or rotate the right provider.',
    );
  }
  return provider;
}

/**
 * The key the rotation moves to: with one key stored, a fresh one; with several, the newest (an
 * earlier rotation stopped half-way, and Konnect may already hold it).
 */
export function chooseNewKey(
  keys: readonly string[],
  generate: () => string = generateKonnectKey,
): {
  newKey: string;
  generated: boolean;
} {
  const current = dedupeKeepingNewest(keys);
  if (current.length > 1) return { newKey: current[current.length - 1] as string, generated: false };
  let newKey = generate();
  while (current.includes(newKey)) newKey = generate();
  return { newKey, generated: true };
}

/** Step 1: the bridge accepts the old keys and the new one. */
export async function stageNewKey(
  secret: KeySecret,
  generate?: () => string,
): Promise<{ newKey: string; generated: boolean; keysStored: number }> {
  const keys = await secret.read();
  const { newKey, generated } = chooseNewKey(keys, generate);
  const keysStored = await addKey(secret, newKey, keys);
  return { newKey, generated, keysStored };
}

/** Adds `newKey` as the newest accepted key unless it is accepted already; the number of keys stored. */
export async function addKey(secret: KeySecret, newKey: string, known?: readonly string[]): Promise<number> {
  const keys = known ?? (await secret.read());
  if (keys.includes(newKey)) return keys.length;
  await secret.write([...keys, newKey]);
  return keys.length + 1;
}

/**
 * Step 2: PATCHes Konnect's provider with the new key and its fingerprint label, unless the label
 * says Konnect holds it already. After the wait the keys are read again: another rotation may have
 * dropped the new key meanwhile, and Konnect must never get a key the bridge refuses. False when
 * nothing was sent.
 */
export async function handKeyToKonnect(
  api: DcrProviderApi,
  providerId: string,
  newKey: string,
  options: HandOverOptions,
): Promise<boolean> {
  const fingerprint = konnectKeyFingerprint(newKey);
  if ((await api.get(providerId)).labels?.[KEY_FINGERPRINT_LABEL] === fingerprint) return false;
  await (options.sleep ?? sleepFor)(options.acceptDelayMs ?? DEFAULT_ACCEPT_DELAY_MS);
  if (!(await options.secret.read()).includes(newKey)) {
    throw new KeyRotationError(
      'The key secret no longer holds the new key (another rotation changed it meanwhile), so Konnect was not given it; run the rotation again.',
    );
  }
  // Read again after the wait: the labels sent are the ones Konnect has now.
  const provider = await api.get(providerId);
  if (provider.labels?.[KEY_FINGERPRINT_LABEL] === fingerprint) return false;
  // All labels go along, whether Konnect merges or replaces them on PATCH (connect-provider.ts).
  await api.update(providerId, {
    dcr_config: { api_key: newKey },
    labels: { ...provider.labels, [KEY_FINGERPRINT_LABEL]: fingerprint },
  });
  return true;
}

/** Step 3: Konnect makes a real create through the bridge with the key it holds. */
export async function verifyThroughKonnect(
  api: DcrProviderApi,
  providerId: string,
  keys: readonly string[] = [],
): Promise<void> {
  const verification = await api.verify(providerId);
  if (verification.status === 'success') return;
  const errors = verification.errors.map((error) => withoutKeys(error, keys)).join('; ') || 'no reason given';
  throw new KeyRotationError(
    `Konnect could not verify the bridge with the new key: ${errors}. The bridge still accepts the old and the new key; run the rotation again once this is fixed.`,
  );
}

/** Refuses to go on unless Konnect's label says it holds `newKey`: dropping the key Konnect sends would lock it out. */
export async function assertKonnectHolds(api: DcrProviderApi, providerId: string, newKey: string): Promise<void> {
  const provider = await api.get(providerId);
  if (provider.labels?.[KEY_FINGERPRINT_LABEL] !== konnectKeyFingerprint(newKey)) {
    throw new KeyRotationError(
      `Konnect's provider does not hold the new key (its ${KEY_FINGERPRINT_LABEL} label says otherwise), so the old key stays accepted; run the rotation again.`,
    );
  }
}

/**
 * Step 4: the keys older than the new one go; the new key and any stored after it stay (another
 * rotation may be handing a newer key to Konnect right now). The number of keys removed.
 */
export async function retireOldKeys(
  secret: KeySecret,
  api: DcrProviderApi,
  providerId: string,
  newKey: string,
): Promise<number> {
  const keys = await secret.read();
  const position = keys.indexOf(newKey);
  if (position < 0) {
    throw new KeyRotationError('The key secret no longer holds the new key; it was changed during the rotation.');
  }
  if (position === 0) return 0;
  await assertKonnectHolds(api, providerId, newKey);
  await secret.write(keys.slice(position));
  return position;
}

/** Konnect's texts never should quote a key; if one does, it stops here. */
function withoutKeys(text: string, keys: readonly string[]): string {
  return keys.reduce((result, key) => result.split(key).join('[redacted]'), text);
}
