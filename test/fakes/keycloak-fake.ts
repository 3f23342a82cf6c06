import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { type LoopbackServer, type RecordedRequest, startLoopbackServer } from '../unit/support/loopback-server';
import { type Answer, clientAuthentication, jsonObjectBody, sendAnswer } from './fake-http';

/**
 * Follows the Keycloak 26 Admin REST API (https://www.keycloak.org/docs-api/26.0.0/rest-api/index.html)
 * and the realm's OpenID Connect token endpoint
 * (https://www.keycloak.org/docs/26.0.0/securing_apps/index.html#_client_credentials_grant).
 */

/** The Keycloak endpoints the fake serves, for failure injection. */
export type KeycloakRoute = 'token' | 'create' | 'find' | 'update' | 'delete' | 'read-secret' | 'new-secret';

/**
 * An answer forced on the next call to a route: a status (with `afterHandling`, once the call was
 * carried out, as a server failing after storing), no answer at all, or a lost answer.
 */
export type KeycloakInjection =
  | { status: number; body?: unknown; headers?: Record<string, string>; afterHandling?: boolean }
  | 'hang'
  | 'drop-after-handling';

export interface KeycloakFakeBehaviour {
  /** The realm-management roles of the bridge's service account. */
  bridgeRoles: Set<'manage-clients' | 'view-clients'>;
  /** The bridge's client secret was regenerated at Keycloak: its token requests fail. */
  refuseBridgeCredentials: boolean;
}

interface StoredClient {
  representation: Record<string, unknown> & { id: string; clientId: string };
  secret: string;
  /** Created by the tests' setup, like realm-management, not through the admin API. */
  builtIn: boolean;
}

interface IssuedToken {
  clientId: string;
  expiresAt: number;
}

const defaults = (): KeycloakFakeBehaviour => ({
  bridgeRoles: new Set(['manage-clients']),
  refuseBridgeCredentials: false,
});

const TOKEN_LIFETIME_SECONDS = 300;
/** Keycloak's DEFAULT_SECRET_LENGTH: 32 random characters. */
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A loopback stand-in for one Keycloak realm: a service-account token endpoint that honours the
 * clients it holds, and the admin API's client resources with Keycloak's status codes and both of
 * its error shapes. It checks what the bridge sends (bearer token, roles, JSON bodies).
 */
export class KeycloakFake {
  readonly realm = 'konnect';
  behaviour = defaults();
  readonly bridgeClient = { id: 'dcr-bridge', secret: randomSecret() };
  private readonly clients = new Map<string, StoredClient>();
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly injections = new Map<KeycloakRoute, KeycloakInjection[]>();
  private readonly secrets: string[] = [this.bridgeClient.secret];

  private constructor(private readonly server: LoopbackServer) {
    server.handle((request, response) => this.route(request, response));
    // A realm's own clients, which manage-clients also reaches.
    this.addBuiltIn('realm-management', { bearerOnly: true });
    this.addBuiltIn('admin-cli', { publicClient: true });
    this.addBuiltIn(this.bridgeClient.id, { serviceAccountsEnabled: true }, this.bridgeClient.secret);
  }

  static async start(): Promise<KeycloakFake> {
    return new KeycloakFake(await startLoopbackServer());
  }

  /** The base URL with a path, as with `--http-relative-path=/auth` or a reverse proxy prefix. */
  get url(): string {
    return `${this.server.url}/auth`;
  }

  get tokenEndpoint(): string {
    return `${this.url}/realms/${this.realm}/protocol/openid-connect/token`;
  }

  get calls(): string[] {
    return this.server.requests.map((request) => `${request.method} ${request.url}`);
  }

  /** The clientIds of every create request received since the last reset, in order. */
  requestedClientIds(): unknown[] {
    const clients = `${new URL(this.url).pathname}/admin/realms/${this.realm}/clients`;
    return this.server.requests
      .filter((request) => request.method === 'POST' && request.url === clients)
      .map((request) => (JSON.parse(request.body) as { clientId?: unknown }).clientId);
  }

  inject(route: KeycloakRoute, ...answers: KeycloakInjection[]): void {
    this.injections.set(route, [...(this.injections.get(route) ?? []), ...answers]);
  }

  /** Forgets every token issued so far, as after a restart with new realm keys. */
  revokeTokens(): void {
    this.tokens.clear();
  }

  /** Clients created through the admin API and still there. */
  clientCount(): number {
    return [...this.clients.values()].filter((client) => !client.builtIn).length;
  }

  /** A client's representation by its public clientId (no secret), to read back what changed. */
  findClient(clientId: string): Record<string, unknown> | undefined {
    const client = this.byClientId(clientId);
    return client && structuredClone(client.representation);
  }

  /** An admin edits a client's attributes in the console (e.g. copies the bridge's mark onto it). */
  setAttributes(clientId: string, attributes: Record<string, string>): void {
    const client = this.byClientId(clientId);
    if (!client) throw new Error(`no client ${clientId}`);
    client.representation.attributes = { ...(client.representation.attributes as object), ...attributes };
  }

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

