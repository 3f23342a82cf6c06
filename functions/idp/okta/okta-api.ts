import { BridgeError } from '../../commons/bridge-error';
import { type HttpClient, type HttpRequest, type HttpResponse, mayHaveReachedIdp } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { OktaAuthorization } from './okta-authorization';
import { oktaErrorOf } from './okta-error';

/**
 * Okta's Dynamic Client Registration API, one method per documented operation. Every URL is built
 * from the configured org URL, and every client id is percent-encoded into the path.
 * https://developer.okta.com/docs/reference/api/oauth-clients/
 */
export class OktaClientsApi {
  private readonly clientsUrl: string;

  constructor(
    orgUrl: string,
    private readonly http: HttpClient,
    private readonly authorization: OktaAuthorization,
  ) {
    this.clientsUrl = `${orgUrl}/oauth2/v1/clients`;
  }

  get hints() {
    return this.authorization.hints;
  }

  create(body: Record<string, unknown>, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'POST', url: this.clientsUrl, json: body }, context);
  }

  read(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'GET', url: this.clientUrl(clientId) }, context);
  }

  replace(clientId: string, body: Record<string, unknown>, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'PUT', url: this.clientUrl(clientId), json: body }, context);
  }

  remove(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'DELETE', url: this.clientUrl(clientId) }, context);
  }

  newSecret(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'POST', url: `${this.clientUrl(clientId)}/lifecycle/newSecret` }, context);
  }

  /** Okta's `q` is a startsWith search on client_name; callers filter for the exact name. */
  findByName(clientName: string, context: OperationContext): Promise<HttpResponse> {
    const query = new URLSearchParams({ q: clientName, limit: '200' });
    return this.call({ method: 'GET', url: `${this.clientsUrl}?${query}` }, context);
  }

  private clientUrl(clientId: string): string {
    return `${this.clientsUrl}/${encodeURIComponent(clientId)}`;
  }

  /**
   * One authorized call. A cached OAuth token that Okta refuses (revoked, or its grants changed) is
   * renewed and the call repeated once; a 401 proves Okta did nothing, so this is safe for a create.
   */
  private async call(request: HttpRequest, context: OperationContext): Promise<HttpResponse> {
    const first = await this.authorization.header(context);
    const response = await this.send(request, first.value, context);
    if (response.status !== 401 || !first.renewable || oktaErrorOf(response.body).code === 'invalid_client') {
      return response;
    }
    this.authorization.invalidate();
    const renewed = await this.authorization.header(context);
    return this.send(request, renewed.value, context);
  }

  private async send(request: HttpRequest, authorization: string, context: OperationContext): Promise<HttpResponse> {
    try {
      return await this.http.call({ ...request, headers: { ...request.headers, authorization } }, context);
    } catch (error) {
      // A timeout or a dropped connection once the request may have reached Okta (not a 429's 503,
      // nor a connection that never opened).
      const lost = error instanceof BridgeError && (error.statusCode === 502 || error.statusCode === 504);
      if (lost && mayHaveReachedIdp(error)) {
        throw new UnknownOutcomeError(error);
      }
      throw error;
    }
  }
}

/**
 * Okta may or may not have done what was asked: the answer never arrived. Answered to Konnect like
 * the transport failure it wraps; a create uses it to look for a client it may have left behind.
 */
export class UnknownOutcomeError extends BridgeError {
  constructor(failure: BridgeError) {
    super(failure.statusCode, failure.error, failure.description, { cause: failure.cause });
  }
}
