import { BridgeError, idpFailed } from '../../commons/bridge-error';
import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import { BearerClient } from '../oauth/bearer-client';
import type { ManagementToken } from '../oauth/management-token';

export interface GraphRequest {
  method: HttpRequest['method'];
  /** Path below {graph}/v1.0, every id in it already percent-encoded. */
  path: string;
  json?: unknown;
}

/**
 * Microsoft Graph v1.0 with the bridge's app-only token (renewed once after a 401). Failures of the
 * token request itself are marked, so callers know no Graph request was sent.
 */
export class GraphClient {
  private readonly bearer: BearerClient;

  constructor(
    private readonly apiUrl: string,
    http: HttpClient,
    token: ManagementToken,
  ) {
    this.bearer = new BearerClient(http, {
      get: (operation) =>
        token.get(operation).catch((error: unknown) => {
          throw tokenFailure(error);
        }),
      invalidate: (refused) => token.invalidate(refused),
    });
  }

  call(request: GraphRequest, context: OperationContext): Promise<HttpResponse> {
    return this.bearer.call(
      { method: request.method, url: `${this.apiUrl}${request.path}`, json: request.json },
      context,
    );
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
    !error.description.includes('IDP_ENTRA_TENANT_ID')
  ) {
    failure = idpFailed(`${error.description} Entra: check client_id, client_secret and IDP_ENTRA_TENANT_ID.`, error);
  }
  if (typeof failure === 'object' && failure !== null) tokenFailures.add(failure);
  return failure;
}

/** Graph's alternate key for applications and service principals: the appId (client id). */
export const byAppId = (appId: string) => `(appId='${encodeURIComponent(appId)}')`;
