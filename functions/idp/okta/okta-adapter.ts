import { BridgeError, clientNotFound, idpFailed, invalidClientMetadata } from '../../commons/bridge-error';
import type { HttpResponse } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import {
  type ApiRegistrationChange,
  compensationOperation,
  type IdpAdapter,
  type IssuedClient,
  type NewClient,
  type OperationContext,
  type RotatedSecret,
} from '../idp-adapter';
import { reasonOf, reportOrphan, undoCreate } from '../orphans';
import type { Ownership } from '../ownership';
import { type OktaClientsApi, UnknownOutcomeError } from './okta-api';
import {
  type OktaClient,
  oktaClient,
  oktaClientList,
  registrationBody,
  updateBody,
  usesRedirects,
} from './okta-client';
import { isBridgeClientName, uniqueClientName } from './okta-client-name';
import { isNameTaken, isUnknownClient, namesRedirectUris, oktaErrorFromResponse } from './okta-error';

/** A client issued this long before the failed create started is not the one it created. */
const CLOCK_SKEW_SECONDS = 10;

export interface OktaAdapterSettings {
  /**
   * Also manage clients whose name lacks the bridge's suffix (created before the bridge). Dangerous:
   * the Konnect key then reaches every OAuth app the bridge's Okta credentials can manage.
   */
  manageUnmarkedClients: boolean;
}

/** For the log line of a refused unmarked client: where the migration switch is explained. */
const UNMARKED_HINT = { see: 'IDP_OKTA_MANAGE_UNMARKED_CLIENTS in docs/idps/okta.md' };

/**
 * Okta's Dynamic Client Registration API behind the bridge's contract. Okta needs no per-client
 * registration token (the bridge's own API token or OAuth token manages every client), so nothing
 * is stored; the client's name carries the trace back to Konnect.
 */
export class OktaAdapter implements IdpAdapter {
  readonly name = 'okta';

