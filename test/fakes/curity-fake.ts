import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { type LoopbackServer, type RecordedRequest, startLoopbackServer } from '../unit/support/loopback-server';
import { type Answer, clientAuthentication, jsonObjectBody, sendAnswer } from './fake-http';

/** The Curity endpoints the fake serves, for failure injection. */
export type CurityRoute = 'discovery' | 'token' | 'register' | 'read' | 'update' | 'delete';

/** An answer forced on the next call to a route: a status, no answer at all, or a lost answer. */
export type CurityInjection =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | 'hang'
  | 'drop-after-handling';

export interface CurityFakeBehaviour {
  /**
   * What a management GET/PUT made with a "dcrm" token does to the secret. Curity documents a new
   * secret (and registration access token) on every GET or PUT made with the registration access
   * token (https://curity.io/resources/learn/dynamic-client-registration-management/) and says
   * nothing for dcrm: `true` assumes the same, `false` the other possibility.
   */
  dcrmRotatesSecret: boolean;
  /** Status of a dcrm call about an unknown client, which Curity does not document. */
  unknownClientWithDcrm: 401 | 404;
  /** Scopes the bridge's own client may obtain. */
  bridgeScopes: Set<string>;
  /** The bridge's client secret was changed at Curity: its token requests fail. */
  refuseBridgeCredentials: boolean;
  /** Registers the client but leaves client_secret out of the answer. */
  omitSecretOnRegister: boolean;
  /**
   * Drops non-standard registration parameters. Curity documents storing them as custom client
   * properties; a profile's DCR pre-processing procedure could still remove them.
   */
  dropCustomProperties: boolean;
}

interface DynamicClient {
  metadata: Record<string, unknown>;
  secret: string;
  rat: string;
  issuedAt: number;
}

interface IssuedToken {
  clientId: string;
  scopes: Set<string>;
  expiresAt: number;
  /** Curity's dcr token registers one client only. */
  oneTime: boolean;
  used: boolean;
}

const defaults = (): CurityFakeBehaviour => ({
  dcrmRotatesSecret: true,
  unknownClientWithDcrm: 404,
  bridgeScopes: new Set(['dcr', 'dcrm']),
  refuseBridgeCredentials: false,
  omitSecretOnRegister: false,
  dropCustomProperties: false,
});

const TOKEN_LIFETIME_SECONDS = 300;
// RFC 7592 section 2.2: fields the server owns, which an update must not carry.
const SERVER_OWNED = [
  'registration_access_token',
  'registration_client_uri',
  'client_secret_expires_at',
  'client_id_issued_at',
];
// The RFC 7591 parameters the bridge sends; anything else is a custom client property to Curity.
const STANDARD_METADATA = new Set([
  'client_name',
  'grant_types',
  'response_types',
  'token_endpoint_auth_method',
  'redirect_uris',
  'application_type',
  'scope',
]);
const SUPPORTED_GRANTS = new Set(['client_credentials', 'authorization_code', 'refresh_token', 'implicit']);

/**
 * A loopback stand-in for the Curity Identity Server's token service, following Curity's
 * documented DCR behaviour: a one-time token with scope "dcr" to register, RFC 7591 answers and
 * errors, RFC 7592 management at `<registration endpoint>/<client_id>` with the client's
 * registration access token or a "dcrm" token, and a token endpoint that honours the clients it
 * holds. It checks what the bridge sends and answers Curity's error when a request is wrong.
 */
export class CurityFake {
  behaviour = defaults();
  readonly bridgeClient = { id: 'konnect-dcr-bridge', secret: `bridge-secret-${randomBytes(12).toString('hex')}` };
  private readonly clients = new Map<string, DynamicClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly injections = new Map<CurityRoute, CurityInjection[]>();
  private readonly secrets: string[] = [];

  private constructor(private readonly server: LoopbackServer) {
    this.secrets.push(this.bridgeClient.secret);
    server.handle((request, response) => this.route(request, response));
  }

  static async start(): Promise<CurityFake> {
    return new CurityFake(await startLoopbackServer());
  }

  get url(): string {
    return this.server.url;
  }

  /** Curity serves each profile under its own path; the anonymous endpoint is the issuer. */
  get issuer(): string {
    return `${this.server.url}/oauth/v2/oauth-anonymous`;
  }

  get tokenEndpoint(): string {
    return `${this.server.url}/oauth/v2/oauth-token`;
  }

