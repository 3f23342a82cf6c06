import * as z from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * Why a redirect URI is refused, or undefined when it is allowed: https with a host, http only on
 * loopback (RFC 8252 §7.3), or a native app's private-use scheme, which RFC 8252 §7.1 wants in
 * reverse domain form (so with a period, e.g. `com.example.app:/callback`). IdPs match redirect URIs
 * as exact strings, so only the canonical form (what `new URL()` writes back) is accepted.
 */
export function redirectUriProblem(value: string): string | undefined {
  if (/\s/.test(value)) return 'must not contain whitespace';
  if (value.includes('*')) return 'must not contain a wildcard (*): IdPs compare redirect URIs as exact strings';
  if (value.includes('#')) return 'must not contain a fragment (#)';
  if (!URL.canParse(value)) return 'must be an absolute URI';
  const url = new URL(value);
  if (url.username !== '' || url.password !== '') return 'must not contain userinfo (user@)';
  if (!hasAllowedScheme(url)) {
    return 'must use https:, http: on 127.0.0.1, [::1] or localhost, or a private-use scheme with a period (RFC 8252 §7.1, e.g. com.example.app:/callback)';
  }
  if (value !== url.href) return `must be written in canonical form: use "${url.href}"`;
  return undefined;
}

function hasAllowedScheme(url: URL): boolean {
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname);
  return url.protocol.slice(0, -1).includes('.');
}

export const redirectUriField = z
  .string()
  .max(2000, 'must be at most 2000 characters')
  .check((context) => {
    const problem = redirectUriProblem(context.value);
    if (problem) context.issues.push({ code: 'custom', message: problem, input: context.value });
  });

export const redirectUrisField = z.array(redirectUriField).max(20, 'at most 20 redirect URIs are allowed');
