import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { type LoopbackServer, type RecordedRequest, sendJson, startLoopbackServer } from './loopback-server';

interface FakeClient {
  metadata: Record<string, unknown>;
  secret: string;
  rat: string;
  /** Set by a DELETE in `deleteDisables` mode: the client stays, and nothing accepts it. */
  disabled?: boolean;
}

type ServerOwnedField = 'client_id' | 'client_secret' | 'registration_access_token' | 'registration_client_uri';

/**
 * How the fake behaves; reset to these defaults (an RFC 7591/7592 server close to oidc-provider)
 * before each test. The other values model what real servers do, each legal or common in the wild.
 */
export interface FakeDcrBehaviour {
  /** Bearer tokens accepted on POST /register; empty = open registration. */
  acceptedInitialTokens: Set<string>;
  /** Fields left out of the registration answer. */
  omitOnRegister: Set<ServerOwnedField>;
  /** Management calls after which the RAT is replaced (Keycloak replaces it on every call). */
  rotateRatOn: Set<'GET' | 'PUT'>;
  /**
   * What a PUT does to the secret: `renew` issues a new one when the PUT carries no client_secret
   * (rotation by update), `keep` never does, `always` issues a new one on every update even when
   * the current secret is sent (a real open-source server does this).
   */
  secretOnUpdate: 'renew' | 'keep' | 'always';
  /**
   * Curity-style: every GET issues a new secret. `false` is also the real server that answers the
   * same secret on every read, so `IDP_SECRET_ROTATION=read` rotates nothing there.
   */
  renewSecretOnRead: boolean;
  /**
   * A real server reads single-valued metadata back as arrays (`"token_endpoint_auth_method":
   * ["client_secret_basic"]`, `scope` split into its tokens). Updates are always checked the RFC 7591
   * way, so the same arrays sent back are refused with invalid_client_metadata.
   */
  arrayValuedMetadata: boolean;
  /** Status of a successful registration: RFC 7591 says 201; a real server answers 200. */
  registerStatus: 200 | 201;
  /** A real server turns `response_types: []` into `["code"]` on registration. */
  emptyResponseTypesBecomeCode: boolean;
  /**
   * How the token endpoint refuses a client: RFC 6749 section 5.2 JSON (`oauth`), or a real
   * server's bare 403 with an empty body for a wrong, unknown or deleted client.
   */
  tokenRefusal: 'oauth' | 'bare-403';
  /** A real server's token endpoint refuses a client credentials request without `scope`. */
  tokenScopeRequired: boolean;
  /**
   * A real server's DELETE only disables the client: it stays listed (disabled), the token
   * endpoint refuses it, and the dead registration access token gets 401 on a second DELETE.
   */
  deleteDisables: boolean;
  /**
   * Every Nth registration (0 = none) stores the client and then answers 500, as a real server did
   * under concurrent registrations.
   */
  failAfterStoringEvery: number;
  /** The bridge's own client credentials the token endpoint accepts, and the scope it requires. */
  tokenClient: { id: string; secret: string; scope: string; token: string };
  /** Which discovery documents exist. */
  discovery: { openid: boolean; oauth: boolean };
  /**
   * Where registration_client_uri points, in the registration answer and in RFC 7592 answers;
   * unset = this server's own registration endpoint. A misbehaving or compromised server points it
   * elsewhere (another host, a cloud metadata address).
   */
  clientUriBase: { register?: string; manage?: string };
  /** Overrides of the discovery document's fields (a foreign issuer or endpoint). */
  discoveryOverrides: Record<string, unknown>;
}

const defaults = (): FakeDcrBehaviour => ({
  acceptedInitialTokens: new Set(),
  omitOnRegister: new Set(),
  rotateRatOn: new Set(),
  secretOnUpdate: 'renew',
  renewSecretOnRead: false,
  arrayValuedMetadata: false,
  registerStatus: 201,
  emptyResponseTypesBecomeCode: false,
  tokenRefusal: 'oauth',
  tokenScopeRequired: false,
  deleteDisables: false,
  failAfterStoringEvery: 0,
  tokenClient: { id: 'bridge', secret: 'bridge-secret', scope: 'dcr', token: 'cc-token-1' },
  discovery: { openid: false, oauth: false },
  clientUriBase: {},
  discoveryOverrides: {},
});

// RFC 7591 section 2 metadata with one value each (the fake reads these back as arrays on demand).
const SINGLE_VALUED = [
  'client_name',
  'client_uri',
  'logo_uri',
  'tos_uri',
  'policy_uri',
  'jwks_uri',
  'software_id',
  'software_version',
  'token_endpoint_auth_method',
  'application_type',
  'scope',
];
// RFC 7592 section 2.2: an update must not carry these.
const READ_ONLY = [
  'registration_access_token',
  'registration_client_uri',
  'client_id_issued_at',
  'client_secret_expires_at',
];

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
  /** Handle the request as usual first (e.g. store the client), then answer this. */
  afterHandling: boolean;
}

