import { randomBytes } from 'node:crypto';

/** Lower-case letters and digits only, so the random part reads well and never needs encoding. */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const RANDOM_LENGTH = 10;
const SLUG_MAX_LENGTH = 40;

/** The prefix an admin may configure: the characters a Konnect client id path segment allows. */
export const CLIENT_ID_PREFIX_PATTERN = /^[A-Za-z0-9._~-]{0,64}$/;

/**
 * Keycloak lets the caller choose the public clientId (what tokens carry in `azp`), so the bridge
 * makes one that is readable in the admin console and unique: `<prefix><slug of name>-<random>`.
 * 10 characters of a 36-letter alphabet make a collision (answered 409, then retried) negligible.
 */
export function generateClientId(prefix: string, clientName: string): string {
  const slug =
    clientName
      .normalize('NFKD')
      // Accents become their own code points under NFKD: dropped, so "Café" reads "cafe".
      .replace(/\p{Mn}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, SLUG_MAX_LENGTH)
      .replace(/-+$/, '') || 'app';
  return `${prefix}${slug}-${randomSuffix()}`;
}

function randomSuffix(): string {
  // 252 is the largest multiple of 36 below 256: rejecting higher bytes keeps letters uniform.
  let suffix = '';
  while (suffix.length < RANDOM_LENGTH) {
    for (const byte of randomBytes(RANDOM_LENGTH * 2)) {
      if (byte < 252 && suffix.length < RANDOM_LENGTH) suffix += ALPHABET[byte % ALPHABET.length];
    }
  }
  return suffix;
}
