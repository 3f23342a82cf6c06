import { randomBytes, randomUUID } from 'node:crypto';
import type http from 'node:http';
import { createApplicationBody, konnectVerificationIds, verifyClientName } from '../../bin/verify/konnect-bodies';
import type { DcrProvider } from '../../functions/konnect/dcr-provider';
import { type RecordedRequest, startLoopbackServer } from '../unit/support/loopback-server';
import {
  type KonnectTraffic,
  type KonnectTrafficOptions,
  sendKonnectCreate,
  startKonnectTraffic,
} from './konnect-fake-traffic';
import { checkCreate, checkUpdate, type InvalidParameter } from './konnect-fake-validation';

/**
 * A loopback stand-in for Konnect's DCR-provider API, following the Application Auth Strategies
 * API v2.0.6 (Kong/developer.konghq.com api-specs/konnect/application-auth-strategies/v2/openapi.yaml):
 * `/v2/dcr-providers` (list, create), `/v2/dcr-providers/{dcrProviderId}` (get, patch, delete) and
 * `/v2/dcr-providers/{dcrProviderId}/verify`, Bearer authentication, application/problem+json
 * errors (BaseError, BadRequestError with invalid_parameters). Its verify really calls the
 * bridge's `POST /` as Konnect's Verify button does (`portal_id: "test portal_id"`).
 *
 * Everything marked "guess" is not in the spec.
 */

/** What the fake keeps per provider: the provider as Konnect answers it, and the key it holds. */
export interface FakeProviderRecord {
  provider: DcrProvider;
  /** dcr_config.api_key: never in an answer ("Sensitive fields will be removed from the response"). */
  apiKey?: string;
}

/** One request as the fake saw it; `api_key` values in the body are replaced by "[api_key]". */
export interface KonnectRequestRecord {
  method: string;
  /** Path without the query, e.g. /v2/dcr-providers/<id>/verify. */
  path: string;
  query: Record<string, string>;
  body: unknown;
  /** The status the fake answered. */
  status: number;
}

/** One verify the fake carried out against a bridge. */
export interface VerificationRecord {
  providerId: string;
  status: 'success' | 'failed';
  errors: string[];
  /** The bridge's answer status; undefined when forced (failNextVerify) or unreachable. */
  bridgeStatus?: number;
}

/** A forced answer for the next request(s) matching method and path. */
export interface KonnectInjection {
  status: number;
  /** Default: a problem+json body for the status. */
  body?: unknown;
  headers?: Record<string, string>;
  method?: string;
  /** Matched against the path (without query). Default: any. */
  path?: RegExp;
  /** How many matching requests get it. @default 1 */
  times?: number;
}

export interface FakeKonnectOptions {
  /** The Bearer token Konnect accepts (a personal or system-account token). @default random */
  token?: string;
  /** A second token that may read but not write: writes answer 403. @default random */
  readOnlyToken?: string;
  /** Echo rejected values in 400 reasons (the spec allows it), to test client redaction. @default false */
  echoRejectedValues?: boolean;
  /** How long verify waits for the bridge (Konnect's own timeout is undocumented: guess). @default 10000 */
  verifyTimeoutMs?: number;
  /**
   * What PATCH does with `labels`: `merge` (LabelsUpdate's null-removes-one suggests it) or
   * `replace` (the labels sent become all the labels). The spec does not say: clients must work
   * with both. @default 'merge'
   */
  labelsOnPatch?: LabelsOnPatch;
}

export type LabelsOnPatch = 'merge' | 'replace';

export interface FakeKonnect {
  /** The API base, like https://eu.api.konghq.com/v2: http://127.0.0.1:PORT/v2. */
  url: string;
  token: string;
  readOnlyToken: string;
  /** By provider id. Tests may read and change it directly. */
  providers: Map<string, FakeProviderRecord>;
  requests: KonnectRequestRecord[];
  verifications: VerificationRecord[];
  /** PATCH's label behaviour; tests may switch it. */
  labelsOnPatch: LabelsOnPatch;
  /** The key Konnect currently holds for a provider (what it sends as X-API-KEY). */
  apiKeyOf(providerId: string): string | undefined;
  /** The provider with this name (the first one, if several). */
  providerNamed(name: string): FakeProviderRecord | undefined;
  /** Adds a provider as if created elsewhere (e.g. an okta one, or one in use: active). */
  seedProvider(provider: Partial<DcrProvider> & { name: string }, apiKey?: string): FakeProviderRecord;
  /** The next verify answers `failed` with these errors without calling the bridge. */
  failNextVerify(errors?: string[]): void;
  /** Forces the answer of the next matching request(s), e.g. {status: 500} or {status: 429, headers: {'retry-after': '1'}}. */
  inject(injection: KonnectInjection): void;
  /** Requests (not injected) that changed something: POST create, PATCH, DELETE. */
  writes(): KonnectRequestRecord[];
  /** One Konnect-style create (and delete of what it created) through the provider's bridge, with the key Konnect holds. */
  sendCreate(providerId: string): Promise<number>;
  /** Continuous Konnect-style traffic until stop(). */
  startTraffic(providerId: string, options?: KonnectTrafficOptions): KonnectTraffic;
  close(): Promise<void>;
}

