import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { ManagementToken } from '../oauth/management-token';
import type { KeycloakUrls } from './keycloak-urls';

/** Keycloak's answer to a create, or the failure that left its outcome unknown. */
export type CreateOutcome = { response: HttpResponse } | { lost: unknown };

/**
 * Calls Keycloak's Admin REST API with the service account's cached token. A 401 means the token
 * died early (revoked, realm keys rotated, Keycloak restarted with new keys): it is dropped and
 * the call made once more with a fresh one; a 401 proves the call did nothing, so even a create
 * is safe to repeat. https://www.keycloak.org/docs-api/latest/rest-api/index.html
 */
export class KeycloakAdminApi {
  constructor(
    private readonly urls: KeycloakUrls,
    private readonly http: HttpClient,
    private readonly token: ManagementToken,
  ) {}

  /**
   * Creates a client. A transport failure (timeout, dropped connection) comes back as `lost`
   * rather than thrown: Keycloak may or may not have created the client, unlike a refused token.
   */
  async createClient(representation: Record<string, unknown>, context: OperationContext): Promise<CreateOutcome> {
    const request: HttpRequest = { method: 'POST', url: this.urls.clients, json: representation };
    const attempt = async (): Promise<CreateOutcome> => {
      const authorized = await this.authorized(request, context);
      return this.http.call(authorized, context).then(
        (response) => ({ response }),
        (error: unknown) => ({ lost: error }),
      );
    };
    const first = await attempt();
    if ('lost' in first || first.response.status !== 401) return first;
    this.token.invalidate();
    return attempt();
  }

  findClients(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'GET', url: this.urls.clientsByClientId(clientId) }, context);
  }

  updateClient(id: string, representation: Record<string, unknown>, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'PUT', url: this.urls.client(id), json: representation }, context);
  }

  deleteClient(id: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'DELETE', url: this.urls.client(id) }, context);
  }

  readSecret(id: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'GET', url: this.urls.clientSecret(id) }, context);
  }

  /** Keycloak generates the new secret; the old one stops working at once (no rotation policy). */
  regenerateSecret(id: string, context: OperationContext): Promise<HttpResponse> {
    return this.call({ method: 'POST', url: this.urls.clientSecret(id) }, context);
  }

  private async call(request: HttpRequest, context: OperationContext): Promise<HttpResponse> {
    const response = await this.send(request, context);
    if (response.status !== 401) return response;
    this.token.invalidate();
    return this.send(request, context);
  }

  private async send(request: HttpRequest, context: OperationContext): Promise<HttpResponse> {
    return this.http.call(await this.authorized(request, context), context);
  }

  private async authorized(request: HttpRequest, context: OperationContext): Promise<HttpRequest> {
    const token = await this.token.get(context);
    return { ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } };
  }
}
