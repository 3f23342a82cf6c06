import fc from 'fast-check';

/**
 * JSON text that JSON.stringify cannot produce (or would choke on), spliced into a serialized body
 * in place of a placeholder string: deep nesting, prototype-pollution keys.
 */
export class RawJson {
  constructor(readonly text: string) {}
}

export const rawJson = (text: string) => new RawJson(text);

/** JSON.stringify, with every RawJson value written as its text. */
export function serialize(value: unknown, indent?: number): string {
  const raws: string[] = [];
  const replacer = (_key: string, inner: unknown) => {
    if (!(inner instanceof RawJson)) return inner;
    raws.push(inner.text);
    return `\u0000raw${raws.length - 1}\u0000`;
  };
  const text = JSON.stringify(value, replacer, indent);
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => raws[Number(index)] ?? 'null');
}

/** Nested arrays or objects this deep, as JSON text. */
export const nested = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * Deep enough for JSON.parse with a reviver (Middy's body parser guards against prototype keys
 * with one) to run out of stack: far past anything Konnect sends.
 */
export const tooDeep = fc.constantFrom(
  // Built once: generating them anew for every case would cost more than running it.
  rawJson(nested(20_000, 'array')),
  rawJson(nested(60_000, 'array')),
  rawJson(nested(30_000, 'object')),
);

/** Nesting a JSON parser handles fine. */
export const deepButParseable = fc
  .record({ depth: fc.integer({ min: 1, max: 300 }), kind: fc.constantFrom('array', 'object' as const) })
  .map(({ depth, kind }) => rawJson(nested(depth, kind)));

/** Keys that pollute prototypes when a body is merged carelessly; Middy refuses both. */
export const pollutingValue = fc.oneof(
  fc.constant(rawJson('{"__proto__":{"isAdmin":true}}')),
  fc.constant(rawJson('{"constructor":{"prototype":{"isAdmin":true}}}')),
  fc.constant(rawJson('[{"__proto__":null}]')),
);

/** Keys that look dangerous but are plain data to JSON.parse and zod. */
export const harmlessPrototypeKey = fc.constantFrom(
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isPrototypeOf',
);

/** A huge string: 300,000 characters keeps a body under the local server's 1 MiB limit. */
export const hugeString = fc.constantFrom(
  ...['a', 'é', '€', '\\', '"', ' ', '😀'].map((unit, index) => unit.repeat(70_000 + index * 13_000)),
);

/** 10,000 elements: built directly, since fc.array would shrink them one by one. */
export const tenThousand = fc.constantFrom(
  ...['https://a.example/cb', 'client_credentials', 'read', 1, null, {}, []].map((element) =>
    Array.from({ length: 10_000 }, () => element),
  ),
);

/** Strings a Konnect form could never produce. */
export const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\u202e',
    '\ufeff',
    '\ud800',
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    "' OR 1=1 --",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4j-style lookup, as text on purpose
    '${jndi:ldap://x}',
    '{{7*7}}',
    'null',
    'undefined',
  ),
);

/** Any JSON value, from plain to hostile; for fields the contract does not know. */
export const anyJsonValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: oddString },
  { weight: 1, arbitrary: deepButParseable },
  { weight: 1, arbitrary: tenThousand },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: fc.constantFrom(1e308, -0, 2 ** 53 + 1, 0.1, true, false, null) },
);

/** A value of the wrong JSON type for a field that wants `expected`. */
export const wrongType = (expected: 'string' | 'array') =>
  fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant({}),
    fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
    expected === 'string' ? fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }) : fc.string({ maxLength: 10 }),
  );

/** Body text that is not JSON at all, or not quite. */
export const notJson = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '{',
    '{"client_name":',
    "{'client_name':'a'}",
    '{client_name: "a"}',
    '\ufeff{}',
    'client_name=a&grant_types=client_credentials',
    '<xml/>',
    '{"a":1}{"b":2}',
    '[1,]',
    '{"a":NaN}',
    '\u0000',
    'undefined',
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).filter((text) => !parses(text)),
);

export const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/** JSON that parses but is not an object. */
export const nonObjectJson = fc.oneof(
  fc.constantFrom('null', 'true', '0', '-1e999', '"client_name"', '[]', '[{}]'),
  fc
    .jsonValue({ maxDepth: 2 })
    .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
    .map(serialize),
);

/** Middy refuses these keys anywhere in a body; fc.jsonValue may produce them by chance. */
export function hasPrototypeKey(text: string): boolean {
  if (!/__proto__|constructor/.test(text)) return false;
  let found = false;
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__' || (key === 'constructor' && value && Object.hasOwn(value as object, 'prototype')))
        found = true;
      return value;
    });
  } catch {
    // Too deep to revive: the case already says so.
  }
  return found;
}
