import type http from 'node:http';
import { type RecordedRequest, sendJson } from '../unit/support/loopback-server';

/** One answer of a fake: a status, an optional JSON body, extra headers. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function sendAnswer(response: http.ServerResponse, { status, body, headers }: Answer): void {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  sendJson(response, status, body, headers);
}

/** The JSON object a request carries with Content-Type application/json; anything else is undefined. */
export function jsonObjectBody(request: RecordedRequest): Record<string, unknown> | undefined {
  if (!request.headers['content-type']?.startsWith('application/json')) return undefined;
  try {
    const value: unknown = JSON.parse(request.body);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function formBody(request: RecordedRequest): URLSearchParams | undefined {
  if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) return undefined;
  return new URLSearchParams(request.body);
}

/** RFC 6749 section 2.3.1: id and secret are form-encoded inside the Basic credentials. */
export function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
}

/** Client authentication at a token endpoint: client_secret_basic, else client_secret_post. */
export function clientAuthentication(
  request: RecordedRequest,
  form: URLSearchParams,
): { id?: string; secret?: string } {
  return (
    basicCredentials(request.headers.authorization) ?? {
      id: form.get('client_id') ?? undefined,
      secret: form.get('client_secret') ?? undefined,
    }
  );
}
