import type { z } from 'zod';
import { invalidClientMetadata, invalidRequest } from '../commons/bridge-error';

/** Parses with zod and turns every issue into one readable line naming the field and the reason. */
export function parseBody<Schema extends z.ZodType>(
  schema: Schema,
  body: unknown,
  kind: 'client_metadata' | 'request' = 'request',
): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const reasons = result.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${field}: ${issue.message}`;
  });
  const description = `Invalid request body. ${reasons.join('; ')}.`;
  throw kind === 'client_metadata' ? invalidClientMetadata(description) : invalidRequest(description);
}