  private addBuiltIn(clientId: string, flags: Record<string, unknown>, secret = randomSecret()): void {
    const id = randomUUID();
    this.clients.set(id, { representation: { id, clientId, enabled: true, ...flags }, secret, builtIn: true });
  }

  private byClientId(clientId: string): StoredClient | undefined {
    return [...this.clients.values()].find((client) => client.representation.clientId === clientId);
  }

  private route(request: RecordedRequest, response: http.ServerResponse): void {
    const matched = this.match(request);
    if (!matched) {
      sendAnswer(response, { status: 404, body: { error: 'RESTEASY003210: Could not find resource' } });
      return;
    }
    const injection = this.injections.get(matched.route)?.shift();
    if (injection === 'hang') return;
    if (injection !== undefined && injection !== 'drop-after-handling' && !injection.afterHandling) {
      sendAnswer(response, injection);
      return;
    }
    const answer = matched.handle();
    if (injection !== undefined && injection !== 'drop-after-handling') {
      sendAnswer(response, injection);
      return;
    }
    if (injection === 'drop-after-handling') {
      response.socket?.destroy();
      return;
    }
    sendAnswer(response, answer);
  }

  private match(request: RecordedRequest): { route: KeycloakRoute; handle: () => Answer } | undefined {
    const url = new URL(request.url, this.server.url);
    const base = new URL(this.url).pathname;
    if (request.method === 'POST' && url.pathname === new URL(this.tokenEndpoint).pathname) {
      return { route: 'token', handle: () => this.token(request) };
    }
    const admin = new RegExp(`^${base}/admin/realms/([^/]+)/clients(?:/([^/]+)(/client-secret)?)?$`).exec(url.pathname);
    if (!admin) return undefined;
    const [, realm, id, secretPath] = admin;
    const guarded = (route: KeycloakRoute, handle: () => Answer) => ({
      route,
      handle: () => this.authorize(request, decodeURIComponent(realm ?? '')) ?? handle(),
    });
    if (!id) {
      if (request.method === 'POST') return guarded('create', () => this.create(request));
      if (request.method === 'GET') return guarded('find', () => this.find(url.searchParams.get('clientId')));
      return undefined;
    }
    const client = this.clients.get(decodeURIComponent(id));
    if (secretPath) {
      if (request.method === 'GET') return guarded('read-secret', () => this.readSecret(client));
      if (request.method === 'POST') return guarded('new-secret', () => this.regenerateSecret(client));
      return undefined;
    }
    if (request.method === 'GET') return guarded('find', () => (client ? ok(this.visible(client)) : notFound()));
    if (request.method === 'PUT') return guarded('update', () => this.update(client, request));
    if (request.method === 'DELETE') return guarded('delete', () => this.remove(client));
    return undefined;
  }

