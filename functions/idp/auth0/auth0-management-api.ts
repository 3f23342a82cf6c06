import type { HttpRequest, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { BearerClient } from '../oauth/bearer-client';

export interface ManagementRequest {
  method: HttpRequest['method'];
  /** Path below /api/v2 with every parameter already passed through encodeURIComponent. */
  path: string;
  query?: Record<string, string>;
  json?: unknown;
}

/** The Auth0 Management API v2 on the configured tenant URL, called with the cached management token. */
export class Auth0ManagementApi {
  constructor(
    private readonly baseUrl: string,
    private readonly bearer: BearerClient,
  ) {}

  call(request: ManagementRequest, context: OperationContext): Promise<HttpResponse> {
    return this.bearer.call({ method: request.method, url: this.url(request), json: request.json }, context);
  }

  private url({ path, query }: ManagementRequest): string {
    const search = query ? `?${new URLSearchParams(query).toString()}` : '';
    return `${this.baseUrl}/api/v2${path}${search}`;
  }
}

export const clientPath = (clientId: string) => `/clients/${encodeURIComponent(clientId)}`;
export const clientGrantPath = (grantId: string) => `/client-grants/${encodeURIComponent(grantId)}`;
