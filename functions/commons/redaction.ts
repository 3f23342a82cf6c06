import { maskKnownSecrets } from './known-secrets';

// Any log attribute whose name looks like a credential is masked, whatever its depth.
const SECRET_KEY_PATTERN =
  /secret|token|password|passphrase|api[-_]?key|^keys?$|authorization|credential|private[-_]?key|assertion|cookie|(^|[-_])rat$/i;

export const REDACTED = '[redacted]';

/**
 * Credentials that can hide inside any string (a message, an error text, a URL): each is
 * replaced in place, so the rest of the text stays readable.
 */
const SECRET_VALUE_RULES: readonly [RegExp, string][] = [
  // HTTP authorization values: `Bearer <token>`, `Basic <base64>`, Okta's `SSWS <token>`, DPoP.
  // Eight characters at least, so that prose ("the bearer token") stays readable.
  [/\b(Bearer|Basic|SSWS|DPoP|Digest|Negotiate)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  // JWTs (access tokens, client assertions, RATs of some IdPs): header.payload.signature.
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, REDACTED],
  // PEM private keys (the Okta signing key), even cut off.
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  // Passwords in URLs: scheme://user:password@host.
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`],
  // Credentials in form bodies or query strings: client_secret=..., access_token=...
  [/\b([A-Za-z_]*(?:secret|token|password|assertion|api_key))=[^&\s"']+/gi, `$1=${REDACTED}`],
  // Credentials in JSON text, e.g. an IdP answer quoted in a message: "client_secret": "...".
  [/"([A-Za-z_]*(?:secret|token|password|assertion|api_key))"\s*:\s*"(?:[^"\\]|\\.)*"/gi, `"$1":"${REDACTED}"`],
];

/**
 * Masks what a string would leak: every credential value the bridge knows (known-secrets.ts),
 * then anything shaped like a credential. The same string when there is nothing to mask. The one
 * redaction of the bridge: log lines, IdP texts and contract descriptions all pass through it.
 */
export function redactSecretValues(text: string): string {
  let result = maskKnownSecrets(text, REDACTED);
  for (const [pattern, replacement] of SECRET_VALUE_RULES) result = result.replace(pattern, replacement);
  return result;
}

/**
 * The logger's JSON replacer: masks values of secret-looking keys, and credentials inside any
 * string. A second line of defence after "never log a secret".
 */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY_PATTERN.test(key) && (typeof value === 'string' || typeof value === 'object')) {
    return value === null ? value : REDACTED;
  }
  if (typeof value === 'string') return redactSecretValues(value);
  return value;
}
