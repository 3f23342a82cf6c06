/** The parsed JSON value, or undefined for an empty or unparsable text: callers judge the shape. */
export function parseJsonOrUndefined(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
