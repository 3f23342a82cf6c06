import * as z from 'zod/mini';
import { CONTROL_CHARACTERS } from '../commons/control-characters';
import '../commons/zod-locale';

/**
 * Text shown to people, cleaned rather than refused: control characters become spaces
 * (descriptions keep line breaks and tabs, as they come from a multi-line field).
 */
export function cleanText(text: string, { multiLine = false } = {}): string {
  const clean = text.replace(CONTROL_CHARACTERS, (c) => (multiLine && '\t\r\n'.includes(c) ? c : ' '));
  return multiLine ? clean : clean.trim();
}

/** Cuts text to `maxLength` without splitting a surrogate pair. */
export function truncate(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(maxLength - 1)) ? maxLength - 1 : maxLength;
  return text.slice(0, end);
}

/** Whether `value` is text that displayTextField cuts. */
export const isTooLong = (value: unknown, maxLength: number, options: { multiLine?: boolean } = {}) =>
  typeof value === 'string' && cleanText(value, options).length > maxLength;

/**
 * Invisible format characters (Unicode Cf: bidi overrides such as U+202E, zero-width spaces,
 * tags) and line/paragraph separators (Zl, Zp) can make a name read as another in an IdP
 * console. U+200D ZERO WIDTH JOINER is the exception: emoji sequences need it.
 */
const DISGUISING_CHARACTER = /(?!\u200D)[\p{Cf}\p{Zl}\p{Zp}]/u;

/** Why display text is refused, naming the first disguising character; undefined when it is fine. */
export function disguisingCharacterProblem(text: string): string | undefined {
  const found = DISGUISING_CHARACTER.exec(text)?.[0];
  if (found === undefined) return undefined;
  const codePoint = `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return `must not contain invisible format or separator characters (found ${codePoint}); only U+200D (zero width joiner) is allowed`;
}

/**
 * Display text: cleaned (cleanText), cut at `maxLength`; missing, null or blank becomes
 * `fallback`. Refused only for a value of another type, or for characters that can disguise it
 * (disguisingCharacterProblem); control characters are replaced instead (cleanText).
 */
export const displayTextField = (maxLength: number, { multiLine = false, fallback = '' } = {}) =>
  z.pipe(
    z.nullish(
      z.string().check((context) => {
        const problem = disguisingCharacterProblem(context.value);
        if (problem) context.issues.push({ code: 'custom', message: problem, input: context.value });
      }),
    ),
    z.transform((value: string | null | undefined) => {
      const text = cleanText(value ?? '', { multiLine });
      return text.trim() === '' ? fallback : truncate(text, maxLength);
    }),
  );

/** A list Konnect may also send as one string (split on spaces, or as one entry); missing or null is empty. */
export const listField = <Item extends z.ZodMiniType<string>>(item: Item, maxItems: number, { split = false } = {}) =>
  z.pipe(
    z.pipe(
      z.nullish(z.union([z.string(), z.array(z.unknown())], { error: 'must be a list of strings' })),
      z.transform((value: string | unknown[] | null | undefined): unknown[] => {
        if (value == null) return [];
        if (typeof value !== 'string') return value;
        return split ? value.split(' ').filter((part) => part !== '') : [value];
      }),
    ),
    z.array(item).check(z.maxLength(maxItems, `at most ${maxItems} entries are allowed`)),
  );

// RFC 6749 section 3.3 scope-token characters.
export const scopeField = z
  .string()
  .check(
    z.regex(
      /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/,
      'must be 1 to 200 printable characters without spaces, quotes or backslashes',
    ),
  );
