import type { HttpClient, HttpRequest, HttpResponse } from '../../commons/http-client';
import type { IdpEndpointResolver } from '../generic/idp-endpoints';
import type { OperationContext } from '../idp-adapter';
import { BearerClient } from '../oauth/bearer-client';
import type { ManagementToken } from '../oauth/management-token';

/**
 * RFC 7592 management of any dynamically registered client with one "dcrm"-scoped token.
 * Curity's client configuration endpoint is the registration endpoint followed by the client id
 * (https://curity.io/resources/learn/dynamic-client-registration-management/), so the bridge
 * builds it and keeps no per-client token.
 */
export class CurityManagementApi {
  private readonly bearer: BearerClient;

  constructor(
    private readonly endpoints: IdpEndpointResolver,
    http: HttpClient,
    private readonly token: ManagementToken,
  ) {
    this.bearer = new BearerClient(http, token);
  }

  /** Obtains (or reuses) the dcrm token, so the bridge never registers what it could not remove. */
  async authenticate(context: OperationContext): Promise<void> {
    await this.token.get(context);
  }

  read(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call('GET', clientId, undefined, context);
  }

  update(clientId: string, metadata: Record<string, unknown>, context: OperationContext): Promise<HttpResponse> {
    return this.call('PUT', clientId, metadata, context);
  }

  delete(clientId: string, context: OperationContext): Promise<HttpResponse> {
    return this.call('DELETE', clientId, undefined, context);
  }

  private async call(
    method: HttpRequest['method'],
    clientId: string,
    json: unknown,
    context: OperationContext,
  ): Promise<HttpResponse> {
    const { registrationEndpoint } = await this.endpoints.resolve(context);
    const url = `${registrationEndpoint.replace(/\/+$/, '')}/${encodeURIComponent(clientId)}`;
    return this.bearer.call({ method, url, json }, context);
  }
}
