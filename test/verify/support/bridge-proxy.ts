import type { LoopbackServer, RecordedRequest } from '../../unit/support/loopback-server';

export interface ProxiedAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/**
 * Passes a request on to `target` (the real bridge or IdP), as a reverse proxy in front of it
 * would; `key` replaces the X-API-KEY sent, `body` the body.
 */
export async function forward(
  target: string,
  request: RecordedRequest,
  change: { key?: string; body?: string } = {},
): Promise<ProxiedAnswer> {
  const headers: Record<string, string> = {};
  const presented = change.key ?? request.headers['x-api-key'];
  if (typeof presented === 'string') headers['x-api-key'] = presented;
  for (const name of ['content-type', 'authorization', 'accept']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const body = change.body ?? request.body;
  const response = await fetch(`${target}${request.url}`, {
    method: request.method,
    headers,
    body: body === '' ? undefined : body,
  });
  return {
    status: response.status,
    headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
    text: await response.text(),
  };
}

type Response = Parameters<Parameters<LoopbackServer['handle']>[0]>[1];

export function reply(response: Response, answer: ProxiedAnswer): void {
  response.writeHead(answer.status, answer.headers);
  response.end(answer.text);
}

/** A contract error as the bridge sends it. */
export function contractAnswer(status: number, error: string, description: string): ProxiedAnswer {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    text: JSON.stringify({ error, error_description: description }),
  };
}
