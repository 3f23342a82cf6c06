import fc from 'fast-check';
import { accepted, either, type Mode, type Part, refused, validOr } from './fuzz-case';

type Headers = Array<[string, string]>;

/** The same header name in another case: HTTP header names are case-insensitive. */
export const anyCase = (name: string) => fc.mixedCase(fc.constant(name));

/** Keys in Konnect's charset that are not the accepted one; distinctive, so logs can be searched for them. */
export const wrongKey = fc.stringMatching(/^[A-Za-z0-9_]{4,40}$/).map((suffix) => `konnect_wrong_${suffix}`);

/** The X-API-KEY header: present and right, or every way of getting it wrong. */
export function keyHeader(key: string, mode: Mode): fc.Arbitrary<Part<Headers>> {
  const { transport } = mode;
  const named = (value: string) => anyCase('X-API-KEY').map((name): Headers => [[name, value]]);
  return validOr(
    mode,
    named(key).map((headers) => accepted(headers)),
    12,
    { weight: 1, arbitrary: fc.constant(refused<Headers>([], 'no X-API-KEY')) },
    { weight: 1, arbitrary: wrongKey.chain(named).map((h) => refused(h, 'a wrong key')) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(
          '',
          'short',
          `${key}x`,
          key.slice(1),
          key.toUpperCase(),
          `${key}-`,
          key.replace(/_/g, '-'),
          'a'.repeat(257),
        )
        .filter((value) => value !== key)
        .chain(named)
        .map((h) => refused(h, 'a malformed or altered key')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Headers>(
          [['Authorization', `Bearer ${key}`]],
          [['X-API-KEY2', key]],
          [['X_API_KEY', key]],
          [['Api-Key', key]],
        )
        .map((h) => refused(h, 'the key in another header')),
    },
    {
      weight: 1,
      // HTTP strips optional whitespace around a value; an event as built here keeps it.
      arbitrary: fc
        .constantFrom(` ${key}`, `${key} `, `\t${key}\t`)
        .chain(named)
        .map((h) =>
          transport === 'http'
            ? accepted(h, 'the key with surrounding whitespace')
            : either(h, 'the key with surrounding whitespace'),
        ),
    },
    {
      weight: 1,
      // Over HTTP a repeated header reaches the handler joined with ", ", which no key matches; in an
      // event the two spellings are two keys and the normalizer keeps one of them.
      arbitrary: fc
        .tuple(named(key), fc.oneof(fc.constant(key), wrongKey).chain(named))
        .map(([first, second]): Part<Headers> => {
          const headers = [...first, ...second];
          return transport === 'http' ? refused(headers, 'X-API-KEY twice') : either(headers, 'X-API-KEY twice');
        }),
    },
  );
}

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'APPLICATION/JSON',
  'application/json;charset=UTF-8',
];
const NOT_JSON_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonp',
  'application/json-patch',
  'text/json',
  'json',
  'application/xml',
  '*/*',
];

/** Content-Type on a route that parses a JSON body. */
export function contentTypeHeader(mode: Mode): fc.Arbitrary<Part<Headers>> {
  const { transport } = mode;
  const named = (value: string) => anyCase('Content-Type').map((name): Headers => [[name, value]]);
  return validOr(
    mode,
    fc
      .constantFrom(...JSON_TYPES)
      .chain(named)
      .map((h) => accepted(h)),
    12,
    { weight: 1, arbitrary: fc.constant(refused<Headers>([], 'no Content-Type')) },
    {
      weight: 2,
      arbitrary: fc
        .oneof(fc.constantFrom(...NOT_JSON_TYPES), fc.string({ unit: 'binary-ascii', maxLength: 30 }))
        .filter((value) => !/^\s*application\/([a-z0-9.+-]+\+)?json\s*(;|$)/i.test(value))
        .chain(named)
        .map((h) => refused(h, 'a Content-Type that is not JSON')),
    },
    {
      weight: 1,
      // Structured-syntax JSON types (RFC 6839): the contract does not say.
      arbitrary: fc
        .constantFrom('application/merge-patch+json', 'application/vnd.konnect+json')
        .chain(named)
        .map((h) => either(h, 'a +json Content-Type')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(' application/json', 'application/json ')
        .chain(named)
        .map((h) =>
          transport === 'http'
            ? accepted(h, 'Content-Type with surrounding whitespace')
            : either(h, 'Content-Type with surrounding whitespace'),
        ),
    },
    {
      weight: 1,
      // Node keeps only the first Content-Type; an event keeps one of the spellings.
      arbitrary: fc
        .tuple(
          fc.constantFrom(...JSON_TYPES, ...NOT_JSON_TYPES).chain(named),
          fc.constantFrom(...JSON_TYPES, ...NOT_JSON_TYPES).chain(named),
        )
        .map(([first, second]) => either([...first, ...second], 'Content-Type twice')),
    },
  );
}

/** Header names that must not be drawn as noise: they carry meaning the case already decides. */
const MEANINGFUL = new Set(['x-api-key', 'content-type', 'host', 'content-length', 'transfer-encoding', 'connection']);

const TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
const token = fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 40 });

