import { clientNotFound, idpFailed, invalidRequest, serviceUnavailable } from '../../commons/bridge-error';
import type { HttpClient, HttpRequest } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { RegistrationRecord, RegistrationStore } from '../../store/registration-store';
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
import { reportOrphan, undoCreate } from '../orphans';
import { type HeldClient, withLease } from './client-lease';
import { type ClientInformation, clientInformation, metadataForUpdate } from './client-registration';
import type { IdpEndpointResolver } from './idp-endpoints';
import { registerClient } from './register-client';
import { storeCall } from './store-call';

/**
 * How the IdP issues a new secret, since RFC 7592 defines no rotation: `update` = an update without
 * `client_secret` returns a new one; `read` = every management read returns a new one (Curity);
 * `none` = the IdP cannot, and Konnect's "disable refresh secret" must be on.
 */
export type SecretRotationMode = 'none' | 'read' | 'update';

export interface GenericAdapterSettings {
  name: string;
  /** Scope of the token obtained by client credentials to register a client (Curity: "dcr"). */
  initialTokenScope?: string;
  secretRotation: SecretRotationMode;
}

/** RFC 7591 registration and RFC 7592 management, for any standards-based IdP. */
export class GenericDcrAdapter implements IdpAdapter {
  readonly name: string;

  constructor(
    private readonly settings: GenericAdapterSettings,
    private readonly http: HttpClient,
    private readonly endpoints: IdpEndpointResolver,
    private readonly store: RegistrationStore,
    private readonly credentials: () => Promise<IdpCredentials>,
  ) {
    this.name = settings.name;
  }

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const info = await registerClient(
      {
        name: this.name,
        http: this.http,
        endpoints: this.endpoints,
        credentials: this.credentials,
        initialTokenScope: this.settings.initialTokenScope,
      },
      client,
      context,
    );
    const { registration_access_token: rat, registration_client_uri: uri } = info;
    if (!rat || !uri) {
      // Without both the bridge has no way to remove it: the operator must.
      reportOrphan(
        this.name,
        'Orphaned client at the IdP: it has no registration access token or URI to remove it with; delete it by hand',
        { client_id: info.client_id },
      );
      throw idpFailed(
        `The identity provider (${this.name}) returned no registration_access_token/registration_client_uri, so the bridge could not manage client ${info.client_id}; remove it at the IdP.`,
      );
    }
    if (!info.client_secret) {
      await this.compensate(info.client_id, uri, rat);
      throw idpFailed(`The identity provider (${this.name}) issued no client_secret.`);
    }
    try {
      await this.store.create({ clientId: info.client_id, registrationClientUri: uri, registrationAccessToken: rat });
    } catch (error) {
      const removed = await this.compensate(info.client_id, uri, rat);
      throw serviceUnavailable(
        removed
          ? 'The bridge could not record the new client, so it removed it again; retry.'
          : `The bridge could not record the new client, nor remove it again; delete client ${info.client_id} at the IdP, then retry.`,
        error,
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
    const record = await storeCall(() => this.store.get(clientId));
    if (!record) return;
    await withLease(this.store, record, context, async (held) => {
      const response = await this.http.call(managementRequest(held.record, 'DELETE'), context);
      if (response.status === 401) {
        // oidc-provider and others kill the RAT with the client: a repeated delete looks like this.
        logger.warn('IdP refused the registration access token on delete; treating the client as gone', {
          client_id: clientId,
        });
      } else if (![200, 204, 404, 410].includes(response.status)) {
        throw idpErrorFromResponse(this.name, 'the client deletion', response.status, response.body);
      }
      await storeCall(() => this.store.delete(clientId));
      held.deleted = true;
    });
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    if (this.settings.secretRotation === 'none') {
      throw invalidRequest(
        `The identity provider (${this.name}) cannot rotate client secrets. Turn on "Disable refresh secret" in the Konnect DCR provider, or set IDP_SECRET_ROTATION if the IdP rotates secrets on management calls.`,
      );
    }
    return withLease(this.store, await this.requireRecord(clientId), context, async (held) => {
      const current = await this.read(held, context);
      const rotated =
        this.settings.secretRotation === 'read'
          ? current
          : await this.update(held, metadataForUpdate(current, {}, 'renew'), context);
      const secret = rotated.client_secret;
      if (!secret) throw idpFailed(`The identity provider (${this.name}) returned no client_secret on rotation.`);
      if (rotated !== current && secret === current.client_secret) {
        throw idpFailed(
          `The identity provider (${this.name}) kept the old secret on update, so it does not rotate this way; set IDP_SECRET_ROTATION to "none" or "read".`,
        );
      }
      return { clientId, clientSecret: secret, clientSecretExpiresAt: rotated.client_secret_expires_at };
    });
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    await withLease(this.store, await this.requireRecord(clientId), context, async (held) => {
      const current = await this.read(held, context);
      const updated = await this.update(
        held,
        metadataForUpdate(current, { redirect_uris: redirectUris }, 'keep'),
        context,
      );
      if (updated.client_secret && updated.client_secret !== current.client_secret) {
        logger.warn('IdP issued a new client secret while updating redirect URIs', { client_id: clientId });
      }
    });
  }

  // RFC 7591/7592 have no notion of API access; the client only has to exist.
  async addRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.requireRecord(change.clientId);
  }

