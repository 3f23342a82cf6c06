/**
 * Credential values the bridge holds or has seen (its IdP credentials, tokens it sent, secrets an
 * IdP issued), so that an IdP echoing one back in an error text, or a log line quoting it, shows
 * `[redacted]` instead. Most recently seen first to survive; bounded, so a warm container that
 * issues thousands of clients does not grow.
 */
const CAPACITY = 128;
/** Shorter values could be ordinary words; no credential the bridge handles is that short. */
const MIN_LENGTH = 8;
/** A PEM private key fits; nothing larger is worth searching for. */
const MAX_LENGTH = 16 * 1024;

const known = new Set<string>();

function remember(value: string): void {
  if (value.length < MIN_LENGTH || value.length > MAX_LENGTH) return;
  // Re-adding moves the value to the end: credentials in use are never the ones dropped.
  known.delete(value);
  known.add(value);
  if (known.size > CAPACITY) known.delete(known.values().next().value as string);
}

/** Remembers a credential value, and its URL-encoded form (as it travels in a form or query). */
export function rememberSecret(value: unknown): void {
  if (typeof value !== 'string') return;
  remember(value);
  const encoded = encodeURIComponent(value);
  if (encoded !== value) remember(encoded);
}

/** Replaces every remembered value found in the text; the same string when there is none. */
export function maskKnownSecrets(text: string, mask: string): string {
  if (known.size === 0 || text.length < MIN_LENGTH) return text;
  const found: string[] = [];
  for (const secret of known) if (text.includes(secret)) found.push(secret);
  if (found.length === 0) return text;
  // Longest first, so a value that contains another is masked whole.
  found.sort((a, b) => b.length - a.length);
  return found.reduce((result, secret) => result.split(secret).join(mask), text);
}

/** Fields whose string value is a credential in OAuth, RFC 7591/7592 and the vendors' bodies. */
const CREDENTIAL_FIELDS = new Set([
  'client_secret',
  'registration_access_token',
  'initial_access_token',
  'access_token',
  'refresh_token',
  'id_token',
  'client_assertion',
  'api_token',
  'password',
  'secret',
  // Entra addPassword.
  'secretText',
]);

/** Remembers the credential fields of a JSON or form body (top level: where every IdP puts them). */
export function rememberSecretsIn(body: unknown): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
  for (const [field, value] of Object.entries(body)) if (CREDENTIAL_FIELDS.has(field)) rememberSecret(value);
}

/** Remembers the credential of an Authorization header: a token, or the password inside Basic. */
export function rememberAuthorization(header: string | undefined): void {
  const [, scheme, credentials] = /^(\S+)\s+(\S+)$/.exec(header?.trim() ?? '') ?? [];
  if (!credentials) return;
  rememberSecret(credentials);
  if (scheme?.toLowerCase() !== 'basic') return;
  const decoded = Buffer.from(credentials, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  if (!decoded.includes(':') || password === '') return;
  // RFC 6749 section 2.3.1: form-encoded before Basic encoding.
  rememberSecret(password);
  try {
    rememberSecret(decodeURIComponent(password.replace(/\+/g, ' ')));
  } catch {
    // Not form-encoded: the raw password is remembered already.
  }
}

/** Forgets every value; for tests. */
export function forgetKnownSecrets(): void {
  known.clear();
}
