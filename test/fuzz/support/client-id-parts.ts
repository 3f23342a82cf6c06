import fc from 'fast-check';
import { accepted, either, type Mode, type Part, refused, validOr } from './fuzz-case';

/** The contract's client id: RFC 3986 unreserved characters, 1 to 255, not a dot segment. */
export const CLIENT_ID = /^[A-Za-z0-9._~-]{1,255}$/;
export const isValidClientId = (id: string) => CLIENT_ID.test(id) && id !== '.' && id !== '..';

const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-';

export const validClientId = fc
  .oneof(
    { weight: 6, arbitrary: fc.string({ unit: fc.constantFrom(...UNRESERVED), minLength: 1, maxLength: 40 }) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.constantFrom('0oa1b2c3d4E5f6G7h8i9', 'kong-app_1.v2~x', '...', '.a', 'a..', '~') },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...UNRESERVED), minLength: 255, maxLength: 255 }) },
  )
  .filter(isValidClientId);

/** Characters that make an id invalid, and the tricks that smuggle them in. */
const FORBIDDEN = [
  '/',
  '\\',
  '%',
  '\u0000',
  ' ',
  '?',
  '#',
  '@',
  ':',
  '+',
  '=',
  ',',
  ';',
  '\n',
  '\t',
  'é',
  '\u202e',
  '😀',
  '\ufeff',
  '"',
  '<',
  "'",
  '*',
  '[',
  ']',
  '\ud800',
];

export const invalidClientId = fc.oneof(
  fc.constantFrom(
    '.',
    '..',
    '../../api/v1/users/x',
    '..\\..\\x',
    'a/../b',
    '%2e%2e',
    '..%2F..%2Fx',
    '%00',
    'x%00y',
    '%zz',
  ),
  fc.tuple(validClientId, fc.constantFrom(...FORBIDDEN), fc.nat()).map(([id, bad, at]) => {
    const index = at % (id.length + 1);
    return `${id.slice(0, index)}${bad}${id.slice(index)}`;
  }),
  fc.string({ unit: fc.constantFrom(...UNRESERVED), minLength: 256, maxLength: 2000 }),
  fc.constantFrom('a'.repeat(100_000)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((id) => !isValidClientId(id)),
);

/** Percent-encodes every UTF-8 byte outside `keep` (lone surrogates become U+FFFD, as in any encoder). */
export function percentEncode(text: string, keep: RegExp = /[A-Za-z0-9._~-]/): string {
  let out = '';
  for (const char of text) {
    if (keep.test(char)) out += char;
    else for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** What API Gateway hands the function for an encoded segment: its percent-decoding. */
export const decodedSegment = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export interface ClientIdInPath {
  /** As it appears in the request target. */
  segment: string;
  /** As the handler receives it. */
  clientId: string;
}

/**
 * A client id and how it is written into the path. Valid ids are sent plain or fully
 * percent-encoded (both decode to the id). Invalid ones are encoded (the handler sees them as they
 * are) or, over HTTP only, sent raw, where a "/", "?" or "#" changes what the path means.
 */
export function clientIdInPath(mode: Mode, knownIds: readonly string[] = []): fc.Arbitrary<Part<ClientIdInPath>> {
  const valid = knownIds.length > 0 ? fc.oneof(validClientId, fc.constantFrom(...knownIds)) : validClientId;
  const validPart = fc
    .tuple(valid, fc.boolean())
    .map(([id, encodeAll]) => accepted({ clientId: id, segment: encodeAll ? percentEncode(id, /(?!)/) : id }));
  const invalidEncoded = invalidClientId.map((id) => {
    const segment = percentEncode(id);
    return refused({ clientId: decodedSegment(segment), segment }, 'an invalid client id');
  });
  const invalidRaw = invalidClientId.map((id) =>
    either({ clientId: id, segment: id }, 'an invalid client id, unencoded'),
  );
  return mode.transport === 'http'
    ? validOr(mode, validPart, 6, { weight: 3, arbitrary: invalidEncoded }, { weight: 1, arbitrary: invalidRaw })
    : validOr(mode, validPart, 2, { weight: 1, arbitrary: invalidEncoded });
}
