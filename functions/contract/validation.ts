import * as z from 'zod/mini';
import { invalidClientMetadata, invalidRequest } from '../commons/bridge-error';
import '../commons/zod-locale';

/** Parses with zod and turns every issue into one readable line naming the field and the reason. */
export function parseBody<Schema extends z.core.$ZodType>(
  schema: Schema,
  body: unknown,
  kind: 'client_metadata' | 'request' = 'request',
): z.output<Schema> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalidRequest('The request body must be a JSON object.');
  }
  const result = z.safeParse(schema, body);
  if (result.success) return result.data;
  const reasons = result.error.issues.slice(0, 5).map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    return `${field}: ${issue.message}`;
  });
  const description = `Invalid request body. ${reasons.join('; ')}.`;
  throw kind === 'client_metadata' ? invalidClientMetadata(description) : invalidRequest(description);
}
