import { type Exchange, exchange } from './http-exchange';

export interface BridgeCall {
  /** The X-API-KEY to send; `null` sends none. Defaults to the configured key. */
  key?: string | null;
  json?: unknown;
  /** Sent as is, with Content-Type: application/json (for malformed bodies). */
  rawJson?: string;
}

/** Calls the bridge the way Konnect does: base URL + route, X-API-KEY header, JSON bodies. */
export class BridgeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly key: string,
    private readonly timeoutMs: number,
  ) {}

  call(method: 'POST' | 'DELETE', path: string, call: BridgeCall = {}): Promise<Exchange> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const key = call.key === undefined ? this.key : call.key;
    if (key !== null) headers['x-api-key'] = key;
    let body: string | undefined;
    if (call.json !== undefined || call.rawJson !== undefined) {
      headers['content-type'] = 'application/json';
      body = call.rawJson ?? JSON.stringify(call.json);
    }
    return exchange({ method, url: `${this.baseUrl}${path}`, headers, body }, this.timeoutMs, 'the bridge');
  }

  /** Path of one client's route; the id is encoded as any client of the bridge would. */
  static clientPath(clientId: string, suffix = ''): string {
    return `/${encodeURIComponent(clientId)}${suffix}`;
  }
}
