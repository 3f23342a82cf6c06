import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OperationContext } from '../idp-adapter';

/** A cached access token for an IdP's management API (see ManagementToken). */
export interface AccessTokenSource {
  get(operation: OperationContext): Promise<string>;
  invalidate(refused?: string): void;
}

/**
 * Calls an IdP's management API with the bridge's cached bearer token. A 401 means the token died
 * early (revoked, keys rotated): it is renewed and the call made once more. The API checks the
 * token before doing anything, so even a create is safe to repeat after a 401.
 */
export class BearerClient {
  constructor(
    private readonly http: HttpClient,
    private readonly token: AccessTokenSource,
  ) {}

  async call(request: HttpRequest, operation: OperationContext): Promise<HttpResponse> {
    for (let attempt = 0; ; attempt += 1) {
      const token = await this.token.get(operation);
      const response = await this.http.call(
        { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } },
        operation,
      );
      if (response.status !== 401 || attempt > 0) return response;
      logger.warn('The identity provider refused the management token; renewing it and retrying once');
      this.token.invalidate(token);
    }
  }
}
