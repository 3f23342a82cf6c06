import { type HttpClient, type HttpRequest, type HttpResponse, mayHaveReachedIdp } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import { type AccessTokenSource, BearerClient } from '../oauth/bearer-client';

export interface ManagementRequest {
  method: HttpRequest['method'];
  /** Path below /api/v2 with every parameter already passed through encodeURIComponent. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
}

/** Auth0's answer to a create, or its failure and whether Auth0 may have stored the client anyway. */
export type CreateOutcome = { response: HttpResponse } | { failure: unknown; maybeCreated: boolean };

/** The Auth0 Management API v2 on the configured tenant URL, called with the cached management token. */
export class Auth0ManagementApi {
  private readonly bearer: BearerClient;
  /** Failures of the bridge's own token requests: a call that failed there never reached the API. */
  private readonly tokenFailures = new WeakSet<object>();

  constructor(
    private readonly baseUrl: string,
    http: HttpClient,
    token: AccessTokenSource,
  ) {
    this.bearer = new BearerClient(http, {
      get: (operation) =>
        token.get(operation).catch((error: unknown) => {
          if (typeof error === 'object' && error !== null) this.tokenFailures.add(error);
          throw error;
        }),
      invalidate: (refused) => token.invalidate(refused),
    });
  }

  call(request: ManagementRequest, context: OperationContext): Promise<HttpResponse> {
    return this.bearer.call({ method: request.method, url: this.url(request), json: request.json }, context);
  }

  /**
   * `POST /clients`. A failure says whether the client may exist anyway: a timeout or a dropped
   * connection may come after Auth0 stored it; a refused token or a rate limit come before.
   */
  async createClient(json: Record<string, unknown>, context: OperationContext): Promise<CreateOutcome> {
    try {
      return { response: await this.call({ method: 'POST', path: '/clients', json }, context) };
    } catch (failure) {
      const tokenFailed = typeof failure === 'object' && failure !== null && this.tokenFailures.has(failure);
      return { failure, maybeCreated: !tokenFailed && mayHaveReachedIdp(failure) };
    }
  }

  private url({ path, query }: ManagementRequest): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}/api/v2${path}${search}`;
  }
}

export const clientPath = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;
export const clientGrantPath = (grantId: string) => `/client-grants/${encodeURIComponent(grantId)}`;
