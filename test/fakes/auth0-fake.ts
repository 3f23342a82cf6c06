import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Answer,
  acceptsSecret,
  clientMissing,
  credentialsOf,
  formOf,
  invalidToken,
  managementError,
  oauthError,
  send,
  view,
} from './auth0-fake-answers';
import { clientPayloadProblem } from './auth0-fake-validation';

/**
 * A loopback stand-in for one Auth0 tenant: the Authentication API token endpoint and the parts of
 * the Management API v2 the bridge uses, answering as Auth0 documents (paths, bearer tokens and
 * permissions, status codes, `{statusCode, error, message, errorCode}` bodies, rate-limit headers).
 * It checks what it is sent, so a wrong request fails the test, and it can fail on demand.
 */

export interface FakeAuth0Client {
  client_id: string;
  client_secret: string;
  /** Secret rotation still propagating: Auth0 keeps accepting this one meanwhile. */
  propagating_from?: string;
  name: string;
  description?: string;
  app_type?: string;
  grant_types: string[];
  callbacks: string[];
  token_endpoint_auth_method: string;
  client_metadata: Record<string, string>;
}

export interface FakeAuth0Grant {
  id: string;
  client_id: string;
  audience: string;
  scope: string[];
}

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type InjectedAnswer =
  /** Answered instead; with `afterEffect` the request is carried out first (its answer is lost). */
  | { status: number; body?: unknown; headers?: Record<string, string>; afterEffect?: boolean }
  /** Never answers (the bridge's deadline must end it). */
  | 'hang'
  /** Drops the connection without an answer. */
  | 'reset';

interface Injection {
  method: string;
  path: RegExp;
  answer: InjectedAnswer;
}

/** The Management API permissions each route needs (https://auth0.com/docs/api/management/v2). */
export const BRIDGE_PERMISSIONS = [
  'create:clients',
  'read:clients',
  'update:clients',
  'delete:clients',
  'update:client_keys',
  'create:client_grants',
  'read:client_grants',
  'delete:client_grants',
];

const random = (bytes: number) => randomBytes(bytes).toString('base64url');

export class FakeAuth0 {
  /** Applications created through the Management API during the test. */
  readonly clients = new Map<string, FakeAuth0Client>();
  /**
   * Applications the tenant held before: the bridge's own Machine-to-Machine application and any a
   * test adds. The Management API reaches them like any other (Auth0 protects none), so only the
   * bridge itself can keep them safe.
   */
  readonly tenantApps = new Map<string, FakeAuth0Client>();
  readonly grants = new Map<string, FakeAuth0Grant>();
  /** API identifiers (resource servers) of the tenant besides the Management API. */
  readonly apis = new Set<string>();
  private readonly bridgeApp = tenantApp({ name: 'Konnect DCR bridge', client_metadata: {} });
  private readonly bridgeSecret = this.bridgeApp.client_secret;
  /** The bridge's own Machine-to-Machine application and the Management API permissions it holds. */
  readonly bridge = bridgeView(this.bridgeApp);
  readonly requests: RecordedRequest[] = [];
  /** Every secret and token the fake handed out, to prove none reaches a log. */
  readonly issued: string[] = [];
  /** `immediate`, or `delayed`: after a rotation the old secret works and the new one not, until propagateSecrets(). */
  secretPropagation: 'immediate' | 'delayed' = 'immediate';
  /** Lifetime of issued tokens (Management API tokens are valid 24 h). */
  tokenLifetimeSeconds = 86_400;
  /** The next this many client searches see no client yet (Auth0's search is eventually consistent). */
  laggingSearches = 0;

  private readonly managementTokens = new Map<string, Set<string>>();
  private injections: Injection[] = [];
  private readonly hanging = new Set<http.ServerResponse>();
  private port = 0;

  private constructor(private readonly server: http.Server) {
    this.tenantApps.set(this.bridgeApp.client_id, this.bridgeApp);
  }

  /** Another application of the tenant, which the bridge did not create (no mark in client_metadata). */
  addTenantApp(fields: Partial<FakeAuth0Client> = {}): FakeAuth0Client {
    const app = tenantApp(fields);
    this.tenantApps.set(app.client_id, app);
    this.issued.push(app.client_secret);
    return app;
  }

  static async start(apis: string[] = []): Promise<FakeAuth0> {
    const fake = new FakeAuth0(http.createServer());
    for (const api of apis) fake.apis.add(api);
    fake.server.on('request', (req, res) => fake.receive(req, res));
    await fake.listen(0);
    return fake;
  }

