import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RecordedRequest } from '../unit/support/loopback-server';
import { CognitoError } from './cognito-fake-errors';
import {
  type Fault,
  Faults,
  type FaultTarget,
  type RateCategory,
  RateLimiter,
  rateCategory,
} from './cognito-fake-faults';
import { COGNITO_OPERATIONS, type CognitoOperation, FakeUserPool, type StoredClient } from './cognito-fake-pool';
import { type AwsCredentials, checkSignature } from './cognito-fake-sigv4';
import { TokenKeys, tokenAnswer } from './cognito-fake-token';
import type { ClientSettings } from './cognito-fake-validation';
import { sendAnswer } from './fake-http';

export { DEFAULT_RATE_LIMITS, type Fault, type FaultTarget, type RateCategory } from './cognito-fake-faults';
export type { CognitoOperation } from './cognito-fake-pool';
export type { AwsCredentials } from './cognito-fake-sigv4';
export type { ClientSettings } from './cognito-fake-validation';

/**
 * A loopback Amazon Cognito user pool for the app-client API the bridge uses, in the AWS JSON 1.1 protocol
 * the SDK speaks (POST /, `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, content type
 * application/x-amz-json-1.1, SigV4-signed), and the pool domain's token endpoint POST /oauth2/token.
 * API reference: https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_<Operation>.html
 */

/** Dummy credentials the fake accepts by default: give them to the SDK client (or the AWS_* variables). */
export const FAKE_AWS_CREDENTIALS: Required<AwsCredentials> = {
  accessKeyId: 'AKIAFAKECOGNITO00001',
  secretAccessKey: 'fake-cognito-secret-access-key',
  sessionToken: 'fake-cognito-session-token',
};

export interface ResourceServer {
  /** e.g. https://api.example.com; full scope names are `<identifier>/<scope>`. */
  identifier: string;
  scopes: string[];
}

export interface FakeCognitoOptions {
  /** @default 'eu-central-1' */
  region?: string;
  /** @default `${region}_DcrFake01` */
  userPoolId?: string;
  /** @default [{ identifier: 'https://api.example.com', scopes: ['read', 'write', 'admin'] }] */
  resourceServers?: ResourceServer[];
  /** Federated IdP names usable in SupportedIdentityProviders besides COGNITO. @default [] */
  identityProviders?: string[];
  /** App clients per user pool (developer guide, Quotas: 1,000). @default 1000 */
  appClientQuota?: number;
  /** Requests per second per category before TooManyRequestsException. @default unlimited */
  rateLimits?: Partial<Record<RateCategory, number>>;
  /** The only credentials whose signatures are accepted. @default FAKE_AWS_CREDENTIALS */
  credentials?: AwsCredentials;
  /** Check each request's SigV4 signature. @default true */
  checkSignature?: boolean;
  /** @default 0 (a free port) */
  port?: number;
}

/** One request as the fake logs it: no bodies, no secrets. */
export interface CognitoRequestLogEntry {
  /** An API operation, 'Token', or the path of anything else. */
  operation: string;
  status: number;
  /** The `__type` of an API error, or the OAuth `error` of the token endpoint. */
  errorType?: string;
  clientId?: string;
}

/** A client as the tests inspect it: its settings and secret ids, no secret values. */
export interface FakeAppClient {
  clientId: string;
  settings: ClientSettings;
  secretIds: string[];
  createdAt: Date;
  modifiedAt: Date;
}