  get registrationEndpoint(): string {
    return `${this.server.url}/token-service/oauth-registration`;
  }

  /** "METHOD /path" of every request received. */
  get calls(): string[] {
    return this.server.requests.map((request) => `${request.method} ${request.url}`);
  }

  /** Scopes of every token request the bridge's client made since the last reset. */
  requestedScopes(): string[] {
    return this.server.requests
      .filter((request) => request.url === new URL(this.tokenEndpoint).pathname)
      .filter((request) => clientAuthentication(request, new URLSearchParams(request.body)).id === this.bridgeClient.id)
      .map((request) => new URLSearchParams(request.body).get('scope') ?? '');
  }

  /** The next calls to `route` get these answers, in order, instead of the normal one. */
  inject(route: CurityRoute, ...answers: CurityInjection[]): void {
    this.injections.set(route, [...(this.injections.get(route) ?? []), ...answers]);
  }

  /** Forgets every token issued so far, as after a restart or a revocation. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  clientCount(): number {
    return this.clients.size;
  }

  /** A dynamic client another party registered (no bridge mark); returns its client_id and secret. */
  addForeignClient(metadata: Record<string, unknown> = {}): { clientId: string; secret: string } {
    const clientId = randomUUID();
    const client: DynamicClient = {
      metadata: {
        client_name: 'HR portal',
        grant_types: ['client_credentials'],
        scope: 'read',
        ...metadata,
        client_id: clientId,
      },
      secret: this.newSecret(),
      rat: this.newSecret(),
      issuedAt: Math.floor(Date.now() / 1000),
    };
    this.clients.set(clientId, client);
    return { clientId, secret: client.secret };
  }

  /** Removes a client behind the bridge's back, as an administrator in Curity's console would. */
  removeClient(clientId: string): void {
    this.clients.delete(clientId);
  }

  /** "METHOD /path" of every management request (RFC 7592) about this client since the last reset. */
  managementCallsFor(clientId: string): string[] {
    const path = `${new URL(this.registrationEndpoint).pathname}/${encodeURIComponent(clientId)}`;
    return this.calls.filter((call) => call.split(' ')[1]?.split('?')[0] === path);
  }

  /** The client's metadata as Curity holds it (no secret), to read back what the bridge changed. */
  findClient(clientId: string): Record<string, unknown> | undefined {
    const client = this.clients.get(clientId);
    return client && structuredClone(client.metadata);
  }

  /** Every secret value issued (client secrets, tokens), to search logs and answers for leaks. */
  issuedSecrets(): string[] {
    return [...this.secrets];
  }

