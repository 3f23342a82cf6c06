import { type KeyObject, randomBytes } from 'node:crypto';
import type http from 'node:http';
import { type RecordedRequest, sendJson, startLoopbackServer } from '../unit/support/loopback-server';
import { basicCredentials, formBody, jsonObjectBody } from './fake-http';
import { assertionProblem } from './okta-fake-jwt';
import { metadataProblem, withDefaults } from './okta-fake-metadata';

/**
 * A loopback Okta org: the Dynamic Client Registration API, the org authorization server's token
 * endpoint (OAuth for Okta) and the `default` custom authorization server's token endpoint, as
 * documented. It checks what the bridge sends and answers Okta's errors for a wrong request.
 */

/** The operations a failure can be injected into. */
export type OktaOperation = 'create' | 'read' | 'list' | 'replace' | 'delete' | 'newSecret' | 'orgToken';

export type InjectedFailure =
  /** Answer this instead of doing the operation; with `afterCreate` a create is done first. */
  | { status: number; body?: unknown; headers?: Record<string, string>; afterCreate?: boolean }
  /** Never answer; with `afterCreate` a create is done first (the answer is what gets lost). */
  | { hang: true; afterCreate?: boolean }
  /** A create that succeeds but whose answer lacks client_secret. */
  | { omitSecret: true };

export interface OktaFakeOptions {
  /** The SSWS API token the org accepts. */
  apiToken?: string;
  /** A service app for OAuth for Okta (private_key_jwt), with its registered public key. */
  serviceApp?: { clientId: string; publicKey: KeyObject; grantedScopes: string[] };
}

export interface OktaFake {
  orgUrl: string;
  /** Token endpoint of the `default` custom authorization server, where issued clients get tokens. */
  tokenEndpoint: string;
  clientCount(): number;
  /** A client as Okta's GET answers it (no secret), or undefined. */
  findClient(clientId: string): Record<string, unknown> | undefined;
  /** A client someone created in the Admin Console, not through the bridge. */
  seedClient(metadata: Record<string, unknown>): string;
  /** Every client secret and access token the fake handed out, for log assertions. */
  issuedSecrets(): string[];
  /** Registration bodies received, in order. */
  createBodies: Record<string, unknown>[];
  /** "METHOD /path" of every request, in order. */
  calls(): string[];
  orgTokenRequests(): number;
  inject(operation: OktaOperation, failure: InjectedFailure, times?: number): void;
  /** Changes the accepted API token: the bridge's token is now "revoked". */
  setApiToken(token: string): void;
  /** Registers another key on the service app: the bridge's key no longer matches. */
  setServiceAppKey(publicKey: KeyObject): void;
  revokeAccessTokens(): void;
  close(): Promise<void>;
}

interface StoredClient {
  client: Record<string, unknown>;
  secret?: string;
}

const CLIENTS = '/oauth2/v1/clients';
const SECRET_METHODS = ['client_secret_basic', 'client_secret_post', 'client_secret_jwt'];
/** Scopes of the fake `default` authorization server; `konnect` is its default scope. */
const CUSTOM_SERVER_SCOPES = ['konnect', 'payments:read'];

