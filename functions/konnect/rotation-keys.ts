import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Same shape as the key the stack generates at deploy: 48 characters of A-Za-z0-9 (~285 bits). */
export const KONNECT_KEY_LENGTH = 48;

/**
 * A new Konnect API key. Konnect accepts 12–256 characters of A-Za-z0-9_; leaving out "_" keeps
 * the key easy to double-click and paste. crypto.randomInt draws without modulo bias.
 */
export function generateKonnectKey(length = KONNECT_KEY_LENGTH): string {
  let key = '';
  for (let index = 0; index < length; index += 1) key += ALPHABET[randomInt(ALPHABET.length)];
  return key;
}

/** Drops repeated keys; a key's position is its last occurrence (the list is oldest first). */
export function dedupeKeepingNewest(keys: readonly string[]): string[] {
  const seen = new Set<string>();
  const newestFirst: string[] = [];
  for (const key of [...keys].reverse()) {
    if (!seen.has(key)) newestFirst.push(key);
    seen.add(key);
  }
  return newestFirst.reverse();
}

/** How the key secret is written: one key alone (as the stack creates it), several as a JSON list. */
export function keySecretValue(keys: readonly string[]): string {
  return keys.length === 1 ? (keys[0] as string) : JSON.stringify(keys);
}