export interface FakeCognito {
  /** The SDK endpoint override (`endpoint` option, AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER). */
  endpoint: string;
  /** The user pool domain base (IDP_COGNITO_DOMAIN): the same loopback server. */
  domain: string;
  tokenEndpoint: string;
  jwksUri: string;
  region: string;
  userPoolId: string;
  /** https://cognito-idp.<region>.amazonaws.com/<userPoolId>, the `iss` of every token. */
  issuer: string;
  credentials: AwsCredentials;
  resourceServers: ResourceServer[];
  /** `<first resource server>/<name>`. */
  scope(name: string): string;
  /** The environment `npm start` (IDP_TYPE=cognito) needs to front this fake. */
  env(): Record<string, string>;
  clients(): FakeAppClient[];
  client(clientId: string): FakeAppClient | undefined;
  /** The active secret values of a client, oldest first (test inspection only). */
  secretValues(clientId: string): string[];
  /** A client created outside the API (someone else's): not in the request log. */
  seedClient(settings: Record<string, unknown>): { clientId: string; clientSecret: string };
  /** Every secret value the fake ever issued. */
  issuedSecrets(): string[];
  requests: CognitoRequestLogEntry[];
  /** The API operations received, in order. */
  operations(): string[];
  inject(target: FaultTarget, fault?: Fault): void;
  /** The next `times` calls answer TooManyRequestsException (HTTP 400, API_CreateUserPoolClient). */
  throttle(target: FaultTarget, times?: number): void;
  /** The next `times` calls take effect, then answer InternalErrorException (500). */
  failAfterEffect(target: FaultTarget, times?: number): void;
  clearFaults(): void;
  setRateLimits(limits: Partial<Record<RateCategory, number>>): void;
  setAppClientQuota(quota: number): void;
  /** Client credentials at the token endpoint over HTTP, Basic auth by default. */
  requestToken(
    clientId: string,
    clientSecret: string,
    options?: { scope?: string; auth?: 'basic' | 'post' },
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Forgets the request log and faults (clients stay). */
  reset(): void;
  close(): Promise<void>;
}

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export async function startFakeCognito(options: FakeCognitoOptions = {}): Promise<FakeCognito> {
  const region = options.region ?? 'eu-central-1';
  const userPoolId = options.userPoolId ?? `${region}_DcrFake01`;
  const resourceServers = options.resourceServers ?? [
    { identifier: 'https://api.example.com', scopes: ['read', 'write', 'admin'] },
  ];
  const credentials = options.credentials ?? FAKE_AWS_CREDENTIALS;
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const pool = new FakeUserPool({
    userPoolId,
    appClientQuota: options.appClientQuota ?? 1000,
    resourceServers: new Map(resourceServers.map((server) => [server.identifier, new Set(server.scopes)])),
    identityProviders: new Set(options.identityProviders ?? []),
  });
  const keys = new TokenKeys();
  const faults = new Faults();
  const rates = new RateLimiter(options.rateLimits);
  const requests: CognitoRequestLogEntry[] = [];
  const log = (entry: CognitoRequestLogEntry) => {
    if (entry.clientId === undefined) delete entry.clientId;
    requests.push(entry);
  };

  const handle = async (request: RecordedRequest, response: http.ServerResponse) => {
    const path = new URL(request.url, 'http://placeholder').pathname;
    if (path === '/oauth2/token') return serveToken(request, response);
    if (path === `/${userPoolId}/.well-known/jwks.json`)
      return sendAnswer(response, { status: 200, body: keys.jwks() });
    if (path === `/${userPoolId}/.well-known/openid-configuration`) {
      return sendAnswer(response, { status: 200, body: { issuer, jwks_uri: jwksUri, token_endpoint: tokenEndpoint } });
    }
    if (path === '/' && request.method === 'POST') return serveApi(request, response);
    log({ operation: `${request.method} ${path}`, status: 404 });
    sendAnswer(response, { status: 404, body: { message: 'Not Found' } });
  };

  const serveApi = async (request: RecordedRequest, response: http.ServerResponse) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    let clientId: string | undefined;
    try {
      if (options.checkSignature !== false) await checkSignature(request, credentials, region);
      if (!(COGNITO_OPERATIONS as readonly string[]).includes(operation)) {
        throw new CognitoError('UnknownOperationException', `Operation ${operation || '(none)'} is not served here.`);
      }
      const body = parseBody(request);
      clientId = typeof body.ClientId === 'string' ? body.ClientId : undefined;
      const op = operation as CognitoOperation;
      if (!rates.admit(rateCategory(op))) throw new CognitoError('TooManyRequestsException', 'Too many requests');
      const fault = faults.take(op);
      if (fault && !fault.afterEffect) return playFault(fault, response, { operation, clientId });
      if (fault?.delayEffectMs !== undefined) {
        // Committed later; a refusal then is nobody's to hear.
        setTimeout(() => {
          try {
            pool.run(op, body);
          } catch {}
        }, fault.delayEffectMs).unref();
        return playFault(fault, response, { operation, clientId });
      }
      const result = pool.run(op, body);
      clientId ??= (result.UserPoolClient as { ClientId?: string } | undefined)?.ClientId;
      if (fault) return playFault(fault, response, { operation, clientId });
      log({ operation, status: 200, clientId });
      sendAws(response, 200, result);
    } catch (error) {
      if (!(error instanceof CognitoError)) throw error;
      log({ operation: operation || 'unknown', status: error.status, errorType: error.type, clientId });
      sendAws(response, error.status, { __type: error.type, message: error.message });
    }
  };

  const playFault = (fault: Fault, response: http.ServerResponse, entry: { operation: string; clientId?: string }) => {
    if (fault.mode === 'hang' || fault.mode === 'drop') {
      log({ ...entry, status: 0, errorType: fault.mode });
      if (fault.mode === 'hang') faults.hold(response);
      else response.socket?.destroy();
      return;
    }
    const type = fault.type ?? 'InternalErrorException';
    const error = new CognitoError(type, fault.message ?? 'Internal error', fault.status);
    log({ ...entry, status: error.status, errorType: type });
    if (entry.operation === 'Token') sendAnswer(response, { status: error.status, body: { error: type } });
    else sendAws(response, error.status, { __type: type, message: error.message });
  };

