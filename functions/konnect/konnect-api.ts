import { systemCodeOf } from '../commons/error-chain';
import { rememberSecret } from '../commons/known-secrets';
import { AnswerTooLargeError, ConnectionNotOpenedError, sendNodeHttpRequest } from '../commons/node-http-request';
import { parseJsonOrUndefined } from '../commons/parse-json';
import { rateLimitWaitMs, waitFor } from '../commons/rate-limit';
import { REDACTED, redactSecretValues } from '../commons/redaction';
import type {
  CreateHttpDcrProvider,
  DcrProvider,
  DcrProviderApi,
  DcrProviderVerification,
  UpdateHttpDcrProvider,
} from './dcr-provider';
import { KonnectApiError } from './konnect-api-error';

/**
 * Konnect's DCR-provider endpoints (Application Auth Strategies API v2, Kong/developer.konghq.com
 * api-specs/konnect/application-auth-strategies/v2/openapi.yaml) over node:https, the stack the
 * AWS SDK loads anyway. Redirects are never followed (they would carry the token elsewhere);
 * every call is bounded in time and size; a 429 is waited out when Konnect's Retry-After fits.
 * No error text ever contains the token or an API key sent.
 */

export interface KonnectApiOptions {
  /** From konnectApiUrl(): e.g. https://eu.api.konghq.com/v2. */
  baseUrl: string;
  /** A personal or system-account access token (Bearer). */
  token: string;
  /** Bound of one HTTP exchange. Verify makes a real create through the bridge, so not too short. @default 30000 */
  callTimeoutMs?: number;
  /** Bound of one operation including rate-limit waits. @default 90000 */
  operationTimeoutMs?: number;
  /** An overall deadline for every call (e.g. the Lambda's remaining time). */
  signal?: AbortSignal;
  /** Retries after a 429. @default 3 */
  maxRateLimitRetries?: number;
}

/** Largest answer read: a page of providers is a few kB. */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** Providers asked for when finding one by name; more than one match is refused anyway. */
const FIND_PAGE_SIZE = 10;

export class KonnectRequestError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KonnectRequestError';
  }
}

/** Several providers carry the name: the bridge will not guess which one it owns. */
export class AmbiguousProviderError extends Error {
  constructor(
    readonly providerName: string,
    readonly ids: string[],
  ) {
    super(
      `Konnect has ${ids.length} DCR providers named "${providerName}" (${ids.join(', ')}); rename or delete all but one`,
    );
    this.name = 'AmbiguousProviderError';
  }
}

interface Exchange {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  expect: number;
}

export class KonnectApi implements DcrProviderApi {
  private readonly baseUrl: string;
  private readonly secrets = new Set<string>();

  constructor(private readonly options: KonnectApiOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.remember(options.token);
  }

  async findByName(name: string): Promise<DcrProvider | undefined> {
    const query = `filter[name][eq]=${encodeURIComponent(name)}&page[size]=${FIND_PAGE_SIZE}`;
    const page = (await this.call({ method: 'GET', path: `/dcr-providers?${query}`, expect: 200 })) as {
      data?: DcrProvider[];
    };
    // Exact match only, whatever the server's filter does with case or spaces.
    const matches = (page.data ?? []).filter((provider) => provider.name === name);
    if (matches.length > 1)
      throw new AmbiguousProviderError(
        name,
        matches.map((provider) => provider.id),
      );
    return matches[0];
  }

  async get(id: string): Promise<DcrProvider> {
    return (await this.call({ method: 'GET', path: this.providerPath(id), expect: 200 })) as DcrProvider;
  }

  async create(body: CreateHttpDcrProvider): Promise<DcrProvider> {
    this.remember(body.dcr_config.api_key);
    return (await this.call({ method: 'POST', path: '/dcr-providers', body, expect: 201 })) as DcrProvider;
  }

  async update(id: string, body: UpdateHttpDcrProvider): Promise<DcrProvider> {
    this.remember(body.dcr_config?.api_key);
    return (await this.call({ method: 'PATCH', path: this.providerPath(id), body, expect: 200 })) as DcrProvider;
  }

  async remove(id: string): Promise<void> {
    await this.call({ method: 'DELETE', path: this.providerPath(id), expect: 204 });
  }

