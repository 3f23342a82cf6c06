import fc from 'fast-check';

/** Values Konnect really sends, field by field; the mutations start from these. */

const DISPLAY_UNITS = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
  // Format and separator characters (Cf, Zl, Zp) are refused, except the joiner inside emoji sequences.
  { weight: 1, arbitrary: fc.constantFrom('é', 'ß', '日', '😀', '\u00a0', '👩\u200d💻', 'ﷺ') },
);

/** Display text without control characters, starting with a letter so that trimming leaves some. */
export const displayText = (maxLength: number) =>
  fc
    .tuple(
      fc.constantFrom('A', 'z', 'Ä', '7'),
      fc.string({ unit: DISPLAY_UNITS, maxLength: Math.min(maxLength - 1, 60) }),
    )
    .map(([first, rest]) => `${first}${rest}`);

export const fullLengthName = fc.constant(`N${'x'.repeat(254)}`);

export const description = fc.oneof(
  fc.string({ unit: fc.oneof(DISPLAY_UNITS, fc.constantFrom('\n', '\r', '\t')), maxLength: 120 }),
  fc.constant('d'.repeat(1000)),
);

const host = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}\.(example|example\.com|test)$/);
// Canonical paths only (IdPs match redirect URIs as exact strings): no dot segments, never empty.
const pathPart = fc
  .stringMatching(/^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,11}){0,3}\/?$/)
  .map((path) => (path === '' ? '/' : path));
const reverseDomain = fc.stringMatching(/^[a-z][a-z0-9]{0,8}(\.[a-z][a-z0-9]{0,8}){1,3}$/);

export const redirectUri = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(host, pathPart).map(([name, path]) => `https://${name}${path}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('127.0.0.1', 'localhost', '[::1]'), fc.integer({ min: 1, max: 65535 }), pathPart)
      .filter(([, port]) => port !== 80)
      .map(([name, port, path]) => `http://${name}:${port}${path}`),
  },
  // RFC 8252 §7.1: a native app's private-use scheme, in reverse domain form.
  { weight: 1, arbitrary: fc.tuple(reverseDomain, pathPart).map(([scheme, path]) => `${scheme}:${path}`) },
  { weight: 1, arbitrary: fc.constantFrom('https://app.example.com/callback?x=1', 'https://xn--bcher-kva.example/cb') },
);

export const invalidRedirectUri = fc.oneof(
  fc.constantFrom(
    'http://app.example.com/cb',
    'https://app.example.com/cb#frag',
    '/relative/cb',
    'javascript:alert(1)',
    'data:text/html,x',
    'file:///etc/passwd',
    'https://',
    'custom-scheme://cb',
    '',
    'https://app.example.com/#',
    'https://*.example.com/cb',
    'https://app.example.com/*',
    'https://user@app.example.com/cb',
    'https://user:pass@app.example.com/cb',
    'https://app.example.com/call back',
    ' https://app.example.com/cb',
    'https://app.example.com/cb\n',
    'https://app.example.com',
    'HTTPS://app.example.com/cb',
    'https://app.example.com:443/cb',
    'https://app.example.com/a/../cb',
    'https://bücher.example/cb',
    'Com.Example.App:/cb',
  ),
  fc.constant(`https://a.example/${'p'.repeat(2000)}`),
);

/** Konnect's auth methods with an OAuth meaning at the IdP. */
const TRANSLATED_AUTH_METHODS = [
  'client_credentials',
  'bearer',
  'session',
  'authorization_code',
  'refresh_token',
  'implicit',
];
/** Auth methods the bridge accepts and ignores: the openid-connect plugin has more than OAuth knows. */
export const IGNORED_AUTH_METHODS = ['password', 'introspection', 'userinfo', 'kong_oauth2', 'something_new'];
export const AUTH_METHODS = [...TRANSLATED_AUTH_METHODS, ...IGNORED_AUTH_METHODS];
const NEEDS_REDIRECT = new Set(['authorization_code', 'refresh_token', 'implicit']);
export const needsRedirect = (grants: readonly string[]) => grants.some((grant) => NEEDS_REDIRECT.has(grant));

export const grantTypes = fc.array(fc.constantFrom(...AUTH_METHODS), { maxLength: 10 });

/** Any other string is an unknown auth method, accepted and ignored. */
export const unknownGrant = fc.oneof(
  fc.constantFrom('CLIENT_CREDENTIALS', 'client_credentials ', '', 'urn:ietf:params:oauth:grant-type:jwt-bearer'),
  fc.string({ maxLength: 200 }),
);

export const invalidGrant = fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom(null, {}, [], 'g'.repeat(201)));

const SCOPE_UNIT = fc
  .integer({ min: 0x21, max: 0x7e })
  .filter((c) => c !== 0x22 && c !== 0x5c)
  .map((c) => String.fromCharCode(c));
export const scope = fc.string({ unit: SCOPE_UNIT, minLength: 1, maxLength: 30 });
export const scopes = fc.array(scope, { maxLength: 50 });

export const invalidScope = fc.constantFrom(
  'has space',
  'quote"d',
  'back\\slash',
  '',
  's'.repeat(201),
  'é',
  'tab\t',
  'new\nline',
);

export const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];

/** Any other string: the bridge uses client_secret_basic, as Konnect shows the developer a secret. */
export const otherAuthMethod = fc.oneof(
  fc.constantFrom('none', 'private_key_jwt', 'tls_client_auth', 'CLIENT_SECRET_BASIC', 'client_secret'),
  fc.string({ maxLength: 200 }),
);

export const invalidAuthMethod = fc.oneof(fc.integer(), fc.boolean(), fc.constantFrom({}, [], 'm'.repeat(201)));

/** Ids that are no printable text of 1 to 255 characters: dropped, never refused. */
export const droppedId = fc.constantFrom('', 'x'.repeat(256), 'a\u0000b', 'line\nbreak', 12, null, {}, ['a'], true);

/** Ids that are not UUIDs but printable text, like the placeholders of Konnect's Verify. */
export const oddId = fc.oneof(
  fc.constantFrom('not-a-uuid', '123', 'test portal_id', 'test developer_id', '{f32d905a-ed33-46a3-a093-d8f536af9a8a}'),
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    minLength: 1,
    maxLength: 255,
  }),
);

export const CREATE_ID_FIELDS = [
  'portal_id',
  'organization_id',
  'developer_id',
  'auth_strategy_id',
  'dcr_provider_id',
  'application_id',
] as const;
export const EVENT_ID_FIELDS = [
  'application_id',
  'portal_id',
  'organization_id',
  'developer_id',
  'auth_strategy_id',
  'dcr_provider_id',
] as const;

/** Names the contract does not know: future Konnect fields, typos, prototype-ish names. */
export const unknownFieldName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z_]{0,20}$/),
  fc.constantFrom(
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'Client_Name',
    'clientName',
    'labels',
    'metadata',
  ),
);
