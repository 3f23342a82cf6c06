import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OperationContext } from '../idp-adapter';
import type { ManagementToken } from '../oauth/management-token';

export interface ManagementRequest {
  method: HttpRequest['method'];
  /** Path below /api/v2 with every parameter already passed through encodeURIComponent. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
}

/**
 * The Auth0 Management API v2 on the configured tenant URL, called with the cached management
 * token. A 401 means the token was revoked or expired early: it is renewed and the call repeated
 * once; Auth0 checks the token before doing anything, so even a create is safe to repeat.
 */
export class Auth0ManagementApi {
  /** The last token handed out, so a late 401 for an older token does not discard a fresh one. */
  private latestToken?: string;

  constructor(
    private readonly baseUrl: string,
    private readonly http: HttpClient,
    private readonly token: ManagementToken,
  ) {}

  async call(request: ManagementRequest, context: OperationContext): Promise<HttpResponse> {
    const url = this.url(request);
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.token.get(context);
      this.latestToken = token;
      const response = await this.http.call(
        { method: request.method, url, json: request.json, headers: { authorization: `Bearer ${token}` } },
        context,
      );
      if (response.status !== 401 || attempt > 0) return response;
      logger.warn('Auth0 refused the management token; renewing it and retrying once');
      if (token === this.latestToken) this.token.invalidate();
    }
  }

  private url({ path, query }: ManagementRequest): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}/api/v2${path}${search}`;
  }
}

export const clientPath = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;
export const clientGrantPath = (grantId: string) => `/client-grants/${encodeURIComponent(grantId)}`;
