import { BridgeError, idpFailed } from '../../commons/bridge-error';
import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import { BearerClient } from '../oauth/bearer-client';
import type { ManagementToken } from '../oauth/management-token';
import { tokenErrorAdvice } from './token-error-advice';

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
  const failure = error instanceof BridgeError ? withAdvice(error) : error;
  if (typeof failure === 'object' && failure !== null) tokenFailures.add(failure);
  return failure;
}

/**
 * AADSTS errors come from the token endpoint refusing the bridge's own request: its app, secret,
 * tenant or scope. The advice names the one the code is about, once.
 */
function withAdvice(error: BridgeError): BridgeError {
  const advice = error.statusCode === 502 ? tokenErrorAdvice(error.description) : undefined;
  if (!advice || error.description.includes(advice)) return error;
  return idpFailed(`${error.description} ${advice}`, error);
}

/** Graph's alternate key for applications and service principals: the appId (client id). */
export const byAppId = (appId: string) => `(appId='${encodeURIComponent(appId)}')`;