  reset(): void {
    this.behaviour = defaults();
    this.injections.clear();
    this.server.requests.length = 0;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private route(request: RecordedRequest, response: http.ServerResponse): void {
    const path = request.url.split('?')[0] ?? '';
    const matched = this.match(request.method, path);
    if (!matched) {
      sendAnswer(response, { status: 404, body: { error: 'not_found' } });
      return;
    }
    const injection = this.injections.get(matched.route)?.shift();
    if (injection === 'hang') return;
    if (injection !== undefined && injection !== 'drop-after-handling') {
      sendAnswer(response, injection);
      return;
    }
    const answer = matched.handle(request);
    if (injection === 'drop-after-handling') {
      response.socket?.destroy();
      return;
    }
    sendAnswer(response, answer);
  }

  private match(
    method: string,
    path: string,
  ): { route: CurityRoute; handle: (r: RecordedRequest) => Answer } | undefined {
    const issuerPath = new URL(this.issuer).pathname;
    const registrationPath = new URL(this.registrationEndpoint).pathname;
    if (method === 'GET' && path === `${issuerPath}/.well-known/openid-configuration`) {
      return { route: 'discovery', handle: () => this.discovery() };
    }
    if (method === 'POST' && path === new URL(this.tokenEndpoint).pathname) {
      return { route: 'token', handle: (r) => this.token(r) };
    }
    if (method === 'POST' && path === registrationPath) return { route: 'register', handle: (r) => this.register(r) };
    const managed = new RegExp(`^${registrationPath}/([^/]+)$`).exec(path)?.[1];
    if (!managed) return undefined;
    const clientId = decodeURIComponent(managed);
    if (method === 'GET') return { route: 'read', handle: (r) => this.manage(clientId, r) };
    if (method === 'PUT') return { route: 'update', handle: (r) => this.manage(clientId, r) };
    if (method === 'DELETE') return { route: 'delete', handle: (r) => this.manage(clientId, r) };
    return undefined;
  }

  // OpenID Connect Discovery 1.0; Curity advertises its DCR endpoint there when DCR is enabled
  // (https://curity.io/resources/learn/openid-connect-understanding-dcr/).
  private discovery(): Answer {
    return {
      status: 200,
      body: {
        issuer: this.issuer,
        token_endpoint: this.tokenEndpoint,
        registration_endpoint: this.registrationEndpoint,
        grant_types_supported: [...SUPPORTED_GRANTS],
      },
    };
  }

  // RFC 6749 sections 4.4 and 5; Curity obtains the "dcr" and "dcrm" tokens by client credentials
  // (https://curity.io/resources/learn/using-dynamic-client-registration/).
  private token(request: RecordedRequest): Answer {
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The token request must be form-encoded');
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type');
    const { id, secret } = clientAuthentication(request, form);
    const requested = new Set((form.get('scope') ?? '').split(' ').filter(Boolean));
    const bridgeAccepted = !this.behaviour.refuseBridgeCredentials && secret === this.bridgeClient.secret;
    if (id === this.bridgeClient.id && bridgeAccepted) {
      // Curity leaves out the scopes a client may not have instead of refusing
      // (https://curity.io/resources/learn/using-dynamic-client-registration/, "DCR Scope").
      const granted = new Set([...requested].filter((scope) => this.behaviour.bridgeScopes.has(scope)));
      return this.issueToken(id, granted, granted.has('dcr'));
    }
    const client = id === undefined ? undefined : this.clients.get(id);
    // RFC 6749 section 5.2: a failed client authentication is 401 invalid_client.
    if (!client || secret !== client.secret) return oauthError(401, 'invalid_client', 'Client authentication failed');
    if (!(client.metadata.grant_types as string[]).includes('client_credentials')) {
      return oauthError(400, 'unauthorized_client');
    }
    const allowed = new Set(String(client.metadata.scope ?? '').split(' '));
    return this.issueToken(id as string, new Set([...requested].filter((scope) => allowed.has(scope))), false);
  }

  private issueToken(clientId: string, scopes: Set<string>, oneTime: boolean): Answer {
    const token = `at-${randomBytes(16).toString('hex')}`;
    this.secrets.push(token);
    this.tokens.set(token, {
      clientId,
      scopes,
      oneTime,
      used: false,
      expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
    });
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'bearer',
        expires_in: TOKEN_LIFETIME_SECONDS,
        scope: [...scopes].join(' '),
      },
    };
  }

  // RFC 7591 section 3 with the one-time "dcr" token as initial access token
  // (https://curity.io/resources/learn/using-dynamic-client-registration/) and Curity's
  // non-templatized parameters (https://curity.io/docs/identity-server/profiles/token-profile/clients/dcr/dcr-api).
  private register(request: RecordedRequest): Answer {
    const token = this.bearer(request);
    // RFC 6750 section 3.1: a missing, unknown, expired or spent token is invalid_token.
    if (!token || token.used) return bearerError(401, 'invalid_token');
    if (!token.scopes.has('dcr')) return bearerError(403, 'insufficient_scope');
    token.used = true;
    const metadata = jsonObjectBody(request);
    if (!metadata) return oauthError(400, 'invalid_client_metadata', 'The body must be a JSON object');
    const problem = metadataProblem(metadata);
    if (problem) return problem;
    const clientId = randomUUID();
    const kept = this.behaviour.dropCustomProperties
      ? Object.fromEntries(Object.entries(metadata).filter(([key]) => STANDARD_METADATA.has(key)))
      : metadata;
    const client: DynamicClient = {
      metadata: { ...kept, client_id: clientId },
      secret: this.newSecret(),
      rat: this.newSecret(),
      issuedAt: Math.floor(Date.now() / 1000),
    };
    this.clients.set(clientId, client);
    const information = this.information(clientId, client, true);
    if (this.behaviour.omitSecretOnRegister) delete information.client_secret;
    return { status: 201, body: information };
  }

  // RFC 7592 section 2 at <registration endpoint>/<client_id>
  // (https://curity.io/resources/learn/dynamic-client-registration-management/).
  private manage(clientId: string, request: RecordedRequest): Answer {
    const client = this.clients.get(clientId);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const byRat = client !== undefined && bearer === client.rat;
    const token = byRat ? undefined : this.bearer(request);
    if (!byRat) {
      // RFC 7592 section 2: a wrong registration access token is 401; a token without "dcrm" may
      // not manage other clients.
      if (!token) return bearerError(401, 'invalid_token');
      if (!token.scopes.has('dcrm')) return bearerError(403, 'insufficient_scope');
      if (!client) {
        return this.behaviour.unknownClientWithDcrm === 404
          ? { status: 404, body: { error: 'not_found' } }
          : bearerError(401, 'invalid_token');
      }
    }
    if (!client) return bearerError(401, 'invalid_token');
    if (request.method === 'DELETE') {
      this.clients.delete(clientId);
      return { status: 204 };
    }
    if (request.method === 'PUT') {
      const problem = this.updateProblem(clientId, client, request);
      if (problem) return problem;
    }
    // Curity rotates the registration access token and the client secret on every GET or PUT.
    const rotates = byRat || this.behaviour.dcrmRotatesSecret;
    if (rotates) {
      client.secret = this.newSecret();
      client.rat = this.newSecret();
    }
    // Secrets are stored hashed: only a secret issued just now can be shown.
    return { status: 200, body: this.information(clientId, client, rotates) };
  }

  // RFC 7592 section 2.2: the full metadata, with client_id, no server-owned fields, and a
  // client_secret (if sent) equal to the current one.
  private updateProblem(clientId: string, client: DynamicClient, request: RecordedRequest): Answer | undefined {
    const metadata = jsonObjectBody(request);
    if (!metadata) return oauthError(400, 'invalid_client_metadata', 'The body must be a JSON object');
    if (metadata.client_id !== clientId) return oauthError(400, 'invalid_client_metadata', 'client_id does not match');
    const owned = SERVER_OWNED.find((field) => field in metadata);
    if (owned) return oauthError(400, 'invalid_client_metadata', `${owned} must not be sent`);
    if ('client_secret' in metadata && metadata.client_secret !== client.secret) {
      return oauthError(400, 'invalid_client_metadata', 'client_secret does not match');
    }
    const problem = metadataProblem(metadata);
    if (problem) return problem;
    const { client_secret: _secret, ...rest } = metadata;
    client.metadata = { ...rest, client_id: clientId };
    return undefined;
  }

  private information(clientId: string, client: DynamicClient, withSecrets: boolean): Record<string, unknown> {
    return {
      ...client.metadata,
      client_id: clientId,
      client_id_issued_at: client.issuedAt,
      client_secret_expires_at: 0,
      registration_client_uri: `${this.registrationEndpoint}/${clientId}`,
      ...(withSecrets && {
        client_secret: client.secret,
        registration_access_token: client.rat,
        registration_access_token_expires_in: 31_536_000,
      }),
    };
  }

  private bearer(request: RecordedRequest): IssuedToken | undefined {
    const value = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = value === undefined ? undefined : this.tokens.get(value);
    return token && token.expiresAt > Date.now() ? token : undefined;
  }

  private newSecret(): string {
    const secret = randomBytes(24).toString('base64url');
    this.secrets.push(secret);
    return secret;
  }
}