/** Spec: "Unable to create the DCR application" is the example of a failed verify. */
export const VERIFY_FAILED_ERROR = 'Unable to create the DCR application';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** PageSize has no documented default; 10 follows the spec's example (guess). */
const DEFAULT_PAGE_SIZE = 10;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
/** Details from the spec's examples (UnauthorizedExample, ForbiddenExample, NotFoundExample); others are guesses. */
const DETAILS: Record<number, string> = {
  401: 'Unauthorized',
  403: 'You do not have permission to perform this action',
  404: 'Not Found',
};

/** BaseError: {status, title, type?, instance: "kong:trace:<id>", detail}. */
export function problem(status: number, detail?: string, extra: Record<string, unknown> = {}) {
  return {
    status,
    title: TITLES[status] ?? 'Error',
    type: `https://httpstatuses.com/${status}`,
    instance: `kong:trace:${BigInt(`0x${randomBytes(8).toString('hex')}`).toString()}`,
    detail: detail ?? DETAILS[status] ?? TITLES[status] ?? 'Error',
    ...extra,
  };
}

function send(response: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    response.writeHead(status, headers);
    response.end();
    return;
  }
  const text = JSON.stringify(body);
  // Errors are application/problem+json in the spec's responses; answers application/json.
  const contentType = status >= 400 ? 'application/problem+json' : 'application/json';
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  response.end(text);
}

function redactKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === 'api_key' ? '[api_key]' : redactKeys(inner)]),
  );
}

/** The provider as Konnect answers it: a copy, never with api_key. */
const answerOf = (record: FakeProviderRecord): DcrProvider => structuredClone(record.provider);