const trickyNames = fc.constantFrom(
  'Authorization',
  'Cookie',
  'X-Forwarded-For',
  'X-Amzn-Trace-Id',
  'X-Api-Key-Id',
  'Accept',
  'Accept-Encoding',
  'Origin',
  'Expect',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
);

const printableValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});

/** Noise headers (0 to 6) that must change nothing, and the ones HTTP itself refuses. */
export function noiseHeaders(mode: Mode, { allowContentType }: { allowContentType: boolean }) {
  const { transport } = mode;
  const isNoise = (name: string) =>
    !MEANINGFUL.has(name.toLowerCase()) || (allowContentType && name.toLowerCase() === 'content-type');
  const names = fc.oneof(token, trickyNames, allowContentType ? anyCase('Content-Type') : token).filter(isNoise);
  const eventValues = fc.oneof(
    { weight: 6, arbitrary: printableValue },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(1_000_000), 'é'.repeat(100_000), '\u0000\r\n\u007f') },
  );
  const oneHeader: fc.Arbitrary<Part<Headers>> =
    transport === 'event'
      ? fc.oneof(
          fc.tuple(names, eventValues).map(([name, value]) => accepted<Headers>([[name, value]])),
          // Anything a JSON event can carry as a name.
          fc
            .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }).filter(isNoise), eventValues)
            .map(([name, value]) => accepted<Headers>([[name, value]])),
        )
      : validOr(
          mode,
          fc
            .tuple(names, printableValue)
            .filter(([name]) => !mode.clean || name.toLowerCase() !== 'expect')
            .map(([n, v]) => httpNoise(n, v)),
          8,
          {
            weight: 1,
            arbitrary: fc
              .tuple(names, fc.constantFrom('a\u0001b', 'a\u0000b', 'x\u007f', 'a\rb'))
              .map(([name, value]) => refused<Headers>([[name, value]], 'a control character in a header value')),
          },
          {
            weight: 1,
            arbitrary: fc
              .tuple(
                fc.constantFrom('Bad Name', 'Bad(Name)', 'Bad"Name', 'Bad@Name', 'Bäd', 'Bad{}', 'Bad/Name'),
                printableValue,
              )
              .map(([name, value]) => refused<Headers>([[name, value]], 'a header name that is not an HTTP token')),
          },
          {
            weight: 1,
            arbitrary: fc
              .tuple(names, fc.integer({ min: 17_000, max: 40_000 }))
              .map(([name, size]) => refused<Headers>([[name, 'h'.repeat(size)]], 'headers over the 16 KiB limit')),
          },
          {
            weight: 1,
            arbitrary: fc.tuple(names, fc.integer({ min: 1_000, max: 8_000 })).map(([name, size]): Part<Headers> => {
              const part = httpNoise(name, 'v'.repeat(size));
              return {
                value: part.value,
                verdicts: [...part.verdicts, { expect: 'accept', why: 'a long header value' }],
              };
            }),
          },
        );
  return fc.array(oneHeader, { maxLength: 6 }).map((parts) => ({
    value: parts.flatMap((part) => part.value),
    verdicts: parts.flatMap((part) => part.verdicts),
  }));
}

/** `Expect` is the one noise header HTTP gives a meaning: only 100-continue is defined. */
function httpNoise(name: string, value: string): Part<Headers> {
  if (name.toLowerCase() === 'expect' && value.toLowerCase() !== '100-continue') {
    return either([[name, value]], 'an Expect header HTTP does not define');
  }
  return accepted([[name, value]]);
}