  constructor(
    private readonly api: OktaClientsApi,
    private readonly settings: OktaAdapterSettings,
    private readonly ownership: Ownership,
  ) {}

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const clientName = uniqueClientName(client.clientName, client.konnect);
    const startedAt = Date.now();
    let response: HttpResponse;
    try {
      response = await this.api.create(registrationBody(client, clientName), context);
    } catch (error) {
      // The answer was lost: Okta may have created the client anyway.
      if (error instanceof UnknownOutcomeError) await this.removeHalfCreated(clientName, startedAt);
      throw error;
    }
    if (response.status !== 201 && response.status !== 200) {
      if (isNameTaken(response)) throw await this.nameTaken(clientName, context);
      // A 5xx may come after Okta stored the client (or from a proxy in front of it): look for it.
      if (response.status >= 500) await this.removeHalfCreated(clientName, startedAt);
      throw oktaErrorFromResponse('the client registration', response, this.api.hints, { developerInput: true });
    }
    const parsed = oktaClient.safeParse(response.body);
    if (!parsed.success) {
      await this.removeHalfCreated(clientName, startedAt);
      throw idpFailed('Okta answered the client registration without a valid client object (client_id).');
    }
    const created = parsed.data;
    if (!created.client_secret) {
      await this.compensate(created.client_id);
      throw idpFailed(`Okta issued no client_secret for client ${created.client_id}, so the bridge removed it again.`);
    }
    logger.info('Okta client registered', { client_id: created.client_id, application_type: created.application_type });
    if (created.application_type === 'native' && client.grantTypes.includes('client_credentials')) {
      logger.info('Client credentials left out: Okta allows them for web and service apps only, not native ones', {
        client_id: created.client_id,
      });
    }
    return {
      clientId: created.client_id,
      clientSecret: created.client_secret,
      clientIdIssuedAt: created.client_id_issued_at ?? undefined,
      clientSecretExpiresAt: created.client_secret_expires_at ?? undefined,
    };
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (await this.ownership.isBridgeItself(clientId)) {
      return this.ownership.deleteRefused(clientId, "the bridge's own credentials");
    }
    const current = await this.read(clientId, context);
    if (!current) {
      logger.info('Client already absent at Okta', { client_id: clientId });
      return;
    }
    if (!this.mayManage(current)) {
      return this.ownership.deleteRefused(clientId, 'not created by the bridge', UNMARKED_HINT);
    }
    const response = await this.api.remove(clientId, context);
    if (response.status === 204 || response.status === 200 || isUnknownClient(response)) return;
    throw oktaErrorFromResponse('the client deletion', response, this.api.hints);
  }

  /** Okta's newSecret replaces the client's secret and returns the client with the new one. */
  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    await this.requireOwned(clientId, context);
    const response = await this.api.newSecret(clientId, context);
    if (isUnknownClient(response)) throw clientNotFound(clientId);
    if (response.status !== 200 && response.status !== 201) {
      throw oktaErrorFromResponse('the secret renewal', response, this.api.hints);
    }
    const parsed = oktaClient.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== clientId || !parsed.data.client_secret) {
      throw idpFailed(`Okta answered the secret renewal of client ${clientId} without a new client_secret.`);
    }
    return {
      clientId,
      clientSecret: parsed.data.client_secret,
      clientSecretExpiresAt: parsed.data.client_secret_expires_at ?? undefined,
    };
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    const current = await this.requireOwned(clientId, context);
    if (!usesRedirects(current.grant_types)) {
      // A service app only has the client credentials grant: Okta has no use for redirect URIs there,
      // and an app's type cannot change on update.
      logger.info('Redirect URIs not stored: the Okta client only uses client credentials', {
        client_id: clientId,
        redirect_uri_count: redirectUris.length,
      });
      return;
    }
    if (redirectUris.length === 0) {
      throw invalidClientMetadata(
        'redirect_uris: this Okta client uses the authorization code grant and needs at least one redirect URI.',
      );
    }
    const response = await this.api.replace(clientId, updateBody(current, { redirect_uris: redirectUris }), context);
    if (isUnknownClient(response)) throw clientNotFound(clientId);
    if (response.status !== 200) {
      // Okta replaces the whole object: only a refusal naming the redirect URIs is the developer's.
      throw oktaErrorFromResponse('the redirect URI update', response, this.api.hints, {
        developerInput: namesRedirectUris(response),
      });
    }
    logger.info('Okta client redirect URIs replaced', { client_id: clientId, redirect_uri_count: redirectUris.length });
  }

  async addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.acknowledgeRegistration(change, context);
  }

  async removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.acknowledgeRegistration(change, context);
  }

  /**
   * Okta's DCR API has no per-API grant: which APIs a client may call is decided by the
   * authorization server's access policies and scopes, so the client only has to exist.
   */
  private async acknowledgeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.requireOwned(change.clientId, context);
    logger.info('API registration acknowledged; Okta access is governed by authorization server policies', {
      client_id: change.clientId,
      api_product_version_id: change.apiProductVersionId,
      audience: change.audience,
    });
  }

  /** The client, when the bridge may act on it; anything else is answered as unknown (404). */
  private async requireOwned(clientId: string, context: OperationContext): Promise<OktaClient> {
    await this.ownership.refuseBridgeItself(clientId);
    const current = await this.read(clientId, context);
    if (!current) throw clientNotFound(clientId);
    if (!this.mayManage(current)) throw this.ownership.refused(clientId, 'not created by the bridge', UNMARKED_HINT);
    return current;
  }

  /**
   * The bridge's credentials may manage every app in the org, so only a client with the bridge's
   * name suffix is its own, unless the admin allowed unmarked ones.
   */
  private mayManage(client: OktaClient): boolean {
    return this.settings.manageUnmarkedClients || isBridgeClientName(client.client_name);
  }

  /** Reads a client; undefined when Okta does not know it. */
  private async read(clientId: string, context: OperationContext): Promise<OktaClient | undefined> {
    const response = await this.api.read(clientId, context);
    if (isUnknownClient(response)) return undefined;
    if (response.status !== 200) throw oktaErrorFromResponse('reading the client', response, this.api.hints);
    const parsed = oktaClient.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== clientId) {
      throw idpFailed(`Okta answered reading client ${clientId} with an unexpected body.`);
    }
    return parsed.data;
  }

  private async nameTaken(clientName: string, context: OperationContext): Promise<BridgeError> {
    const existing = await this.findExact(clientName, context).catch(() => []);
    const existingId = existing[0]?.client_id;
    logger.warn('Okta client name already taken; nothing created', { client_id: existingId });
    return new BridgeError(
      400,
      'invalid_client_metadata',
      `Okta already has a client named "${clientName}"${existingId ? ` (client_id ${existingId})` : ''}, and client names are unique in an Okta org. The bridge derives the name from the application name, the developer and the portal: this developer already has an application with this name, or an earlier attempt whose answer was lost left that client behind. Choose another application name, or delete that Okta client if no Konnect application uses it.`,
    );
  }

  private async findExact(clientName: string, context: OperationContext): Promise<OktaClient[]> {
    const response = await this.api.findByName(clientName, context);
    const parsed = oktaClientList.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      throw oktaErrorFromResponse('the client search', response, this.api.hints);
    }
    return parsed.data.filter((candidate) => candidate.client_name === clientName);
  }

  /**
   * After a create whose outcome is unknown (no answer, a 5xx, an unreadable body), finds the client
   * by its deterministic name and removes it if it was issued by this attempt; a same-named older
   * client is someone else's and stays.
   */
  private async removeHalfCreated(clientName: string, startedAt: number): Promise<void> {
    const context = compensationOperation();
    let found: OktaClient[];
    try {
      found = await this.findExact(clientName, context);
    } catch (error) {
      reportOrphan('okta', 'Orphaned client possible at Okta: the bridge could not check after a failed create', {
        client_name: clientName,
        reason: reasonOf(error),
      });
      return;
    }
    const earliest = Math.floor(startedAt / 1000) - CLOCK_SKEW_SECONDS;
    const created = found.filter((candidate) => (candidate.client_id_issued_at ?? 0) >= earliest);
    if (created.length === 0) logger.info('Okta holds no client from the failed create', { client_name: clientName });
    for (const candidate of created) await this.compensate(candidate.client_id, context);
  }

  /** Undoes a registration the bridge cannot hand to Konnect; leaves a log line if that fails too. */
  private async compensate(clientId: string, context = compensationOperation()): Promise<void> {
    await undoCreate('okta', clientId, 'Okta', async () => {
      const response = await this.api.remove(clientId, context);
      if (response.status >= 300 && !isUnknownClient(response)) throw new Error(`Okta answered ${response.status}`);
    });
  }
}
