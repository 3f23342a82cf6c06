import type http from 'node:http';
import type { FakeAuth0Client, RecordedRequest } from './auth0-fake';
import { type Answer, clientAuthentication } from './fake-http';

/** How the fake answers: Auth0's error bodies, token-endpoint parsing, and the wire format. */

export type { Answer } from './fake-http';

export const invalidToken = {
  statusCode: 401,
  error: 'Unauthorized',
  message: 'Invalid token',
  attributes: { error: 'Invalid token' },
};

export function managementError(statusCode: number, error: string, message: string, errorCode?: string): Answer {
  return { status: statusCode, body: { statusCode, error, message, ...(errorCode && { errorCode }) } };
}

export const clientMissing = () => managementError(404, 'Not Found', 'The client does not exist', 'inexistent_client');

export function oauthError(status: number, error: string, description: string): Answer {
  return { status, body: { error, error_description: description } };
}

/** What Auth0 shows of a client: everything but the fake's own bookkeeping. */
export function view(client: FakeAuth0Client): Record<string, unknown> {
  const { propagating_from: _, ...visible } = client;
  return visible;
}

/** During a delayed rotation the old secret is still the one accepted; the new one is not yet. */
export function acceptsSecret(client: FakeAuth0Client, secret: string | undefined): boolean {
  if (secret === undefined) return false;
  return client.propagating_from !== undefined ? secret === client.propagating_from : secret === client.client_secret;
}

export function formOf(request: RecordedRequest): URLSearchParams | undefined {
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(request.body);
  if (type.startsWith('application/json')) {
    try {
      const json = JSON.parse(request.body) as Record<string, unknown>;
      return new URLSearchParams(Object.entries(json).map(([key, value]): [string, string] => [key, String(value)]));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Client credentials from the Authorization header (client_secret_basic) or the body (client_secret_post). */
export function credentialsOf(request: RecordedRequest): { clientId?: string; clientSecret?: string } {
  const { id, secret } = clientAuthentication(request, formOf(request) ?? new URLSearchParams());
  return { clientId: id, clientSecret: secret };
}

export function send(res: http.ServerResponse, { status, body, headers }: Answer): void {
  if (body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
