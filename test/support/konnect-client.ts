/** Plays Konnect against a bridge URL: the four calls, with the X-API-KEY header. */
export interface BridgeAnswer {
  status: number;
  contentType: string | null;
  body: Record<string, unknown>;
  text: string;
}

export async function callBridge(
  bridgeUrl: string,
  method: 'POST' | 'DELETE' | 'GET' | 'PUT',
  path: string,
  options: { key?: string; json?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<BridgeAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers['X-API-KEY'] = options.key;
  let body: string | undefined = options.rawBody;
  if (options.json !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${bridgeUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    parsed = {};
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed, text };
}

/** Client credentials at the IdP's token endpoint: the proof that issued credentials really work. */
export async function requestToken(tokenEndpoint: string, clientId: string, clientSecret: string) {
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64');
  const response = await fetch(tokenEndpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: 'grant_type=client_credentials',
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body };
}