  /** The tenant's base URL, like https://acme.eu.auth0.com. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenEndpoint(): string {
    return `${this.url}/oauth/token`;
  }

  /** The Management API identifier, `https://{tenant}/api/v2/`. */
  get managementAudience(): string {
    return `${this.url}/api/v2/`;
  }

  /** "METHOD /path" lines, for compact assertions. */
  get calls(): string[] {
    return this.requests.map((request) => `${request.method} ${request.url.split('?')[0]}`);
  }

  /** Successful and refused token requests made with the bridge's own credentials. */
  bridgeTokenRequests(): number {
    return this.requests.filter(
      (request) => request.url === '/oauth/token' && credentialsOf(request).clientId === this.bridge.clientId,
    ).length;
  }

  /** The next request matching method and path gets this answer instead of the normal one. */
  failNext(method: string, path: RegExp, answer: InjectedAnswer): void {
    this.injections.push({ method, path, answer });
  }

  /** Auth0's 429 (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy): reset in epoch seconds. */
  static rateLimited(resetInSeconds: number): InjectedAnswer {
    return {
      status: 429,
      body: {
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Global limit has been reached',
        errorCode: 'too_many_requests',
      },
      headers: {
        'x-ratelimit-limit': '50',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
      },
    };
  }

  /** Invalidates every Management API token issued so far (as if revoked or expired early). */
  revokeManagementTokens(): void {
    this.managementTokens.clear();
  }

  /** The admin rotated the bridge's secret in Auth0 without telling the bridge. */
  rotateBridgeSecret(): void {
    this.bridge.clientSecret = random(48);
  }

  /** Ends the propagation window of every rotated secret. */
  propagateSecrets(): void {
    for (const client of this.clients.values()) client.propagating_from = undefined;
  }

  /** Stops listening: new connections are refused until online(). */
  async offline(): Promise<void> {
    this.dropHanging();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  async online(): Promise<void> {
    await this.listen(this.port);
  }

  reset(): void {
    this.clients.clear();
    this.tenantApps.clear();
    this.tenantApps.set(this.bridgeApp.client_id, this.bridgeApp);
    this.bridgeApp.client_secret = this.bridgeSecret;
    this.grants.clear();
    this.requests.length = 0;
    this.injections = [];
    this.secretPropagation = 'immediate';
    this.laggingSearches = 0;
    this.bridge.permissions = new Set(BRIDGE_PERMISSIONS);
  }

  async close(): Promise<void> {
    this.dropHanging();
    if (!this.server.listening) return;
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  private dropHanging(): void {
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
  }

  private receive(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      const path = request.url.split('?')[0] ?? '';
      const injected = this.injections.findIndex((i) => i.method === request.method && i.path.test(path));
      if (injected !== -1) {
        const [{ answer }] = this.injections.splice(injected, 1) as [Injection];
        if (answer === 'hang') return void this.hanging.add(res);
        if (answer === 'reset') return void req.socket.destroy();
        if (answer.afterEffect) this.route(request, path);
        return send(res, answer);
      }
      send(res, this.route(request, path));
    });
  }

  private route(request: RecordedRequest, path: string): Answer {
    if (path === '/oauth/token') {
      return request.method === 'POST' ? this.token(request) : managementError(404, 'Not Found', 'Not Found');
    }
    if (!path.startsWith('/api/v2/')) return managementError(404, 'Not Found', 'Not Found');
    const answer = this.management(request, path.slice('/api/v2'.length));
    // https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy:
    // Management API answers carry the rate-limit headers.
    return { ...answer, headers: { 'x-ratelimit-limit': '50', 'x-ratelimit-remaining': '49', ...answer.headers } };
  }

  // ---------- Authentication API: POST /oauth/token ----------

