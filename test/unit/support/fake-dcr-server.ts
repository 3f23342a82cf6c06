import type http from 'node:http';
import { type LoopbackServer, type RecordedRequest, sendJson, startLoopbackServer } from './loopback-server';

interface FakeClient {
  metadata: Record<string, unknown>;
  secret: string;
  rat: string;
}

type ServerOwnedField = 'client_id' | 'client_secret' | 'registration_access_token' | 'registration_client_uri';

/** How the fake behaves; reset to these defaults before each test. */
export interface FakeDcrBehaviour {
  /** Bearer tokens accepted on POST /register; empty = open registration. */
  acceptedInitialTokens: Set<string>;
  /** Fields left out of the registration answer. */
  omitOnRegister: Set<ServerOwnedField>;
  /** Management calls after which the RAT is replaced (Keycloak replaces it on every call). */
  rotateRatOn: Set<'GET' | 'PUT'>;
  /** What a PUT without client_secret does to the secret. */
  secretOnUpdate: 'renew' | 'keep';
  /** Curity-style: every GET issues a new secret. */
  renewSecretOnRead: boolean;
  /** The client credentials the token endpoint accepts, and the scope it requires. */
  tokenClient: { id: string; secret: string; scope: string; token: string };
  /** Which discovery documents exist. */
  discovery: { openid: boolean; oauth: boolean };
}

const defaults = (): FakeDcrBehaviour => ({
  acceptedInitialTokens: new Set(),
  omitOnRegister: new Set(),
  rotateRatOn: new Set(),
  secretOnUpdate: 'renew',
  renewSecretOnRead: false,
  tokenClient: { id: 'bridge', secret: 'bridge-secret', scope: 'dcr', token: 'cc-token-1' },
  discovery: { openid: false, oauth: false },
});

interface Answer {
  status: number;
  /** Sent as JSON; no body at all when undefined. */
  body?: unknown;
}

interface Override {
  method: string;
  path: RegExp;
  status: number;
  body?: unknown;
}

/**
 * A minimal RFC 7591 registration / RFC 7592 management server with a token endpoint and
 * discovery, on 127.0.0.1. Tests adjust `behaviour` and can force one answer with `answerOnce`.
 */
export class FakeDcrServer {
  behaviour = defaults();
  readonly clients = new Map<string, FakeClient>();
  private overrides: Override[] = [];
  private counter = 0;

  private constructor(private readonly server: LoopbackServer) {
    server.handle((request, response) => this.route(request, response));
  }

  static async start(): Promise<FakeDcrServer> {
    return new FakeDcrServer(await startLoopbackServer());
  }

  get url(): string {
    return this.server.url;
  }

  get registrationEndpoint(): string {
    return `${this.server.url}/register`;
  }