  // Client credentials grant: confidential client with service accounts enabled, secret by Basic
  // (RFC 6749 section 2.3.1 encoding) or in the form.
  private token(request: RecordedRequest): Answer {
    if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'Invalid request');
    }
    const form = new URLSearchParams(request.body);
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Unsupported grant_type');
    }
    const { id, secret } = clientAuthentication(request, form);
    const client = id === undefined ? undefined : this.byClientId(id);
    if (!client) return oauthError(401, 'invalid_client', 'Invalid client or Invalid client credentials');
    const refused = client.representation.clientId === this.bridgeClient.id && this.behaviour.refuseBridgeCredentials;
    if (refused || secret !== client.secret || client.representation.publicClient) {
      return oauthError(401, 'unauthorized_client', 'Invalid client or Invalid client credentials');
    }
    if (client.representation.serviceAccountsEnabled !== true) {
      return oauthError(401, 'unauthorized_client', 'Client not enabled to retrieve service account');
    }
    const token = randomBytes(24).toString('base64url');
    this.secrets.push(token);
    this.tokens.set(token, {
      clientId: client.representation.clientId,
      expiresAt: Date.now() + TOKEN_LIFETIME_SECONDS * 1000,
    });
    return {
      status: 200,
      body: {
        access_token: token,
        expires_in: TOKEN_LIFETIME_SECONDS,
        refresh_expires_in: 0,
        token_type: 'Bearer',
        'not-before-policy': 0,
        scope: 'profile email',
      },
    };
  }

  /** Bearer token of a service account with the realm-management role the call needs. */
  private authorize(request: RecordedRequest, realm: string): Answer | undefined {
    const value = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = value === undefined ? undefined : this.tokens.get(value);
    if (!token || token.expiresAt <= Date.now()) return { status: 401, body: { error: 'HTTP 401 Unauthorized' } };
    if (realm !== this.realm) return { status: 404, body: { error: 'Realm not found.' } };
    const roles = token.clientId === this.bridgeClient.id ? this.behaviour.bridgeRoles : new Set<string>();
    const needs = request.method === 'GET' ? ['view-clients', 'manage-clients'] : ['manage-clients'];
    if (!needs.some((role) => roles.has(role as 'manage-clients'))) {
      return { status: 403, body: { error: 'HTTP 403 Forbidden' } };
    }
    return undefined;
  }

  // POST /admin/realms/{realm}/clients → 201 + Location; 409 {"errorMessage"} for a taken clientId;
  // 400 {"error","error_description"} when the representation fails validation.
  private create(request: RecordedRequest): Answer {
    const body = jsonObjectBody(request);
    if (!body) return { status: 415, body: { error: 'HTTP 415 Unsupported Media Type' } };
    if (typeof body.clientId !== 'string' || body.clientId === '') {
      return oauthError(400, 'invalid_input', 'Client ID is required');
    }
    if (this.byClientId(body.clientId))
      return { status: 409, body: { errorMessage: `Client ${body.clientId} already exists` } };
    const invalid = validationProblem(body);
    if (invalid) return invalid;
    const id = randomUUID();
    const { secret: chosen, ...representation } = body;
    const secret = typeof chosen === 'string' ? chosen : randomSecret();
    if (typeof chosen !== 'string') this.secrets.push(secret);
    // Keycloak turns the standard flow on when the representation leaves it out.
    const stored = { standardFlowEnabled: true, ...representation, id, clientId: body.clientId };
    this.clients.set(id, { representation: stored, secret, builtIn: false });
    return { status: 201, headers: { location: `${this.url}/admin/realms/${this.realm}/clients/${id}` } };
  }

  // GET /clients?clientId= is an exact match and answers a list (empty when none).
  private find(clientId: string | null): Answer {
    const all = [...this.clients.values()];
    const matching = clientId === null ? all : all.filter((client) => client.representation.clientId === clientId);
    return ok(matching.map((client) => this.visible(client)));
  }

  // PUT replaces the fields it carries; a secret in it becomes the client's secret.
  private update(client: StoredClient | undefined, request: RecordedRequest): Answer {
    if (!client) return notFound();
    const body = jsonObjectBody(request);
    if (!body) return { status: 415, body: { error: 'HTTP 415 Unsupported Media Type' } };
    if (body.id !== undefined && body.id !== client.representation.id)
      return oauthError(400, 'invalid_input', 'Invalid id');
    const invalid = validationProblem(body);
    if (invalid) return invalid;
    const { secret, ...fields } = body;
    if (typeof secret === 'string') client.secret = secret;
    Object.assign(client.representation, fields);
    return { status: 204 };
  }

  private remove(client: StoredClient | undefined): Answer {
    if (!client) return notFound();
    this.clients.delete(client.representation.id);
    return { status: 204 };
  }

  // GET/POST /clients/{id}/client-secret answer a CredentialRepresentation; POST issues a new one
  // and the old one stops working (no secret rotation policy in this realm).
  private readSecret(client: StoredClient | undefined): Answer {
    return client ? ok({ type: 'secret', value: client.secret }) : notFound();
  }

  private regenerateSecret(client: StoredClient | undefined): Answer {
    if (!client) return notFound();
    client.secret = randomSecret();
    this.secrets.push(client.secret);
    return ok({ type: 'secret', value: client.secret });
  }

  /** Admins see a confidential client's secret in its representation. */
  private visible(client: StoredClient): Record<string, unknown> {
    const representation = structuredClone(client.representation);
    return client.representation.publicClient || client.representation.bearerOnly
      ? representation
      : { ...representation, secret: client.secret };
  }
}

/**
 * Name and description live in 255-character columns, which Keycloak's admin API v2 validates
 * (`@Size(max=255)`, https://github.com/keycloak/keycloak/pull/48935).
 */
const TEXT_MAX_LENGTH = 255;

/** Keycloak's client validation of redirect URIs; a wildcard is only allowed at the path's end. */
function validationProblem(body: Record<string, unknown>): Answer | undefined {
  for (const field of ['name', 'description']) {
    const value = body[field];
    if (typeof value === 'string' && value.length > TEXT_MAX_LENGTH) {
      return oauthError(400, 'invalid_input', `${field}: size must be between 0 and ${TEXT_MAX_LENGTH}`);
    }
  }
  const uris = body.redirectUris ?? [];
  if (!Array.isArray(uris)) return oauthError(400, 'invalid_input', 'Invalid redirect uris');
  for (const uri of uris) {
    if (typeof uri !== 'string' || !URL.canParse(uri) || new URL(uri).hostname.includes('*')) {
      return oauthError(400, 'invalid_input', 'A redirect URI is not a valid URI');
    }
    if (new URL(uri).hash) return oauthError(400, 'invalid_input', 'Redirect URIs must not contain an URI fragment');
  }
  return undefined;
}

function randomSecret(): string {
  return [...randomBytes(32)].map((byte) => SECRET_ALPHABET[byte % SECRET_ALPHABET.length]).join('');
}

const ok = (body: unknown): Answer => ({ status: 200, body });
const notFound = (): Answer => ({ status: 404, body: { error: 'Could not find client' } });
const oauthError = (status: number, error: string, description: string): Answer => ({
  status,
  body: { error, error_description: description },
});