export async function startOktaFake(options: OktaFakeOptions = {}): Promise<OktaFake> {
  const clients = new Map<string, StoredClient>();
  const issued: string[] = [];
  const accessTokens = new Map<string, { expiresAt: number; scopes: string[] }>();
  const injected: Array<{ operation: OktaOperation; failure: InjectedFailure }> = [];
  const createBodies: Record<string, unknown>[] = [];
  const seenJti = new Set<string>();
  let apiToken = options.apiToken;
  let serviceKey = options.serviceApp?.publicKey;
  let orgTokenRequests = 0;

  const server = await startLoopbackServer();
  const orgUrl = server.url;

  const takeFailure = (operation: OktaOperation) => {
    const index = injected.findIndex((entry) => entry.operation === operation);
    return index < 0 ? undefined : injected.splice(index, 1)[0]?.failure;
  };

  const publicView = ({ client }: StoredClient) => ({ ...client });

  const store = (metadata: Record<string, unknown>): StoredClient => {
    const clientId = `0oa${randomId(17)}`;
    const method = String(metadata.token_endpoint_auth_method);
    const secret = SECRET_METHODS.includes(method) ? randomBytes(30).toString('base64url') : undefined;
    if (secret) issued.push(secret);
    const stored: StoredClient = {
      secret,
      client: {
        client_id: clientId,
        client_id_issued_at: Math.floor(Date.now() / 1000),
        ...(secret && { client_secret_expires_at: 0 }),
        client_uri: null,
        logo_uri: null,
        ...metadata,
      },
    };
    clients.set(clientId, stored);
    return stored;
  };

  const nameTaken = (name: unknown, except?: string) =>
    [...clients.values()].some(({ client }) => client.client_name === name && client.client_id !== except);

  server.handle((request, response) => {
    const url = new URL(request.url, orgUrl);
    const path = url.pathname;
    if (request.method === 'POST' && path === '/oauth2/v1/token') return orgToken(request, response);
    if (request.method === 'POST' && path === '/oauth2/default/v1/token') return customToken(request, response);
    if (path === CLIENTS || path.startsWith(`${CLIENTS}/`)) return clientsApi(request, response, url);
    // https://developer.okta.com/docs/reference/error-codes/ (E0000007: Not found)
    return sendJson(response, 404, oktaError('E0000007', `Not found: Resource not found: ${path}`));
  });

  /** https://developer.okta.com/docs/reference/api/oauth-clients/ */
  function clientsApi(request: RecordedRequest, response: http.ServerResponse, url: URL) {
    const segments = url.pathname.slice(CLIENTS.length).split('/').filter(Boolean).map(decodeURIComponent);
    const [clientId, lifecycle, action] = segments;
    const operation = operationOf(request.method, clientId, lifecycle, action);
    if (!operation) return sendJson(response, 404, oktaError('E0000007', 'Not found: Resource not found'));
    const failure = takeFailure(operation);
    if (failure && 'status' in failure && !failure.afterCreate) {
      return sendJson(response, failure.status, failure.body ?? {}, { ...rateLimitHeaders(), ...failure.headers });
    }
    if (failure && 'hang' in failure && !failure.afterCreate) return;
    const denied = authenticate(request.headers.authorization);
    if (denied) return sendJson(response, denied.status, denied.body, { ...rateLimitHeaders(), ...denied.headers });
    const answer = (status: number, body: unknown) => sendJson(response, status, body, rateLimitHeaders());
    switch (operation) {
      case 'create':
        return create(request, failure, answer);
      case 'list':
        return answer(200, list(url));
      case 'read': {
        const stored = clients.get(clientId ?? '');
        // "Response example: Incorrect client_id" — 401 invalid_client.
        return stored ? answer(200, publicView(stored)) : answer(401, unknownClient());
      }
      case 'replace':
        return replace(request, clientId ?? '', answer);
      case 'delete':
        // #remove-a-client-application: 204; "Incorrect client_id" — 401 invalid_client.
        if (!clients.delete(clientId ?? '')) return answer(401, unknownClient());
        response.writeHead(204, rateLimitHeaders());
        response.end();
        return;
      case 'newSecret':
        return newSecret(clientId ?? '', answer);
    }
  }

  /** https://developer.okta.com/docs/reference/api/oauth-clients/#register-new-client */
  function create(request: RecordedRequest, failure: InjectedFailure | undefined, answer: Answer) {
    const body = jsonObjectBody(request);
    if (!body) return answer(400, oktaError('E0000003', 'The request body was not well-formed.'));
    createBodies.push(body);
    // "You can't specify the client_secret"; client_id is Okta's own application id.
    for (const field of ['client_id', 'client_secret', 'client_id_issued_at', 'client_secret_expires_at']) {
      if (field in body) return answer(400, oauthError('invalid_client_metadata', `${field}: cannot be specified`));
    }
    const metadata = withDefaults(body);
    const problem = metadataProblem(metadata);
    if (problem) return answer(400, oauthError('invalid_client_metadata', problem));
    // Documented: "Response example: Duplicate client name".
    if (nameTaken(metadata.client_name)) {
      return answer(
        400,
        oauthError(
          'invalid_client_metadata',
          'client_name: An object with this field already exists in the current organization',
        ),
      );
    }
    const stored = store(metadata);
    if (failure && 'hang' in failure) return;
    // Stored, then failed (a real server's 500 under load, a proxy's 502): the caller cannot tell.
    if (failure && 'status' in failure) return answer(failure.status, failure.body ?? {});
    const secretShown = !(failure && 'omitSecret' in failure) && stored.secret;
    return answer(201, { ...publicView(stored), ...(secretShown && { client_secret: stored.secret }) });
  }

  /**
   * "You must specify all settings … Partial updates aren't supported … client_secret_expires_at or
   * client_id_issued_at must not be included, and the client_secret can be omitted."
   * https://developer.okta.com/docs/reference/api/oauth-clients/#update-a-client-application
   */
  function replace(request: RecordedRequest, clientId: string, answer: Answer) {
    const stored = clients.get(clientId);
    // Okta documents 401 invalid_client for an unknown id on GET and DELETE; PUT is assumed alike.
    if (!stored) return answer(401, unknownClient());
    const body = jsonObjectBody(request);
    if (!body) return answer(400, oktaError('E0000003', 'The request body was not well-formed.'));
    for (const field of ['client_id_issued_at', 'client_secret_expires_at']) {
      if (field in body) return answer(400, oauthError('invalid_client_metadata', `${field}: must not be included`));
    }
    const required = ['client_name', 'application_type', 'grant_types', 'response_types', 'token_endpoint_auth_method'];
    if (stored.client.application_type !== 'service') required.push('redirect_uris');
    const missing = required.find((field) => body[field] === undefined);
    if (missing)
      return answer(400, oauthError('invalid_client_metadata', `${missing}: The field cannot be left blank`));
    if (body.client_id !== undefined && body.client_id !== clientId) {
      return answer(400, oauthError('invalid_client_metadata', 'client_id: cannot be changed'));
    }
    // application_type is read-only.
    if (body.application_type !== stored.client.application_type) {
      return answer(400, oauthError('invalid_client_metadata', 'application_type: cannot be changed'));
    }
    if (body.client_secret !== undefined && body.client_secret !== stored.secret) {
      return answer(400, oauthError('invalid_client_metadata', 'client_secret: cannot be specified'));
    }
    const { client_secret: _secret, ...settings } = body;
    const metadata = withDefaults(settings);
    const problem = metadataProblem(metadata);
    if (problem) return answer(400, oauthError('invalid_client_metadata', problem));
    if (nameTaken(metadata.client_name, clientId)) {
      return answer(
        400,
        oauthError(
          'invalid_client_metadata',
          'client_name: An object with this field already exists in the current organization',
        ),
      );
    }
    stored.client = { ...stored.client, ...metadata, client_id: clientId };
    return answer(200, { ...publicView(stored), ...(stored.secret && { client_secret: stored.secret }) });
  }

  /** https://developer.okta.com/docs/reference/api/oauth-clients/#generate-a-new-client-secret */
  function newSecret(clientId: string, answer: Answer) {
    const stored = clients.get(clientId);
    // Documented: 404 E0000007 here, unlike GET/PUT/DELETE.
    if (!stored)
      return answer(404, oktaError('E0000007', `Not found: Resource not found: ${clientId} (PublicClientApp)`));
    // "This operation only applies to … client_secret_post or client_secret_basic" (the error is the fake's).
    if (!['client_secret_basic', 'client_secret_post'].includes(String(stored.client.token_endpoint_auth_method))) {
      return answer(400, oktaError('E0000001', 'Api validation failed: client_secret'));
    }
    stored.secret = randomBytes(30).toString('base64url');
    issued.push(stored.secret);
    return answer(200, { ...publicView(stored), client_secret: stored.secret });
  }

  /** https://developer.okta.com/docs/reference/api/oauth-clients/#list-client-applications-that-match-a-search-filter */
  function list(url: URL) {
    const q = url.searchParams.get('q')?.toLowerCase() ?? '';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 20) || 20, 200);
    return [...clients.values()]
      .filter(({ client }) => String(client.client_name).toLowerCase().startsWith(q))
      .slice(0, limit)
      .map(publicView);
  }

  /**
   * SSWS API tokens and OAuth for Okta access tokens (scope okta.clients.manage).
   * https://developer.okta.com/docs/guides/create-an-api-token/main/
   * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
   * https://developer.okta.com/docs/reference/error-codes/ (E0000011 Invalid token provided, E0000006)
   */
  function authenticate(
    header: string | undefined,
  ): { status: number; body: unknown; headers: Record<string, string> } | undefined {
    if (apiToken && header === `SSWS ${apiToken}`) return undefined;
    const bearer = header?.startsWith('Bearer ') ? accessTokens.get(header.slice(7)) : undefined;
    if (bearer && bearer.expiresAt > Date.now()) {
      if (bearer.scopes.includes('okta.clients.manage')) return undefined;
      return {
        status: 403,
        body: oktaError('E0000006', 'You do not have permission to perform the requested action'),
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope"' },
      };
    }
    return { status: 401, body: oktaError('E0000011', 'Invalid token provided'), headers: {} };
  }

  /**
   * The org authorization server's token endpoint for OAuth for Okta: client credentials with a
   * private_key_jwt assertion; only scopes granted to the service app.
   * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/#get-an-access-token
   */
  function orgToken(request: RecordedRequest, response: http.ServerResponse) {
    orgTokenRequests += 1;
    const failure = takeFailure('orgToken');
    if (failure && 'status' in failure) return sendJson(response, failure.status, failure.body ?? {}, failure.headers);
    if (failure) return;
    const form = formBody(request);
    if (!form) return sendJson(response, 400, oauthError('invalid_request', 'The request must be form-encoded.'));
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(response, 400, oauthError('unsupported_grant_type', 'The grant type is not supported.'));
    }
    const app = options.serviceApp;
    if (!app || !serviceKey)
      return sendJson(response, 401, oauthError('invalid_client', 'Client authentication failed.'));
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return sendJson(response, 400, oauthError('invalid_client', "The 'client_assertion_type' is invalid."));
    }
    const problem = assertionProblem(form.get('client_assertion') ?? '', {
      publicKey: serviceKey,
      clientId: app.clientId,
      audience: `${orgUrl}/oauth2/v1/token`,
      seenJti,
    });
    if (problem) return sendJson(response, 401, oauthError('invalid_client', problem));
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    const refused = scopes.filter((scope) => !app.grantedScopes.includes(scope));
    if (scopes.length === 0 || refused.length > 0) {
      return sendJson(
        response,
        400,
        oauthError('invalid_scope', `The following scopes are not allowed: ${refused.join(' ')}`),
      );
    }
    return sendJson(response, 200, issueToken(scopes));
  }

  /**
   * The `default` custom authorization server: client credentials, with the client authenticated
   * the way it registered (token_endpoint_auth_method), by Basic or in the form.
   * https://developer.okta.com/docs/guides/implement-grant-type/clientcreds/main/
   * https://developer.okta.com/docs/reference/api/oidc/#client-authentication-methods
   */
  function customToken(request: RecordedRequest, response: http.ServerResponse) {
    const form = formBody(request);
    if (!form) return sendJson(response, 400, oauthError('invalid_request', 'The request must be form-encoded.'));
    if (form.get('grant_type') !== 'client_credentials') {
      return sendJson(response, 400, oauthError('unsupported_grant_type', 'The grant type is not supported.'));
    }
    const basic = basicCredentials(request.headers.authorization);
    const posted = form.has('client_id')
      ? { id: form.get('client_id') ?? '', secret: form.get('client_secret') ?? '' }
      : undefined;
    const presented = basic ?? posted;
    const stored = presented ? clients.get(presented.id) : undefined;
    if (!presented || !stored?.secret || stored.secret !== presented.secret) {
      return sendJson(
        response,
        401,
        oauthError('invalid_client', 'The client secret supplied for a confidential client is invalid.'),
      );
    }
    const method = basic ? 'client_secret_basic' : 'client_secret_post';
    if (stored.client.token_endpoint_auth_method !== method) {
      return sendJson(response, 401, oauthError('invalid_client', 'Client authentication failed.'));
    }
    const grants = stored.client.grant_types as string[];
    if (!grants.includes('client_credentials')) {
      return sendJson(
        response,
        400,
        oauthError(
          'unauthorized_client',
          `The client is not authorized to use the provided grant type. Configured grant types: [${grants.join(', ')}].`,
        ),
      );
    }
    const scopes = (form.get('scope') ?? 'konnect').split(' ').filter(Boolean);
    if (scopes.some((scope) => !CUSTOM_SERVER_SCOPES.includes(scope))) {
      return sendJson(
        response,
        400,
        oauthError('invalid_scope', 'One or more scopes are not configured for the authorization server resource.'),
      );
    }
    return sendJson(response, 200, issueToken(scopes));
  }

  function issueToken(scopes: string[]) {
    const token = randomBytes(24).toString('base64url');
    issued.push(token);
    accessTokens.set(token, { expiresAt: Date.now() + 3600_000, scopes });
    return { token_type: 'Bearer', expires_in: 3600, access_token: token, scope: scopes.join(' ') };
  }

  return {
    orgUrl,
    tokenEndpoint: `${orgUrl}/oauth2/default/v1/token`,
    clientCount: () => clients.size,
    findClient: (clientId) => {
      const stored = clients.get(clientId);
      return stored && publicView(stored);
    },
    seedClient: (metadata) => String(store(withDefaults(metadata)).client.client_id),
    issuedSecrets: () => [...issued],
    createBodies,
    calls: () => server.requests.map((request) => `${request.method} ${request.url}`),
    orgTokenRequests: () => orgTokenRequests,
    inject: (operation, failure, times = 1) => {
      for (let i = 0; i < times; i += 1) injected.push({ operation, failure });
    },
    setApiToken: (token) => {
      apiToken = token;
    },
    setServiceAppKey: (publicKey) => {
      serviceKey = publicKey;
    },
    revokeAccessTokens: () => accessTokens.clear(),
    close: () => server.close(),
  };
}