  /**
   * Client credentials flow (https://auth0.com/docs/api/authentication#client-credentials-flow and
   * https://auth0.com/docs/secure/tokens/access-tokens/management-api-access-tokens/get-management-api-access-tokens-for-production):
   * form or JSON body, credentials in the body or as HTTP Basic, `audience` names the API.
   */
  private token(request: RecordedRequest): Answer {
    const form = formOf(request);
    if (!form)
      return oauthError(
        400,
        'invalid_request',
        'Content-Type must be application/x-www-form-urlencoded or application/json',
      );
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
    }
    const { clientId, clientSecret } = credentialsOf(request);
    // Observed Auth0 answer for a wrong client id or secret (e.g. https://github.com/auth0/auth0.js/issues/317).
    const unauthorized = oauthError(401, 'access_denied', 'Unauthorized');
    const audience = form.get('audience');
    const client = clientId ? this.app(clientId) : undefined;
    if (!client || !acceptsSecret(client, clientSecret)) return unauthorized;
    if (client === this.bridgeApp) {
      if (audience !== this.managementAudience) return this.notAuthorizedFor(audience);
      return this.issueToken([...this.bridge.permissions], true);
    }
    if (!client.grant_types.includes('client_credentials')) {
      return oauthError(403, 'unauthorized_client', "Grant type 'client_credentials' not allowed for the client.");
    }
    if (!audience || !this.hasApi(audience)) return this.notAuthorizedFor(audience);
    const grant = [...this.grants.values()].find((g) => g.client_id === client.client_id && g.audience === audience);
    if (!grant) {
      return oauthError(
        403,
        'access_denied',
        `Client is not authorized to access "${audience}". You need to create a "client-grant" associated to this API.`,
      );
    }
    // Scopes beyond the grant are refused: "Client has not been granted scopes: test"
    // (https://gist.github.com/gdestuynder/1017c2147b9e12259028a975a1c39e77).
    const requested = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const missing = requested.filter((scope) => !grant.scope.includes(scope));
    if (missing.length > 0) {
      return oauthError(403, 'access_denied', `Client has not been granted scopes: ${missing.join(' ')}`);
    }
    // A grant for the Management API makes this a management token like the bridge's own.
    return this.issueToken(requested.length > 0 ? requested : grant.scope, audience === this.managementAudience);
  }

  /** Any application of the tenant, whoever created it. */
  private app(id: string): FakeAuth0Client | undefined {
    return this.clients.get(id) ?? this.tenantApps.get(id);
  }

  /** The Management API is an API of the tenant too: Auth0 grants it to any application asked to. */
  private hasApi(audience: string): boolean {
    return audience === this.managementAudience || this.apis.has(audience);
  }

  private notAuthorizedFor(audience: string | null): Answer {
    if (!audience) {
      return oauthError(
        403,
        'access_denied',
        'No audience parameter was provided, and no default audience has been configured',
      );
    }
    if (audience !== this.managementAudience && !this.apis.has(audience)) {
      return oauthError(403, 'access_denied', `Service not found: ${audience}`);
    }
    return oauthError(403, 'access_denied', `Client is not authorized to access "${audience}".`);
  }

  private issueToken(scopes: string[], management: boolean): Answer {
    const token = `eyJ${random(48)}`;
    this.issued.push(token);
    if (management) this.managementTokens.set(token, new Set(scopes));
    return {
      status: 200,
      body: {
        access_token: token,
        token_type: 'Bearer',
        expires_in: this.tokenLifetimeSeconds,
        scope: scopes.join(' '),
      },
    };
  }

  // ---------- Management API v2 ----------

  private management(request: RecordedRequest, path: string): Answer {
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer) return managementError(401, 'Unauthorized', 'Missing authentication');
    const permissions = this.managementTokens.get(bearer);
    if (!permissions) return { ...managementError(401, 'Unauthorized', 'Invalid token'), body: invalidToken };
    const route = this.managementRoute(request.method, path);
    if (!route) return managementError(404, 'Not Found', 'Not Found');
    if (!permissions.has(route.permission)) {
      return managementError(
        403,
        'Forbidden',
        `Insufficient scope, expected any of: ${route.permission}`,
        'insufficient_scope',
      );
    }
    let body: unknown;
    if (request.body !== '') {
      if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
        return managementError(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body');
      }
      try {
        body = JSON.parse(request.body);
      } catch {
        return managementError(400, 'Bad Request', 'Invalid request payload JSON format', 'invalid_body');
      }
    }
    return route.handle(body, new URL(request.url, this.url).searchParams);
  }

  private managementRoute(
    method: string,
    path: string,
  ): { permission: string; handle: (body: unknown, query: URLSearchParams) => Answer } | undefined {
    const client = /^\/clients\/([^/]+)$/.exec(path);
    const rotate = /^\/clients\/([^/]+)\/rotate-secret$/.exec(path);
    const grant = /^\/client-grants\/([^/]+)$/.exec(path);
    const id = decodeURIComponent(client?.[1] ?? rotate?.[1] ?? grant?.[1] ?? '');
    if (path === '/clients' && method === 'POST')
      return { permission: 'create:clients', handle: (b) => this.createClient(b) };
    if (path === '/clients/search' && method === 'GET') {
      return { permission: 'read:clients', handle: (_, q) => this.searchClients(q) };
    }
    if (client && method === 'GET') return { permission: 'read:clients', handle: (_, q) => this.readClient(id, q) };
    if (client && method === 'PATCH') return { permission: 'update:clients', handle: (b) => this.updateClient(id, b) };
    if (client && method === 'DELETE') return { permission: 'delete:clients', handle: () => this.deleteClient(id) };
    if (rotate && method === 'POST') return { permission: 'update:client_keys', handle: () => this.rotateSecret(id) };
    if (path === '/client-grants' && method === 'POST') {
      return { permission: 'create:client_grants', handle: (b) => this.createGrant(b) };
    }
    if (path === '/client-grants' && method === 'GET') {
      return { permission: 'read:client_grants', handle: (_, q) => this.listGrants(q) };
    }
    if (grant && method === 'DELETE') return { permission: 'delete:client_grants', handle: () => this.deleteGrant(id) };
    return undefined;
  }

  /** https://auth0.com/docs/api/management/v2/clients/post-clients: 201 with the client and its secret. */
  private createClient(body: unknown): Answer {
    const problem = clientPayloadProblem(body, { creating: true });
    if (problem) return managementError(400, 'Bad Request', problem, 'invalid_body');
    const fields = body as Record<string, unknown>;
    const client: FakeAuth0Client = {
      client_id: random(24),
      client_secret: random(48),
      name: fields.name as string,
      description: fields.description as string | undefined,
      app_type: fields.app_type as string | undefined,
      grant_types: (fields.grant_types as string[] | undefined) ?? [
        'authorization_code',
        'implicit',
        'refresh_token',
        'client_credentials',
      ],
      callbacks: (fields.callbacks as string[] | undefined) ?? [],
      token_endpoint_auth_method: (fields.token_endpoint_auth_method as string | undefined) ?? 'client_secret_post',
      client_metadata: (fields.client_metadata as Record<string, string> | undefined) ?? {},
    };
    this.clients.set(client.client_id, client);
    this.issued.push(client.client_secret);
    return { status: 201, body: view(client) };
  }

  /** https://auth0.com/docs/api/management/v2/clients/get-clients-by-id: `fields` and `include_fields` select. */
  private readClient(id: string, query: URLSearchParams): Answer {
    const client = this.app(id);
    if (!client) return clientMissing();
    return { status: 200, body: selectFields(view(client), query) };
  }

  /**
   * https://auth0.com/docs/api/management/v2/clients/get-clients-search: `{clients, next?}`; the
   * fake knows the one SCIM filter the bridge sends, `metadata.{key} eq "value"`. "Results may not
   * reflect recent updates immediately": see laggingSearches.
   */
  private searchClients(query: URLSearchParams): Answer {
    const filter = /^metadata\.([A-Za-z0-9_]+) eq "([^"]*)"$/.exec(query.get('q') ?? '');
    if (query.get('parser') !== 'scim' || !filter) {
      return managementError(400, 'Bad Request', 'Invalid filter expression', 'invalid_query_string');
    }
    if (this.laggingSearches > 0) {
      this.laggingSearches -= 1;
      return { status: 200, body: { clients: [] } };
    }
    const [, key = '', value] = filter;
    const found = [...this.clients.values(), ...this.tenantApps.values()].filter(
      (client) => client.client_metadata[key] === value,
    );
    return { status: 200, body: { clients: found.map((client) => selectFields(view(client), query)) } };
  }

  /** https://auth0.com/docs/api/management/v2/clients/patch-clients-by-id */
  private updateClient(id: string, body: unknown): Answer {
    const client = this.app(id);
    if (!client) return clientMissing();
    const problem = clientPayloadProblem(body, { creating: false, currentAppType: client.app_type });
    if (problem) return managementError(400, 'Bad Request', problem, 'invalid_body');
    Object.assign(client, body);
    return { status: 200, body: view(client) };
  }

  /**
   * https://auth0.com/docs/api/management/v2/clients/delete-clients-by-id: 204. The client's grants
   * go with it (a grant cannot outlive its client: tokens need the client).
   */
  private deleteClient(id: string): Answer {
    if (!this.clients.delete(id) && !this.tenantApps.delete(id)) return clientMissing();
    for (const [grantId, grant] of this.grants) if (grant.client_id === id) this.grants.delete(grantId);
    return { status: 204 };
  }

  /**
   * https://auth0.com/docs/api/management/v2/clients/post-rotate-secret: 200 with the new secret.
   * "New secrets may be delayed up to thirty seconds while rotating"
   * (https://auth0.com/docs/get-started/applications/rotate-client-secret).
   */
  private rotateSecret(id: string): Answer {
    const client = this.app(id);
    if (!client) return clientMissing();
    const previous = client.client_secret;
    client.client_secret = random(48);
    client.propagating_from = this.secretPropagation === 'delayed' ? previous : undefined;
    this.issued.push(client.client_secret);
    return { status: 200, body: view(client) };
  }

  /** https://auth0.com/docs/api/management/v2/client-grants/post-client-grants */
  private createGrant(body: unknown): Answer {
    const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const { client_id: clientId, audience, scope } = fields;
    const unknown = Object.keys(fields).filter((key) => !['client_id', 'audience', 'scope'].includes(key));
    if (unknown.length > 0) {
      return managementError(
        400,
        'Bad Request',
        `Payload validation error: 'Additional properties not allowed: ${unknown.join(',')}'.`,
        'invalid_body',
      );
    }
    if (typeof clientId !== 'string' || typeof audience !== 'string' || audience === '') {
      return managementError(
        400,
        'Bad Request',
        "Payload validation error: 'Missing required property: audience'.",
        'invalid_body',
      );
    }
    if (scope !== undefined && (!Array.isArray(scope) || scope.some((s) => typeof s !== 'string'))) {
      return managementError(
        400,
        'Bad Request',
        "Payload validation error: 'Expected type array' on property scope.",
        'invalid_body',
      );
    }
    if (!this.app(clientId)) return managementError(404, 'Not Found', 'Client not found', 'inexistent_client');
    // "No resource with identifier …" (seen in https://github.com/auth0/auth0-deploy-cli/issues/29).
    if (!this.hasApi(audience)) {
      return managementError(404, 'Not Found', `No resource with identifier ${audience}`, 'inexistent_resource_server');
    }
    if ([...this.grants.values()].some((g) => g.client_id === clientId && g.audience === audience)) {
      return managementError(
        409,
        'Conflict',
        'A client grant for this client and audience already exists.',
        'conflict',
      );
    }
    const grant: FakeAuth0Grant = {
      id: `cgr_${random(12)}`,
      client_id: clientId,
      audience,
      scope: (scope as string[]) ?? [],
    };
    this.grants.set(grant.id, grant);
    return { status: 201, body: grant };
  }

  /** https://auth0.com/docs/api/management/v2/client-grants/get-client-grants: filters client_id, audience. */
  private listGrants(query: URLSearchParams): Answer {
    const clientId = query.get('client_id');
    const audience = query.get('audience');
    const list = [...this.grants.values()].filter(
      (g) => (clientId === null || g.client_id === clientId) && (audience === null || g.audience === audience),
    );
    return { status: 200, body: list };
  }

  /** https://auth0.com/docs/api/management/v2/client-grants/delete-client-grants-by-id: 204. */
  private deleteGrant(id: string): Answer {
    if (!this.grants.delete(id))
      return managementError(404, 'Not Found', 'The grant does not exist.', 'inexistent_client_grant');
    return { status: 204 };
  }
}

/** An application made outside the bridge: a confidential machine-to-machine app, unless told otherwise. */
function tenantApp(fields: Partial<FakeAuth0Client>): FakeAuth0Client {
  return {
    client_id: random(24),
    client_secret: random(48),
    name: 'HR portal',
    app_type: 'non_interactive',
    grant_types: ['client_credentials'],
    callbacks: [],
    token_endpoint_auth_method: 'client_secret_post',
    client_metadata: {},
    ...fields,
  };
}

/** The bridge's credentials are its application's: a secret changed through the API changes them too. */
function bridgeView(app: FakeAuth0Client) {
  return {
    clientId: app.client_id,
    get clientSecret() {
      return app.client_secret;
    },
    set clientSecret(secret: string) {
      app.client_secret = secret;
    },
    permissions: new Set(BRIDGE_PERMISSIONS),
  };
}

/** Auth0's `fields` and `include_fields` query parameters. */
function selectFields(full: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const fields = query.get('fields')?.split(',').filter(Boolean);
  if (!fields) return full;
  const include = query.get('include_fields') !== 'false';
  return Object.fromEntries(Object.entries(full).filter(([key]) => fields.includes(key) === include));
}