  async verify(id: string): Promise<DcrProviderVerification> {
    const answer = (await this.call({ method: 'POST', path: `${this.providerPath(id)}/verify`, expect: 200 })) as {
      status?: unknown;
      errors?: unknown;
    };
    const errors = Array.isArray(answer.errors) ? answer.errors.map((error) => this.redact(String(error))) : [];
    return { status: answer.status === 'success' ? 'success' : 'failed', errors };
  }

  private providerPath(id: string): string {
    return `/dcr-providers/${encodeURIComponent(id)}`;
  }

  private remember(secret: string | undefined): void {
    if (!secret) return;
    this.secrets.add(secret);
    // The logger masks it too (known-secrets.ts), should any line ever quote it.
    rememberSecret(secret);
  }

  /** Every text that leaves this class passes here. */
  private redact(text: string): string {
    let result = text;
    for (const secret of this.secrets) result = result.split(secret).join(REDACTED);
    return redactSecretValues(result);
  }

  private async call(exchange: Exchange): Promise<unknown> {
    const operation = AbortSignal.timeout(this.options.operationTimeoutMs ?? 90_000);
    const deadline = this.options.signal ? AbortSignal.any([operation, this.options.signal]) : operation;
    const maxRetries = this.options.maxRateLimitRetries ?? 3;
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.send(exchange, deadline);
      if (answer.status === 429 && attempt < maxRetries) {
        const waitMs = rateLimitWaitMs(answer.headers, attempt);
        await waitFor(waitMs, deadline).catch(() => {
          throw new KonnectRequestError(
            `Konnect is rate-limiting these calls (asked to wait ${Math.ceil(waitMs / 1000)} s, past the time allowed); try again later`,
          );
        });
        continue;
      }
      if (answer.status === exchange.expect) return answer.body;
      throw this.toError(answer.status, answer.body, answer.text);
    }
  }

  private async send(exchange: Exchange, deadline: AbortSignal) {
    const url = `${this.baseUrl}${exchange.path}`;
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.token}`,
      accept: 'application/json, application/problem+json',
      'accept-encoding': 'identity',
      'user-agent': 'dcr-bridge',
    };
    let body: string | undefined;
    if (exchange.body !== undefined) {
      body = JSON.stringify(exchange.body);
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const timeoutMs = this.options.callTimeoutMs ?? 30_000;
    const signal = AbortSignal.any([deadline, AbortSignal.timeout(timeoutMs)]);
    const what = `${exchange.method} ${this.baseUrl}${exchange.path.replace(/\?.*$/, '')}`;
    try {
      const answer = await sendNodeHttpRequest({ method: exchange.method, url, headers, body, signal });
      if (answer.status >= 300 && answer.status < 400) {
        answer.discard();
        throw new KonnectRequestError(
          `Konnect answered ${answer.status} (a redirect) to ${what}; redirects are not followed: check the Konnect API URL`,
        );
      }
      const text = await answer.read(MAX_ANSWER_BYTES);
      return { status: answer.status, headers: answer.headers, body: parseJsonOrUndefined(text), text };
    } catch (error) {
      if (error instanceof KonnectRequestError) throw error;
      if (error instanceof AnswerTooLargeError) {
        throw new KonnectRequestError(`Konnect's answer to ${what} was larger than 1 MiB`);
      }
      if (signal.aborted) {
        throw new KonnectRequestError(`Konnect did not answer ${what} in time`, { cause: error });
      }
      const reached = error instanceof ConnectionNotOpenedError ? 'could not be reached' : 'closed the connection';
      // Node's own message names only the host and the system error, never a header.
      const reason = error instanceof Error ? `: ${this.redact(systemCodeOf(error) ?? error.message)}` : '';
      throw new KonnectRequestError(`Konnect ${reached} for ${what}${reason}`, { cause: error });
    }
  }

  private toError(status: number, body: unknown, text: string): KonnectApiError {
    const problem = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const field = (name: string) => (typeof problem[name] === 'string' ? this.redact(problem[name] as string) : '');
    const invalid = Array.isArray(problem.invalid_parameters)
      ? problem.invalid_parameters.map((item) => {
          const { field: name, reason } = (item ?? {}) as { field?: unknown; reason?: unknown };
          return this.redact(`${String(name ?? '?')}: ${String(reason ?? 'invalid')}`);
        })
      : [];
    const detail = field('detail') || (body === undefined && text.trim() ? this.redact(text.trim().slice(0, 200)) : '');
    return new KonnectApiError(
      status,
      field('title') || `HTTP ${status}`,
      detail || 'no details',
      field('instance') || undefined,
      invalid,
    );
  }
}
