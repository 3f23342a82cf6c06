import * as z from 'zod/mini';
import '../commons/zod-locale';

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

/** A native app's private-use scheme redirect: reverse domain form (RFC 8252 §7.1, e.g. `com.example.app:/callback`). */
export const isPrivateUseRedirectUri = (uri: string): boolean => /^[a-z][a-z0-9+-]*\.[a-z0-9+.-]*:/i.test(uri);

/** A native app's redirect: a private-use scheme, or http (which the contract admits on loopback only, RFC 8252 §7.3). */
export const isNativeRedirectUri = (uri: string): boolean => isPrivateUseRedirectUri(uri) || /^http:/i.test(uri);

/**
 * Whether every redirect URI is a native app's (and there is at least one): OpenID Connect Dynamic
 * Client Registration §2 lets only such clients register as `application_type: "native"`, and a
 * "web" client (the default) may not use private-use schemes, so IdPs refuse them there.
 */
export const isNativeRedirectList = (redirectUris: readonly string[]): boolean =>
  redirectUris.length > 0 && redirectUris.every(isNativeRedirectUri);

function hasAllowedScheme(url: URL): boolean {
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname);
  return isPrivateUseRedirectUri(url.href);
}

export const redirectUriField = z.string().check(z.maxLength(2000, 'must be at most 2000 characters'), (context) => {
  const problem = redirectUriProblem(context.value);
  if (problem) context.issues.push({ code: 'custom', message: problem, input: context.value });
});

export const redirectUrisField = z
  .array(redirectUriField)
  .check(z.maxLength(20, 'at most 20 redirect URIs are allowed'));
