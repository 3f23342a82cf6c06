import type { Exchange } from './http-exchange';

const MAX_DESCRIPTION = 300;

/** The contract's error shape: JSON `{error, error_description}`. */
export function contractError(answer: Exchange): { error: string; description: string } | undefined {
  if (!answer.contentType?.toLowerCase().startsWith('application/json')) return undefined;
  const body = answer.body as Record<string, unknown> | undefined;
  if (typeof body?.error !== 'string' || typeof body.error_description !== 'string') return undefined;
  return { error: body.error, description: body.error_description };
}

/** "500 server_error: The bridge failed." — what the bridge said, shortened. */
export function describeAnswer(answer: Exchange): string {
  const error = contractError(answer);
  if (error) {
    const description =
      error.description.length > MAX_DESCRIPTION
        ? `${error.description.slice(0, MAX_DESCRIPTION)}…`
        : error.description;
    return `${answer.status} ${error.error}: ${description}`;
  }
  return `${answer.status}${answer.text ? ` (body not in the {error, error_description} shape)` : ' (empty body)'}`;
}

/** "the bridge answered 500 instead of 201 (500 server_error: …)". */
export function unexpectedAnswer(answer: Exchange, expected: number, what: string): string {
  if (answer.status === 401 && expected !== 401) {
    return `the bridge refused the key for ${what} (${describeAnswer(answer)}): --key is not a key the bridge accepts`;
  }
  return `the bridge answered ${answer.status} instead of ${expected} to ${what} (${describeAnswer(answer)})`;
}