type Answer = (status: number, body: unknown) => void;

function operationOf(
  method: string,
  clientId: string | undefined,
  lifecycle: string | undefined,
  action: string | undefined,
): OktaOperation | undefined {
  if (clientId === undefined) return ({ GET: 'list', POST: 'create' } as const)[method as 'GET' | 'POST'];
  if (lifecycle === undefined) {
    return ({ GET: 'read', PUT: 'replace', DELETE: 'delete' } as const)[method as 'GET' | 'PUT' | 'DELETE'];
  }
  return method === 'POST' && lifecycle === 'lifecycle' && action === 'newSecret' ? 'newSecret' : undefined;
}

/**
 * Okta reports org-wide limits on every response, the reset as UTC epoch seconds.
 * https://developer.okta.com/docs/reference/rl-best-practices/
 */
function rateLimitHeaders(): Record<string, string> {
  return {
    'x-rate-limit-limit': '100',
    'x-rate-limit-remaining': '99',
    'x-rate-limit-reset': String(Math.floor(Date.now() / 1000) + 60),
  };
}

/** Okta's 429: E0000047 with the reset time in epoch seconds. */
export function rateLimited(resetInSeconds: number): InjectedFailure {
  return {
    status: 429,
    body: oktaError('E0000047', 'API call exceeded rate limit due to too many requests.'),
    headers: {
      'x-rate-limit-limit': '100',
      'x-rate-limit-remaining': '0',
      'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + resetInSeconds),
    },
  };
}

/** https://developer.okta.com/docs/reference/error-codes/ — every Okta API error has these fields. */
export function oktaError(errorCode: string, errorSummary: string, causes: string[] = []) {
  return {
    errorCode,
    errorSummary,
    errorLink: errorCode,
    errorId: `oae${randomId(22)}`,
    errorCauses: causes.map((summary) => ({ errorSummary: summary })),
  };
}

const oauthError = (error: string, description: string) => ({ error, error_description: description });

const unknownClient = () => oauthError('invalid_client', "Invalid value for 'client_id' parameter.");

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('');
}