  get tokenEndpoint(): string {
    return `${this.server.url}/token`;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  /** Requests as "METHOD /path" lines, for compact assertions. */
  get calls(): string[] {
    return this.server.requests.map((request) => `${request.method} ${request.url}`);
  }

  reset(): void {
    this.behaviour = defaults();
    this.clients.clear();
    this.overrides = [];
    this.server.requests.length = 0;
  }

  /** The next request matching method and path gets this answer instead of the normal one. */
  answerOnce(method: string, path: RegExp, status: number, body?: unknown): void {
    this.overrides.push({ method, path, status, body });
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}-${Math.random().toString(36).slice(2, 10)}`;
  }

  private info(id: string, client: FakeClient, omit: ReadonlySet<string> = new Set()): Record<string, unknown> {
    const full: Record<string, unknown> = {
      ...client.metadata,
      client_id: id,
      client_secret: client.secret,
      client_id_issued_at: 1_700_000_000,
      client_secret_expires_at: 0,
      registration_access_token: client.rat,
      registration_client_uri: `${this.registrationEndpoint}/${id}`,
    };
    for (const field of omit) delete full[field];
    return full;
  }

  private route(request: RecordedRequest, response: http.ServerResponse): void {
    const { status, body } = this.answer(request);
    if (body === undefined) {
      response.writeHead(status);
      response.end();
    } else sendJson(response, status, body);
  }

  private answer(request: RecordedRequest): Answer {
    const path = request.url.split('?')[0] ?? '';
    const override = this.overrides.findIndex((o) => o.method === request.method && o.path.test(path));
    if (override !== -1) {
      const [{ status, body }] = this.overrides.splice(override, 1) as [Override];
      return { status, body };
    }
    if (request.method === 'GET' && path.startsWith('/.well-known/')) return this.discovery(path);
    if (request.method === 'POST' && path === '/token') return this.token(request);
    if (request.method === 'POST' && path === '/register') return this.register(request);
    const managed = /^\/register\/([^/]+)$/.exec(path);
    if (managed?.[1]) return this.manage(decodeURIComponent(managed[1]), request);
    return { status: 404, body: { error: 'not_found' } };
  }

  private discovery(path: string): Answer {
    const document = {
      issuer: this.url,
      registration_endpoint: this.registrationEndpoint,
      token_endpoint: this.tokenEndpoint,
    };
    const { openid, oauth } = this.behaviour.discovery;
    if (path === '/.well-known/openid-configuration' && openid) return { status: 200, body: document };
    if (path === '/.well-known/oauth-authorization-server' && oauth) return { status: 200, body: document };
    return { status: 404, body: { error: 'not_found' } };
  }

  private token(request: RecordedRequest): Answer {
    const { id, secret, scope, token } = this.behaviour.tokenClient;
    const form = new URLSearchParams(request.body);
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [user, password] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decode) : [];
    if (user !== id || password !== secret) return { status: 401, body: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== scope) {
      return { status: 400, body: { error: 'invalid_scope' } };
    }
    this.behaviour.acceptedInitialTokens.add(token);
    return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 300 } };
  }

  private register(request: RecordedRequest): Answer {
    const accepted = this.behaviour.acceptedInitialTokens;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (accepted.size > 0 && (bearer === undefined || !accepted.has(bearer))) {
      return { status: 401, body: { error: 'invalid_token' } };
    }
    const metadata = JSON.parse(request.body) as Record<string, unknown>;
    const id = this.next('client');
    const client: FakeClient = { metadata, secret: this.next('secret'), rat: this.next('rat') };
    this.clients.set(id, client);
    return { status: 201, body: this.info(id, client, this.behaviour.omitOnRegister) };
  }

  private manage(id: string, request: RecordedRequest): Answer {
    const client = this.clients.get(id);
    // RFC 7592 section 2: an unknown client or a wrong token are both 401.
    if (!client || request.headers.authorization !== `Bearer ${client.rat}`) {
      return { status: 401, body: { error: 'invalid_token' } };
    }
    if (request.method === 'DELETE') {
      this.clients.delete(id);
      return { status: 204 };
    }
    if (request.method === 'GET') {
      if (this.behaviour.renewSecretOnRead) client.secret = this.next('secret');
      if (this.behaviour.rotateRatOn.has('GET')) client.rat = this.next('rat');
      return { status: 200, body: this.info(id, client) };
    }
    if (request.method === 'PUT') {
      const sent = JSON.parse(request.body) as Record<string, unknown>;
      const { client_id: _id, client_secret: sentSecret, ...metadata } = sent;
      if (sentSecret !== undefined && sentSecret !== client.secret) {
        return { status: 400, body: { error: 'invalid_client_metadata', error_description: 'client_secret mismatch' } };
      }
      client.metadata = metadata;
      if (sentSecret === undefined && this.behaviour.secretOnUpdate === 'renew') client.secret = this.next('secret');
      if (this.behaviour.rotateRatOn.has('PUT')) client.rat = this.next('rat');
      return { status: 200, body: this.info(id, client) };
    }
    return { status: 405, body: { error: 'method_not_allowed' } };
  }
}
