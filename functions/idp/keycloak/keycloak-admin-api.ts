import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import { BearerClient } from '../oauth/bearer-client';
import type { ManagementToken } from '../oauth/management-token';
import type { KeycloakUrls } from './keycloak-urls';

/** Keycloak's answer to a create, or the failure that left its outcome unknown. */
export type CreateOutcome = { response: HttpResponse } | { lost: unknown };

/**
 * Calls Keycloak's Admin REST API with the service account's cached token (renewed once after a
 * 401). https://www.keycloak.org/docs-api/latest/rest-api/index.html
 */
export class KeycloakAdminApi {
  private readonly bearer: BearerClient;

  constructor(
    private readonly urls: KeycloakUrls,
    http: HttpClient,
    private readonly token: ManagementToken,
  ) {
    this.bearer = new BearerClient(http, token);
  }

  /**
   * Creates a client. A transport failure (timeout, dropped connection) comes back as `lost`
   * rather than thrown: Keycloak may or may not have created the client, unlike a refused token.
   */
  async createClient(representation: Record<string, unknown>, context: OperationContext): Promise<CreateOutcome> {
    // A refused or unreachable token endpoint throws here: nothing was sent, nothing created.
    await this.token.get(context);
    return this.call({ method: 'POST', url: this.urls.clients, json: representation }, context).then(
      (response) => ({ response }),
      (error: unknown) => ({ lost: error }),
    );
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

  private call(request: HttpRequest, context: OperationContext): Promise<HttpResponse> {
    return this.bearer.call(request, context);
  }
}