/** RFC 7591 section 2 metadata checks Curity applies; wildcard hosts are refused. */
function metadataProblem(metadata: Record<string, unknown>): Answer | undefined {
  const grants = metadata.grant_types;
  if (!Array.isArray(grants) || grants.some((grant) => !SUPPORTED_GRANTS.has(grant))) {
    return oauthError(400, 'invalid_client_metadata', 'grant_types is missing or has an unsupported value');
  }
  const uris = metadata.redirect_uris ?? [];
  if (!Array.isArray(uris)) return oauthError(400, 'invalid_redirect_uri', 'redirect_uris must be an array');
  for (const uri of uris) {
    if (typeof uri !== 'string' || !URL.canParse(uri) || new URL(uri).hash || new URL(uri).hostname.includes('*')) {
      return oauthError(400, 'invalid_redirect_uri', `The redirect URI ${String(uri)} is not allowed`);
    }
  }
  if (grants.includes('authorization_code') && uris.length === 0) {
    return oauthError(400, 'invalid_redirect_uri', 'The code flow needs a redirect URI');
  }
  return undefined;
}

const oauthError = (status: number, error: string, description?: string): Answer => ({
  status,
  body: { error, ...(description && { error_description: description }) },
});

const bearerError = (status: number, error: string): Answer => ({
  status,
  body: { error },
  headers: { 'www-authenticate': `Bearer error="${error}"` },
});