  async removeRegistration(change: ApiRegistrationChange): Promise<void> {
    await this.requireRecord(change.clientId);
  }

  private async requireRecord(clientId: string): Promise<RegistrationRecord> {
    const record = await storeCall(() => this.store.get(clientId));
    if (!record) throw clientNotFound(clientId);
    return record;
  }

  private async read(held: HeldClient, context: OperationContext): Promise<ClientInformation> {
    return this.manage(held, managementRequest(held.record, 'GET'), 'reading the client', context);
  }

  private async update(
    held: HeldClient,
    metadata: Record<string, unknown>,
    context: OperationContext,
  ): Promise<ClientInformation> {
    const request = { ...managementRequest(held.record, 'PUT'), json: metadata };
    return this.manage(held, request, 'updating the client', context);
  }

  /** One RFC 7592 call; a rotated RAT is stored before anything else happens. */
  private async manage(
    held: HeldClient,
    request: HttpRequest,
    operation: string,
    context: OperationContext,
  ): Promise<ClientInformation> {
    const { record } = held;
    const response = await this.http.call(request, context);
    if (response.status === 404 || response.status === 410) throw clientNotFound(record.clientId);
    if (response.status !== 200) throw idpErrorFromResponse(this.name, operation, response.status, response.body);
    const parsed = clientInformation.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== record.clientId) {
      throw idpFailed(`The identity provider (${this.name}) answered ${operation} with an unexpected body.`);
    }
    const info = parsed.data;
    const nextToken = info.registration_access_token;
    if (!nextToken || nextToken === record.registrationAccessToken) return info;
    held.record = await storeCall(() =>
      this.store.replaceAccessToken(record.clientId, record.version, {
        registrationAccessToken: nextToken,
        registrationClientUri: info.registration_client_uri ?? record.registrationClientUri,
      }),
    ).catch((error: unknown) => {
      logger.error('Rotated registration access token could not be stored; the client may be unmanageable', {
        client_id: record.clientId,
      });
      throw error;
    });
    return info;
  }

  /** Undoes a registration the bridge cannot hand to Konnect; leaves a log line if that fails too. */
  private async compensate(clientId: string, uri: string, rat: string): Promise<boolean> {
    const record: RegistrationRecord = {
      clientId,
      registrationClientUri: uri,
      registrationAccessToken: rat,
      version: 0,
    };
    return undoCreate(this.name, clientId, 'the IdP', async () => {
      const response = await this.http.send(managementRequest(record, 'DELETE'), compensationOperation().signal);
      if (response.status >= 300 && response.status !== 404) throw new Error(`status ${response.status}`);
    });
  }
}

function managementRequest(record: RegistrationRecord, method: 'GET' | 'PUT' | 'DELETE'): HttpRequest {
  return {
    method,
    url: record.registrationClientUri,
    headers: { authorization: `Bearer ${record.registrationAccessToken}` },
  };
}
