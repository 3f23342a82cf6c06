import { scryptSync } from 'node:crypto';

/**
 * Konnect never returns a provider's api_key ("Sensitive fields will be removed from the
 * response"), so the bridge labels the provider with a fingerprint of the key it set: re-runs
 * then know whether Konnect holds the current key, and an interrupted rotation where it stopped.
 * scrypt with a fixed salt: a label is readable by anyone who can list providers, and a key is
 * long and random, so a slow hash costs a guesser far more than it costs us (one call per run).
 */
const SALT = 'dcr-bridge konnect api key fingerprint v1';
/** 16 bytes: 32 hex characters, within Konnect's 63-character label values. */
const LENGTH = 16;
const COST = { N: 16384, r: 8, p: 1 };

/** The label the fingerprint is stored under (keys must not start with kong, konnect, mesh, kic or _). */
export const KEY_FINGERPRINT_LABEL = 'dcr-bridge-key';
/** The label naming the stack (or CLI --name) that manages the provider. */
export const STACK_LABEL = 'dcr-bridge-stack';

/** 32 lowercase hex characters; the same for the same key, always. */
export function konnectKeyFingerprint(key: string): string {
  return scryptSync(key, SALT, LENGTH, COST).toString('hex');
}

/**
 * A Konnect label value from any name: the label pattern is
 * ^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$, at most 63 characters. Undefined when nothing is left.
 */
export function labelValue(name: string): string | undefined {
  const cleaned = name
    .replace(/[^a-zA-Z0-9\-._]/g, '-')
    .slice(0, 63)
    .replace(/^[^a-zA-Z0-9]+/, '')
    .replace(/[^a-zA-Z0-9]+$/, '');
  return cleaned === '' ? undefined : cleaned;
}
