import { BridgeError, idpFailed } from '../../commons/bridge-error';
import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OperationContext } from '../idp-adapter';
import type { ManagementToken } from '../oauth/management-token';

export interface GraphRequest {
  method: HttpRequest['method'];
  /** Path below {graph}/v1.0, every id in it already percent-encoded. */
  path: string;
  json?: unknown;
}

/**
 * Microsoft Graph v1.0 with the bridge's app-only token. Every call goes through http.call (deadline,
 * 429 with Retry-After); a refused token (revoked, or the app's consent changed) is renewed once,
 * which is safe because Graph did nothing with the refused request.
 */
export class GraphClient {
  constructor(
    private readonly apiUrl: string,
    private readonly http: HttpClient,
    private readonly token: ManagementToken,
  ) {}

  async call(request: GraphRequest, context: OperationContext): Promise<HttpResponse> {
    const response = await this.send(request, context);
    if (response.status !== 401) return response;
    logger.warn('Microsoft Graph refused the cached token; renewing it once');
    this.token.invalidate();
    return this.send(request, context);
  }

  private async send(request: GraphRequest, context: OperationContext): Promise<HttpResponse> {
    const token = await this.accessToken(context);
    return this.http.call(
      {
        method: request.method,
        url: `${this.apiUrl}${request.path}`,
        headers: { authorization: `Bearer ${token}` },
        json: request.json,
      },
      context,
    );
  }

  private async accessToken(context: OperationContext): Promise<string> {
    try {
      return await this.token.get(context);
    } catch (error) {
      throw tokenFailure(error);
    }
  }
}

/** Errors of the bridge's own token request: no Graph request was sent when one is thrown. */
const tokenFailures = new WeakSet<object>();

export const isTokenFailure = (error: unknown) =>
  typeof error === 'object' && error !== null && tokenFailures.has(error);

function tokenFailure(error: unknown): unknown {
  let failure = error;
  // AADSTS errors come from the token endpoint refusing the bridge's own app or tenant
  // (AADSTS7000215 wrong secret, 7000222 expired secret, 700016 unknown app, 90002 unknown tenant).
  if (
    error instanceof BridgeError &&
    error.statusCode === 502 &&
    error.description.includes('AADSTS') &&
    !error.description.includes('credentials')
  ) {
    failure = idpFailed(
      `${error.description} Check the bridge's Entra credentials (client_id, client_secret) and IDP_ENTRA_TENANT_ID.`,
      error,
    );
  }
  if (typeof failure === 'object' && failure !== null) tokenFailures.add(failure);
  return failure;
}

/** Graph's alternate key for applications and service principals: the appId (client id). */
export const byAppId = (appId: string) => `(appId='${encodeURIComponent(appId)}')`;
