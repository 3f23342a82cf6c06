import { clientNotFound, idpFailed } from '../../commons/bridge-error';
import type { HttpClient, HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OwnershipLedger } from '../../store/ownership-ledger';
import { type ClientInformation, clientInformation, issuedClientFrom } from '../generic/client-registration';
import type { IdpEndpointResolver } from '../generic/idp-endpoints';
import { registerClient } from '../generic/register-client';
import {
  type ApiRegistrationChange,
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
import { MANAGED_BY, type Ownership } from '../ownership';
import { RecordedOwnership } from '../recorded-ownership';
import type { CurityManagementApi } from './curity-management-api';
import { curityRedirectUriUpdateRefused } from './curity-redirect-uris';

// Statuses that mean "Curity has no such client". A 401 does not, even after the token was renewed:
// Curity does not document it for unknown clients, and a client must never be called gone unseen.
const GONE = new Set([404, 410]);

/**
 * The bridge's mark on its registrations, a custom client property (Curity stores "any non standard
 * parameter" of a registration as one:
 * https://curity.io/docs/identity-server/profiles/token-profile/clients/dcr/dcr-api). It only tells
 * people in Curity which clients are Konnect's: checking it would take a management read, which
 * issues the client a new secret, so ownership is the bridge's own record instead.
 */
export const MARK_PROPERTY = 'konnect_managed_by';

/**
 * Curity's DCR with a one-time "dcr" token per registration and a "dcrm" token to manage every
 * registered client (https://curity.io/resources/learn/dynamic-client-registration-management/).
 * Curity issues a new client secret on every management read or update, which makes the read the
 * rotation, and makes the bridge refuse redirect URI updates (see curityRedirectUriUpdateRefused).
 * The dcrm token reaches every dynamic client of the profile, so the bridge records each client it
 * creates and calls Curity about no other (not even to read it, since a read rotates its secret).
 */
export class CurityDcrmAdapter implements IdpAdapter {
  readonly name = 'curity';

  private readonly records: RecordedOwnership;

  constructor(
    private readonly dcrScope: string,
    private readonly http: HttpClient,
    private readonly endpoints: IdpEndpointResolver,
    private readonly management: CurityManagementApi,
    private readonly credentials: () => Promise<IdpCredentials>,
    private readonly ownership: Ownership,
    ledger: OwnershipLedger,
  ) {
    this.records = new RecordedOwnership(ledger, ownership, 'in Curity', (clientId) => this.compensate(clientId));
  }

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
        metadata: { [MARK_PROPERTY]: MANAGED_BY },
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
    if (info[MARK_PROPERTY] !== MANAGED_BY) {
      logger.warn("Curity did not keep the bridge's mark on the new client; the bridge manages it by its own record", {
        client_id: info.client_id,
        property: MARK_PROPERTY,
      });
    }
    await this.records.recordCreated(info.client_id);
    return issuedClientFrom(info, info.client_secret);
  }

  /** Deletes at Curity only a client the bridge recorded, then its record (a retry after a lost answer sees 404). */
  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (await this.ownership.isBridgeItself(clientId)) {
      return this.ownership.deleteRefused(clientId, "the bridge's own credentials");
    }
    if (!(await this.records.mayDelete(clientId))) return;
    const response = await this.management.delete(clientId, context);
    if (response.status === 401) throw refusedDcrm(clientId);
    if (GONE.has(response.status)) {
      logger.info('Curity has no such client any more; removing its record', { client_id: clientId });
    } else if (response.status !== 200 && response.status !== 204) {
      throw idpErrorFromResponse(this.name, 'the client deletion', response.status, response.body);
    }
    await this.records.forget(clientId);
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    await this.requireOwned(clientId);
    const current = await this.read(clientId, context);
    if (!current.client_secret) {
      throw idpFailed(
        'The identity provider (curity) answered the management read without a client_secret, so it issued no new one; this Curity version does not rotate secrets on read. Turn on "Disable refresh secret" in the Konnect DCR provider.',
      );
    }
    return { clientId, clientSecret: current.client_secret, clientSecretExpiresAt: current.client_secret_expires_at };
  }

  // Another party's client is answered like an unknown one, not with the refusal.
  async updateRedirectUris(clientId: string): Promise<void> {
    await this.requireOwned(clientId);
    throw curityRedirectUriUpdateRefused(clientId);
  }

  // Curity has no per-API grant to change: the client only has to be the bridge's.
  async addRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.requireOwned(change.clientId);
  }

  async removeRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.requireOwned(change.clientId);
  }

  /** The ownership rule, from the bridge's own record: no call to Curity decides it. */
  private async requireOwned(clientId: string): Promise<void> {
    await this.ownership.refuseBridgeItself(clientId);
    await this.records.requireOwned(clientId);
  }

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

/** A 401 the bearer client already answered by renewing the dcrm token: the client's state is unknown. */
function refusedDcrm(clientId: string) {
  return idpFailed(
    `The identity provider (curity) answered 401 to deleting client ${clientId} even with a renewed "dcrm" token, so the bridge cannot tell whether the client is gone. Check that the bridge's client may still obtain the dcrm scope, or delete client ${clientId} in Curity by hand if it still exists; then delete the application in Konnect again (the bridge keeps its record of the client until Curity confirms the delete).`,
  );
}
