import { randomUUID } from 'node:crypto';
import type http from 'node:http';

/** Graph answers JSON with OData metadata and a request-id header on every response. */
export function sendGraph(
  response: http.ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
  requestId: string = randomUUID(),
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, {
    ...(text && {
      'content-type':
        'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8',
    }),
    'content-length': String(Buffer.byteLength(text)),
    'request-id': requestId,
    'client-request-id': requestId,
    ...headers,
  });
  response.end(text);
}

/**
 * Graph's error body: `{error: {code, message, innerError: {date, request-id, client-request-id}}}`.
 * https://learn.microsoft.com/graph/errors ("Error resource type").
 */
export function sendGraphError(
  response: http.ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: { headers?: Record<string, string>; details?: Record<string, unknown>[] } = {},
): void {
  const requestId = randomUUID();
  sendGraph(
    response,
    status,
    {
      error: {
        code,
        message,
        ...(extra.details && { details: extra.details }),
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
    extra.headers,
    requestId,
  );
}

/**
 * The Microsoft identity platform's token error: `{error, error_description, error_codes, timestamp,
 * trace_id, correlation_id, error_uri}`, the description starting with the AADSTS code.
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow#error-response
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function sendTokenError(
  response: http.ServerResponse,
  status: 400 | 401,
  error: string,
  aadsts: number,
  message: string,
): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');
  const body = JSON.stringify({
    error,
    error_description: `AADSTS${aadsts}: ${message} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [aadsts],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
  });
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store, no-cache',
  });
  response.end(body);
}
