import * as z from 'zod';
import { hasControlCharacters } from '../commons/control-characters';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** RFC 8252 allows plain http only for loopback redirects; everything else must be https. */
export function isAllowedRedirectUri(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.hash !== '' || value.includes('#')) return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
}

export const redirectUriField = z.string().max(2000, 'must be at most 2000 characters').refine(isAllowedRedirectUri, {
  message: 'must be an absolute https: URI, or http: on 127.0.0.1, [::1] or localhost, without a fragment',
});

export const redirectUrisField = z.array(redirectUriField).max(20, 'at most 20 redirect URIs are allowed');

// RFC 6749 section 3.3 scope-token characters.
export const scopeField = z
  .string()
  .regex(
    /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/,
    'must be 1 to 200 printable characters without spaces, quotes or backslashes',
  );

/** Konnect's ids are UUIDs; accept any version, as Konnect has not promised one. */
export const konnectIdField = z.guid('must be a UUID');

/** Text shown to people; descriptions come from a multi-line field, so they may keep line breaks. */
export const displayTextField = (maxLength: number, { multiLine = false } = {}) =>
  z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine((value) => !hasControlCharacters(multiLine ? value.replace(/[\t\r\n]/g, ' ') : value), {
      message: 'must not contain control characters',
    });