  const serveToken = (request: RecordedRequest, response: http.ServerResponse) => {
    const fault = faults.take('Token');
    if (fault && !fault.afterEffect) return playFault(fault, response, { operation: 'Token' });
    const answer = tokenAnswer(request, pool, keys, issuer);
    const error = (answer.body as { error?: string }).error;
    const clientId = clientIdOf(request);
    if (fault) return playFault(fault, response, { operation: 'Token', clientId });
    log({ operation: 'Token', status: answer.status, ...(error ? { errorType: error } : {}), clientId });
    sendAnswer(response, answer);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      handle(recorded, res).catch(() => {
        if (!res.headersSent) sendAws(res, 500, { __type: 'InternalErrorException', message: 'Internal error' });
        else res.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tokenEndpoint = `${endpoint}/oauth2/token`;
  const jwksUri = `${endpoint}/${userPoolId}/.well-known/jwks.json`;
  const view = (client: StoredClient): FakeAppClient => ({
    clientId: client.clientId,
    settings: structuredClone(client.settings),
    secretIds: client.secrets.map((secret) => secret.id),
    createdAt: client.createdAt,
    modifiedAt: client.modifiedAt,
  });
  const scope = (name: string) => `${resourceServers[0]?.identifier ?? ''}/${name}`;

  return {
    endpoint,
    domain: endpoint,
    tokenEndpoint,
    jwksUri,
    region,
    userPoolId,
    issuer,
    credentials,
    resourceServers,
    scope,
    env: () => ({
      IDP_TYPE: 'cognito',
      IDP_COGNITO_USER_POOL_ID: userPoolId,
      IDP_COGNITO_REGION: region,
      IDP_COGNITO_DOMAIN: endpoint,
      ...(resourceServers[0] ? { IDP_COGNITO_RESOURCE_SERVER: resourceServers[0].identifier } : {}),
      ...(resourceServers[0]?.scopes[0] ? { IDP_COGNITO_DEFAULT_SCOPES: scope(resourceServers[0].scopes[0]) } : {}),
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { AWS_SESSION_TOKEN: credentials.sessionToken } : {}),
    }),
    clients: () => [...pool.clients.values()].map(view),
    client: (clientId) => {
      const client = pool.clients.get(clientId);
      return client && view(client);
    },
    secretValues: (clientId) => pool.clients.get(clientId)?.secrets.map((secret) => secret.value) ?? [],
    seedClient: (settings) => {
      const client = pool.seed(settings);
      return { clientId: client.clientId, clientSecret: client.secrets[0]?.value ?? '' };
    },
    issuedSecrets: () => [...pool.issuedSecrets],
    requests,
    operations: () =>
      requests
        .map((entry) => entry.operation)
        .filter((operation) => (COGNITO_OPERATIONS as readonly string[]).includes(operation)),
    inject: (target, fault) => faults.inject(target, fault),
    throttle: (target, times = 1) =>
      faults.inject(target, { type: 'TooManyRequestsException', message: 'Too many requests', times }),
    failAfterEffect: (target, times = 1) => faults.inject(target, { afterEffect: true, times }),
    clearFaults: () => faults.clear(),
    setRateLimits: (limits) => {
      rates.limits = limits;
      rates.reset();
    },
    setAppClientQuota: (quota) => {
      pool.options.appClientQuota = quota;
    },
    requestToken: async (clientId, clientSecret, { scope: requested, auth = 'basic' } = {}) => {
      const form = new URLSearchParams({ grant_type: 'client_credentials' });
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (auth === 'basic') {
        const encode = (value: string) => encodeURIComponent(value);
        headers.authorization = `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString('base64')}`;
      } else {
        form.set('client_id', clientId);
        form.set('client_secret', clientSecret);
      }
      if (requested !== undefined) form.set('scope', requested);
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers,
        body: form,
        signal: AbortSignal.timeout(5000),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    reset: () => {
      requests.length = 0;
      faults.clear();
      rates.reset();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        faults.releaseHanging();
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets of SDK clients must not hold the server open.
        server.closeAllConnections();
      }),
  };
}

function parseBody(request: RecordedRequest): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(request.body || '{}');
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new CognitoError('SerializationException', 'The request body is not a JSON object.');
}

function sendAws(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': String(Buffer.byteLength(text)),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

/** The client a token request names, from Basic auth or the form; never its secret. */
function clientIdOf(request: RecordedRequest): string | undefined {
  const basic = request.headers.authorization;
  if (basic?.startsWith('Basic ')) {
    const decoded = Buffer.from(basic.slice(6), 'base64').toString('utf8');
    try {
      return decodeURIComponent(decoded.slice(0, Math.max(decoded.indexOf(':'), 0)));
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(request.body).get('client_id') ?? undefined;
}
