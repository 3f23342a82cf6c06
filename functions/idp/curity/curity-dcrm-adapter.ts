import { clientNotFound, idpFailed } from '../../commons/bridge-error';
import type { HttpClient, HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import { type ClientInformation, clientInformation } from '../generic/client-registration';
import type { IdpEndpointResolver } from '../generic/idp-endpoints';
import { registerClient } from '../generic/register-client';
import {
  compensationOperation,
  type IdpAdapter,
  type IssuedClient,
  type NewClient,
  type OperationContext,
  type RotatedSecret,
} from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { idpErrorFromResponse } from '../idp-error';
import { undoCreate } from '../orphans';
import type { CurityManagementApi } from './curity-management-api';
import { curityRedirectUriUpdateRefused } from './curity-redirect-uris';

// Statuses that mean "Curity has no such client". A 401 does not, even after the token was renewed:
// Curity does not document it for unknown clients, and a client must never be called gone unseen.
const GONE = new Set([404, 410]);

/**
 * Curity's DCR with a one-time "dcr" token per registration and a "dcrm" token to manage every
 * registered client (https://curity.io/resources/learn/dynamic-client-registration-management/).
 * Curity issues a new client secret on every management read or update, which makes the read the
 * rotation, and makes the bridge refuse redirect URI updates (see curityRedirectUriUpdateRefused).
 */
export class CurityDcrmAdapter implements IdpAdapter {
  readonly name = 'curity';

  constructor(
    private readonly dcrScope: string,
    private readonly http: HttpClient,
    private readonly endpoints: IdpEndpointResolver,
    private readonly management: CurityManagementApi,
    private readonly credentials: () => Promise<IdpCredentials>,
  ) {}

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    // The dcrm token first: the bridge never registers a client it could not remove.
    await this.management.authenticate(context);
    const info = await registerClient(
      {
        name: this.name,
        http: this.http,
        endpoints: this.endpoints,
        credentials: this.credentials,
        initialTokenScope: this.dcrScope,
      },
      client,
      context,
    );
    if (!info.client_secret) {
      const removed = await this.compensate(info.client_id);
      throw idpFailed(
        `The identity provider (curity) issued no client_secret. ${removed ? 'The bridge removed the client again.' : `The bridge could not remove client ${info.client_id}; delete it in Curity.`}`,
      );
    }
    return {
      clientId: info.client_id,
      clientSecret: info.client_secret,
      clientIdIssuedAt: info.client_id_issued_at,
      clientSecretExpiresAt: info.client_secret_expires_at,
    };
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    const response = await this.management.delete(clientId, context);
    if (response.status === 200 || response.status === 204) return;
    if (response.status === 401) {
      // The bearer client has renewed the dcrm token once already; Curity still refuses.
      throw idpFailed(
        `The identity provider (curity) answered 401 to deleting client ${clientId} even with a renewed "dcrm" token, so the bridge cannot tell whether the client is gone. Check that the bridge's client may still obtain the dcrm scope, and delete client ${clientId} in Curity by hand if it still exists (the bridge keeps no state for it in this mode).`,
      );
    }
    if (!GONE.has(response.status)) {
      throw idpErrorFromResponse(this.name, 'the client deletion', response.status, response.body);
    }
    logger.info('Curity has no such client; nothing to delete', { client_id: clientId });
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    const current = await this.read(clientId, context);
    if (!current.client_secret) {
      throw idpFailed(
        'The identity provider (curity) answered the management read without a client_secret, so it issued no new one; this Curity version does not rotate secrets on read. Turn on "Disable refresh secret" in the Konnect DCR provider.',
      );
    }
    return { clientId, clientSecret: current.client_secret, clientSecretExpiresAt: current.client_secret_expires_at };
  }

  async updateRedirectUris(clientId: string): Promise<void> {
    throw curityRedirectUriUpdateRefused(clientId);
  }

  // Curity has no per-API grant to change, and checking the client would rotate its secret.
  async addRegistration(): Promise<void> {}

  async removeRegistration(): Promise<void> {}

  private async read(clientId: string, context: OperationContext): Promise<ClientInformation> {
    return this.clientFrom(await this.management.read(clientId, context), clientId, 'the management read');
  }

  private clientFrom(response: HttpResponse, clientId: string, operation: string): ClientInformation {
    if (GONE.has(response.status)) throw clientNotFound(clientId);
    if (response.status !== 200) throw idpErrorFromResponse(this.name, operation, response.status, response.body);
    const parsed = clientInformation.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== clientId) {
      throw idpFailed(`The identity provider (curity) answered ${operation} with an unexpected body.`);
    }
    return parsed.data;
  }

  /** Undoes a registration the bridge cannot hand to Konnect; leaves an error log if that fails. */
  private async compensate(clientId: string): Promise<boolean> {
    return undoCreate('curity', clientId, 'the IdP', async () => {
      const response = await this.management.delete(clientId, compensationOperation());
      if (response.status >= 300 && response.status !== 404) throw new Error(`Curity answered ${response.status}`);
    });
  }
}