/**
 * A minimal RFC 7591 registration / RFC 7592 management server with a token endpoint (for the
 * bridge's own client and for every registered client) and discovery, on 127.0.0.1. Tests adjust
 * `behaviour` and can force one answer with `answerOnce`.
 */
export class FakeDcrServer {
  behaviour = defaults();
  readonly clients = new Map<string, FakeClient>();
  private overrides: Override[] = [];
  private counter = 0;
  private registrations = 0;

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

  /** Ids of the clients that exist and are not disabled. */
  activeClients(): string[] {
    return [...this.clients].filter(([, client]) => !client.disabled).map(([id]) => id);
  }

  reset(): void {
    this.behaviour = defaults();
    this.clients.clear();
    this.overrides = [];
    this.registrations = 0;
    this.server.requests.length = 0;
  }

  /** The next request matching method and path gets this answer instead of the normal one. */
  answerOnce(method: string, path: RegExp, status: number, body?: unknown): void {
    this.overrides.push({ method, path, status, body, afterHandling: false });
  }

  /** The next request matching method and path is handled as usual, but answered with this. */
  answerOnceAfterHandling(method: string, path: RegExp, status: number, body?: unknown): void {
    this.overrides.push({ method, path, status, body, afterHandling: true });
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}-${randomBytes(6).toString('hex')}`;
  }

  private info(
    id: string,
    client: FakeClient,
    omit: ReadonlySet<string> = new Set(),
    uriBase = this.behaviour.clientUriBase.register,
  ): Record<string, unknown> {
    const full: Record<string, unknown> = {
      ...client.metadata,
      client_id: id,
      client_secret: client.secret,
      client_id_issued_at: 1_700_000_000,
      client_secret_expires_at: 0,
      registration_access_token: client.rat,
      registration_client_uri: `${uriBase ?? this.registrationEndpoint}/${id}`,
    };
    for (const field of omit) delete full[field];
    return full;
  }

  /** A management answer, with single-valued metadata as arrays when the behaviour says so. */
  private managedInfo(id: string, client: FakeClient): Record<string, unknown> {
    const info = this.info(id, client, new Set(), this.behaviour.clientUriBase.manage);
    if (!this.behaviour.arrayValuedMetadata) return info;
    for (const field of SINGLE_VALUED) {
      const value = info[field];
      if (typeof value === 'string') info[field] = field === 'scope' ? value.split(' ') : [value];
    }
    return info;
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
    const index = this.overrides.findIndex((o) => o.method === request.method && o.path.test(path));
    const override = index === -1 ? undefined : this.overrides.splice(index, 1)[0];
    if (override && !override.afterHandling) return override;
    const answer = this.handle(request, path);
    return override ?? answer;
  }

  private handle(request: RecordedRequest, path: string): Answer {
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
      ...this.behaviour.discoveryOverrides,
    };
    const { openid, oauth } = this.behaviour.discovery;
    if (path === '/.well-known/openid-configuration' && openid) return { status: 200, body: document };
    if (path === '/.well-known/oauth-authorization-server' && oauth) return { status: 200, body: document };
    return { status: 404, body: { error: 'not_found' } };
  }

  // RFC 6749 section 4.4, with client_secret_basic or client_secret_post.
  private token(request: RecordedRequest): Answer {
    const form = new URLSearchParams(request.body);
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [user, password] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decode)
      : [form.get('client_id') ?? undefined, form.get('client_secret') ?? undefined];
    const refused: Answer =
      this.behaviour.tokenRefusal === 'bare-403' ? { status: 403 } : { status: 401, body: { error: 'invalid_client' } };
    if (form.get('grant_type') !== 'client_credentials') {
      return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
    const requested = form.get('scope');
    if (this.behaviour.tokenScopeRequired && !requested) {
      return { status: 400, body: { error: 'invalid_request', error_description: 'scope is required' } };
    }
    const { id, secret, scope, token } = this.behaviour.tokenClient;
    if (user === id) {
      if (password !== secret) return refused;
      if (requested !== scope) return { status: 400, body: { error: 'invalid_scope' } };
      this.behaviour.acceptedInitialTokens.add(token);
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: 300 } };
    }
    const client = user === undefined ? undefined : this.clients.get(user);
    if (!client || client.disabled || password !== client.secret) return refused;
    const grants = client.metadata.grant_types;
    if (!Array.isArray(grants) || !grants.includes('client_credentials')) {
      return { status: 400, body: { error: 'unauthorized_client' } };
    }
    const allowed = new Set(String(client.metadata.scope ?? '').split(' '));
    if (requested?.split(' ').some((value) => !allowed.has(value))) {
      return { status: 400, body: { error: 'invalid_scope' } };
    }
    return {
      status: 200,
      body: { access_token: this.next('at'), token_type: 'Bearer', expires_in: 300, scope: requested ?? undefined },
    };
  }

  private register(request: RecordedRequest): Answer {
    const accepted = this.behaviour.acceptedInitialTokens;
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (accepted.size > 0 && (bearer === undefined || !accepted.has(bearer))) {
      return { status: 401, body: { error: 'invalid_token' } };
    }
    const metadata = JSON.parse(request.body) as Record<string, unknown>;
    const problem = redirectUriProblem(metadata);
    if (problem) return problem;
    const responseTypes = metadata.response_types;
    if (this.behaviour.emptyResponseTypesBecomeCode && Array.isArray(responseTypes) && responseTypes.length === 0) {
      metadata.response_types = ['code'];
    }
    const id = this.next('client');
    const client: FakeClient = { metadata, secret: this.next('secret'), rat: this.next('rat') };
    this.clients.set(id, client);
    this.registrations += 1;
    const every = this.behaviour.failAfterStoringEvery;
    if (every > 0 && this.registrations % every === 0) {
      return { status: 500, body: { error: 'server_error', error_description: 'transaction rolled back' } };
    }
    return { status: this.behaviour.registerStatus, body: this.info(id, client, this.behaviour.omitOnRegister) };
  }

  private manage(id: string, request: RecordedRequest): Answer {
    const client = this.clients.get(id);
    // RFC 7592 section 2: an unknown client or a wrong token are both 401.
    if (!client || client.disabled || request.headers.authorization !== `Bearer ${client.rat}`) {
      return { status: 401, body: { error: 'invalid_token' } };
    }
    if (request.method === 'DELETE') {
      if (this.behaviour.deleteDisables) client.disabled = true;
      else this.clients.delete(id);
      return { status: 204 };
    }
    if (request.method === 'GET') {
      if (this.behaviour.renewSecretOnRead) client.secret = this.next('secret');
      if (this.behaviour.rotateRatOn.has('GET')) client.rat = this.next('rat');
      return { status: 200, body: this.managedInfo(id, client) };
    }
    if (request.method === 'PUT') {
      const sent = JSON.parse(request.body) as Record<string, unknown>;
      const problem = updateProblem(id, sent, client) ?? redirectUriProblem(sent);
      if (problem) return problem;
      const { client_id: _id, client_secret: sentSecret, ...metadata } = sent;
      client.metadata = metadata;
      const { secretOnUpdate } = this.behaviour;
      if (secretOnUpdate === 'always' || (secretOnUpdate === 'renew' && sentSecret === undefined)) {
        client.secret = this.next('secret');
      }
      if (this.behaviour.rotateRatOn.has('PUT')) client.rat = this.next('rat');
      return { status: 200, body: this.managedInfo(id, client) };
    }
    return { status: 405, body: { error: 'method_not_allowed' } };
  }
}

const metadataError = (description: string): Answer => ({
  status: 400,
  body: { error: 'invalid_client_metadata', error_description: description },
});

// RFC 7592 section 2.2: the client's id, no read-only fields, the current secret if any, and
// RFC 7591 single values where the metadata has one value.
function updateProblem(id: string, sent: Record<string, unknown>, client: FakeClient): Answer | undefined {
  if (sent.client_id !== id) return metadataError('client_id does not match');
  const readOnly = READ_ONLY.find((field) => field in sent);
  if (readOnly) return metadataError(`${readOnly} must not be sent`);
  const array = SINGLE_VALUED.find((field) => Array.isArray(sent[field]));
  if (array) return metadataError(`${array} must be a string`);
  if (sent.client_secret !== undefined && sent.client_secret !== client.secret) {
    return metadataError('client_secret mismatch');
  }
  return undefined;
}

// OpenID Connect Dynamic Client Registration section 2, as oidc-provider applies it: a "web"
// client (the default application_type) may not use a native app's private-use URI scheme.
function redirectUriProblem(metadata: Record<string, unknown>): Answer | undefined {
  if (metadata.application_type === 'native') return undefined;
  const uris = Array.isArray(metadata.redirect_uris) ? metadata.redirect_uris : [];
  const custom = uris.find((uri) => typeof uri === 'string' && !/^https?:/.test(uri));
  if (custom === undefined) return undefined;
  return {
    status: 400,
    body: { error: 'invalid_redirect_uri', error_description: 'redirect_uris for web clients must use http(s)' },
  };
}