export async function startFakeKonnect(options: FakeKonnectOptions = {}): Promise<FakeKonnect> {
  const token = options.token ?? `kpat_${randomBytes(24).toString('hex')}`;
  const readOnlyToken = options.readOnlyToken ?? `kpat_${randomBytes(24).toString('hex')}`;
  const verifyTimeoutMs = options.verifyTimeoutMs ?? 10_000;
  const providers = new Map<string, FakeProviderRecord>();
  const requests: KonnectRequestRecord[] = [];
  const verifications: VerificationRecord[] = [];
  const injections: KonnectInjection[] = [];
  const forcedVerifyFailures: string[][] = [];

  const now = () => new Date().toISOString();

  const seedProvider: FakeKonnect['seedProvider'] = (partial, apiKey) => {
    const at = now();
    const provider: DcrProvider = {
      id: randomUUID(),
      display_name: undefined,
      provider_type: 'http',
      issuer: 'https://issuer.example.com',
      active: false,
      dcr_config: {},
      labels: {},
      created_at: at,
      updated_at: at,
      ...partial,
    };
    if (provider.display_name === undefined) delete provider.display_name;
    const record = { provider, apiKey };
    providers.set(provider.id, record);
    return record;
  };

  const takeInjection = (method: string, path: string): KonnectInjection | undefined => {
    const index = injections.findIndex(
      (injection) =>
        (injection.method === undefined || injection.method === method) &&
        (injection.path === undefined || injection.path.test(path)),
    );
    if (index < 0) return undefined;
    const injection = injections[index] as KonnectInjection;
    injection.times = (injection.times ?? 1) - 1;
    if (injection.times <= 0) injections.splice(index, 1);
    return injection;
  };

  /** Konnect's Verify: a real create through the bridge (dcr_base_url + "/"), with the key it holds. */
  const verify = async (record: FakeProviderRecord): Promise<VerificationRecord> => {
    const providerId = record.provider.id;
    const forced = forcedVerifyFailures.shift();
    if (forced) return { providerId, status: 'failed', errors: forced };
    // What Konnect does for the built-in IdP types is not in the spec (guess: nothing to call here).
    if (record.provider.provider_type !== 'http') return { providerId, status: 'success', errors: [] };
    const base = record.provider.dcr_config.dcr_base_url ?? '';
    // Joining the base URL and "/" this way is a guess; the spec example base has a path (/v1/dcr).
    const url = `${base.replace(/\/+$/, '')}/`;
    const body = createApplicationBody(verifyClientName(), konnectVerificationIds(), []);
    try {
      const answer = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': record.apiKey ?? '' },
        body: JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(verifyTimeoutMs),
      });
      const text = await answer.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      const issued = typeof parsed.client_id === 'string' && typeof parsed.client_secret === 'string';
      if (answer.status >= 200 && answer.status < 300 && issued) {
        return { providerId, status: 'success', errors: [], bridgeStatus: answer.status };
      }
      // The spec's example error, then (guess) what the bridge answered, as the portal shows it.
      const description = typeof parsed.error_description === 'string' ? parsed.error_description : text.slice(0, 200);
      return {
        providerId,
        status: 'failed',
        errors: [VERIFY_FAILED_ERROR, `The DCR server answered ${answer.status}: ${description}`],
        bridgeStatus: answer.status,
      };
    } catch {
      // Guess: unreachable bridges get the generic error only.
      return { providerId, status: 'failed', errors: [VERIFY_FAILED_ERROR] };
    }
  };

  const list = (query: URLSearchParams) => {
    // filter[name][eq] and its alias filter[name] (FilterDcrProvidersByName / ...NameShort).
    const name = query.get('filter[name][eq]') ?? query.get('filter[name]');
    const matching = [...providers.values()].filter((record) => name === null || record.provider.name === name);
    const size = Number(query.get('page[size]') || DEFAULT_PAGE_SIZE);
    const number = Number(query.get('page[number]') || 1);
    if (!Number.isInteger(size) || size < 1 || !Number.isInteger(number) || number < 1) {
      const field = !Number.isInteger(size) || size < 1 ? 'page[size]' : 'page[number]';
      return { status: 400, body: problem(400, 'Invalid parameters', { invalid_parameters: [invalidQuery(field)] }) };
    }
    const data = matching.slice((number - 1) * size, number * size).map(answerOf);
    // PaginatedMeta: {page: {number, size, total}}.
    return { status: 200, body: { data, meta: { page: { number, size, total: matching.length } } } };
  };

  const create = (body: unknown) => {
    const problems = checkCreate(body, options.echoRejectedValues);
    if (problems.length > 0) return badRequest(problems);
    const input = body as {
      name: string;
      display_name?: string;
      issuer: string;
      dcr_config: Record<string, unknown> & { api_key: string };
      labels?: Record<string, string>;
    };
    const { api_key: apiKey, ...config } = input.dcr_config;
    const record = seedProvider(
      {
        name: input.name,
        display_name: input.display_name,
        provider_type: 'http',
        issuer: input.issuer,
        // DcrConfigHttpInResponse, with the documented default of allow_multiple_credentials.
        dcr_config: {
          disable_event_hooks: false,
          disable_refresh_secret: false,
          allow_multiple_credentials: false,
          ...config,
        } as DcrProvider['dcr_config'],
        labels: input.labels ?? {},
      },
      apiKey,
    );
    return { status: 201, body: answerOf(record) };
  };

  const update = (record: FakeProviderRecord, body: unknown) => {
    const problems = checkUpdate(body, options.echoRejectedValues);
    if (problems.length > 0) return badRequest(problems);
    const input = body as {
      name?: string;
      display_name?: string;
      issuer?: string;
      dcr_config?: Record<string, unknown>;
      labels?: Record<string, string | null> | null;
    };
    const { provider } = record;
    if (input.name !== undefined) provider.name = input.name;
    if (input.display_name !== undefined) provider.display_name = input.display_name;
    if (input.issuer !== undefined) provider.issuer = input.issuer;
    if (input.dcr_config) {
      const { api_key: apiKey, ...config } = input.dcr_config;
      if (typeof apiKey === 'string') record.apiKey = apiKey;
      provider.dcr_config = { ...provider.dcr_config, ...config };
    }
    // LabelsUpdate: a null value removes that label (guess: labels: null removes them all).
    if (input.labels === null) provider.labels = {};
    else if (input.labels) {
      const labels = fake.labelsOnPatch === 'replace' ? {} : { ...provider.labels };
      for (const [key, value] of Object.entries(input.labels)) {
        if (value === null) delete labels[key];
        else labels[key] = value;
      }
      provider.labels = labels;
    }
    provider.updated_at = now();
    return { status: 200, body: answerOf(record) };
  };

  const route = async (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    writer: boolean,
  ): Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> => {
    if (path === '/v2/dcr-providers') {
      if (method === 'GET') return list(query);
      if (method === 'POST') return writer ? create(body) : { status: 403, body: problem(403) };
      return { status: 405, body: problem(405, 'Method Not Allowed') };
    }
    const match = /^\/v2\/dcr-providers\/([^/]+)(\/verify)?$/.exec(path);
    if (!match) return { status: 404, body: problem(404) };
    const id = decodeURIComponent(match[1] as string);
    // DcrProviderId is a UUID; what Konnect answers for another string is a guess (400 is_uuid).
    if (!UUID_PATTERN.test(id)) {
      return {
        status: 400,
        body: problem(400, 'Invalid parameters', {
          invalid_parameters: [
            { field: 'dcrProviderId', rule: 'is_uuid', reason: 'must be a valid UUID', source: 'path' },
          ],
        }),
      };
    }
    const record = providers.get(id);
    if (!record) return { status: 404, body: problem(404) };
    if (match[2]) {
      if (method !== 'POST') return { status: 405, body: problem(405, 'Method Not Allowed') };
      if (!writer) return { status: 403, body: problem(403) };
      const result = await verify(record);
      verifications.push(result);
      // VerifyDcrProviderResponse: {status, errors}, additionalProperties: false.
      return { status: 200, body: { status: result.status, errors: result.errors } };
    }
    if (method === 'GET') return { status: 200, body: answerOf(record) };
    if (!writer) return { status: 403, body: problem(403) };
    if (method === 'PATCH') return update(record, body);
    if (method === 'DELETE') {
      providers.delete(id);
      return { status: 204 };
    }
    return { status: 405, body: problem(405, 'Method Not Allowed') };
  };

  const handle = async (request: RecordedRequest, response: http.ServerResponse) => {
    const url = new URL(request.url, 'http://fake-konnect');
    const path = url.pathname;
    const record: KonnectRequestRecord = {
      method: request.method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      status: 0,
    };
    let body: unknown;
    if (request.body !== '') {
      try {
        body = JSON.parse(request.body);
      } catch {
        body = Symbol.for('invalid json');
      }
    }
    record.body = typeof body === 'symbol' ? '[invalid json]' : redactKeys(body);
    requests.push(record);
    const reply = (status: number, answer?: unknown, headers?: Record<string, string>) => {
      record.status = status;
      send(response, status, answer, headers);
    };

    // Authorization: Bearer <token> (securitySchemes personalAccessToken / systemAccountAccessToken).
    const authorization = request.headers.authorization ?? '';
    const bearer = authorization.startsWith('Bearer ') ? authorization.slice(7) : undefined;
    if (bearer !== token && bearer !== readOnlyToken) {
      reply(401, problem(401));
      return;
    }
    const injection = takeInjection(request.method, path);
    if (injection) {
      reply(injection.status, injection.body ?? problem(injection.status), injection.headers);
      return;
    }
    if (typeof body === 'symbol' || (body !== undefined && !request.headers['content-type']?.includes('json'))) {
      reply(400, problem(400, 'Invalid JSON body', { invalid_parameters: [invalidQuery('body')] }));
      return;
    }
    const answer = await route(request.method, path, url.searchParams, body, bearer === token);
    reply(answer.status, answer.body, answer.headers);
  };

  const started = await startLoopbackServer(handle);

  const fake: FakeKonnect = {
    url: `${started.url}/v2`,
    token,
    readOnlyToken,
    providers,
    requests,
    verifications,
    labelsOnPatch: options.labelsOnPatch ?? 'merge',
    apiKeyOf: (providerId) => providers.get(providerId)?.apiKey,
    providerNamed: (name) => [...providers.values()].find((record) => record.provider.name === name),
    seedProvider,
    failNextVerify: (errors = [VERIFY_FAILED_ERROR]) => {
      forcedVerifyFailures.push(errors);
    },
    inject: (injection) => {
      injections.push({ ...injection });
    },
    writes: () =>
      requests.filter(
        (request) =>
          request.status < 400 &&
          (request.method === 'PATCH' ||
            request.method === 'DELETE' ||
            (request.method === 'POST' && request.path === '/v2/dcr-providers')),
      ),
    sendCreate: (providerId) => sendKonnectCreate(fake, providerId),
    startTraffic: (providerId, trafficOptions) => startKonnectTraffic(fake, providerId, trafficOptions),
    close: () => started.close(),
  };
  return fake;
}

const invalidQuery = (field: string): InvalidParameter => ({
  field,
  rule: 'invalid',
  reason: 'is invalid',
  source: 'body',
});

const badRequest = (problems: InvalidParameter[]) => ({
  status: 400,
  // BadRequestError: BaseError + invalid_parameters; the detail text is a guess.
  body: problem(400, 'Invalid parameters', { invalid_parameters: problems }),
});
