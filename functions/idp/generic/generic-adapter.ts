import { type BridgeError, clientNotFound, idpFailed, invalidRequest } from '../../commons/bridge-error';
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
import { type IdpErrorOptions, idpErrorFromResponse } from '../idp-error';
import { reportOrphan, undoCreate, unrecordedClient } from '../orphans';
import {
  type RedirectUriUpdates,
  redirectUriUpdateRefused,
  secretChanged,
  secretChangedByUpdate,
} from '../secret-change';
import { type HeldClient, withLease } from './client-lease';
import { type ClientInformation, clientInformation, issuedClientFrom, metadataForUpdate } from './client-registration';
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
  /**
   * `refuse`: the IdP issues a new secret on every update, so redirect URI updates answer 409.
   * @default 'refuse' with secretRotation 'read' (the update's own read issues a new secret), else 'apply'
   */
  redirectUriUpdates?: RedirectUriUpdates;
}

// Statuses that prove the IdP holds no such client. A 401 does not: RFC 7592 answers it for an
// expired or revoked registration access token too, while the client lives on.
const GONE = new Set([404, 410]);

/** RFC 7591 registration and RFC 7592 management, for any standards-based IdP. */
export class GenericDcrAdapter implements IdpAdapter {
  readonly name: string;
  /**
   * Clients this container deleted at the IdP whose record it could not remove yet: Konnect's retry
   * then only removes the record, since the IdP now refuses the dead token with 401.
   */
  private readonly deletedAtIdp = new Set<string>();

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
    if (!this.endpoints.trusts(uri)) {
      // The only way to remove it is that URI, which may be anything (a metadata address): report it.
      reportOrphan(
        this.name,
        "Orphaned client at the IdP: its registration_client_uri is on another origin than the IdP's, so the bridge sent it nothing; delete the client by hand",
        { client_id: info.client_id, registration_client_uri: uri },
      );
      throw this.foreignClientUri(info.client_id);
    }
    if (!info.client_secret) {
      await this.compensate(info.client_id, uri, rat);
      throw idpFailed(`The identity provider (${this.name}) issued no client_secret.`);
    }
    try {
      await this.store.create({ clientId: info.client_id, registrationClientUri: uri, registrationAccessToken: rat });
    } catch (error) {
      throw unrecordedClient(await this.compensate(info.client_id, uri, rat), info.client_id, 'at the IdP', error);
    }
    return issuedClientFrom(info, info.client_secret);
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    const record = await storeCall(() => this.store.get(clientId));
    // No record: the bridge removes it only after the IdP's delete, so the client is gone.
    if (!record) return;
    await withLease(this.store, record, context, async (held) => {
      if (!this.deletedAtIdp.has(clientId)) {
        const response = await this.http.call(this.managementRequest(held.record, 'DELETE'), context);
        if (response.status === 401) throw this.deleteRefused(clientId);
        if (![200, 204].includes(response.status) && !GONE.has(response.status)) {
          throw idpErrorFromResponse(this.name, 'the client deletion', response.status, response.body);
        }
        this.deletedAtIdp.add(clientId);
      }
      await storeCall(() => this.store.delete(clientId));
      this.deletedAtIdp.delete(clientId);
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
      const byRead = this.settings.secretRotation === 'read';
      const rotated = byRead
        ? await this.read(held, context)
        : await this.update(held, metadataForUpdate(current, {}, 'renew'), context);
      const secret = rotated.client_secret;
      if (!secret) throw idpFailed(`The identity provider (${this.name}) returned no client_secret on rotation.`);
      if (secret === current.client_secret) {
        throw idpFailed(
          byRead
            ? `The identity provider (${this.name}) returned the same client secret on two reads, so it does not issue a new secret on read; set IDP_SECRET_ROTATION to "update" (if an update without client_secret issues a new one) or "none".`
            : `The identity provider (${this.name}) kept the old secret on update, so it does not rotate this way; set IDP_SECRET_ROTATION to "none" or "read".`,
        );
      }
      return { clientId, clientSecret: secret, clientSecretExpiresAt: rotated.client_secret_expires_at };
    });
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    const record = await this.requireRecord(clientId);
    const { redirectUriUpdates = this.settings.secretRotation === 'read' ? 'refuse' : 'apply' } = this.settings;
    if (redirectUriUpdates === 'refuse') {
      throw redirectUriUpdateRefused(
        this.name,
        clientId,
        'Change them at the IdP directly (the bridge runs with IDP_REDIRECT_URI_UPDATES=refuse); set IDP_REDIRECT_URI_UPDATES=apply if this IdP keeps the secret on updates.',
      );
    }
    await withLease(this.store, record, context, async (held) => {
      const current = await this.read(held, context);
      const updated = await this.update(
        held,
        metadataForUpdate(current, { redirect_uris: redirectUris }, 'keep'),
        context,
        { developerInput: true },
      );
      // In "read" mode the read itself issued a new secret.
      if (this.settings.secretRotation === 'read' || secretChanged(current.client_secret, updated.client_secret)) {
        throw secretChangedByUpdate(
          this.name,
          clientId,
          'Set IDP_REDIRECT_URI_UPDATES=refuse so that the bridge refuses redirect URI updates (409) instead, and change them at the IdP directly.',
        );
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

  /** 404 unless the bridge holds a registration for the client (its own record that it created it). */
  async requireKnownClient(clientId: string): Promise<void> {
    await this.requireRecord(clientId);
  }

  private async requireRecord(clientId: string): Promise<RegistrationRecord> {
    const record = await storeCall(() => this.store.get(clientId));
    if (!record) throw clientNotFound(clientId);
    return record;
  }

  private async read(held: HeldClient, context: OperationContext): Promise<ClientInformation> {
    return this.manage(held, this.managementRequest(held.record, 'GET'), 'reading the client', context);
  }

  private async update(
    held: HeldClient,
    metadata: Record<string, unknown>,
    context: OperationContext,
    options: IdpErrorOptions = {},
  ): Promise<ClientInformation> {
    const request = { ...this.managementRequest(held.record, 'PUT'), json: metadata };
    return this.manage(held, request, 'updating the client', context, options);
  }

  /** One RFC 7592 call; a rotated RAT is stored before anything else happens. */
  private async manage(
    held: HeldClient,
    request: HttpRequest,
    operation: string,
    context: OperationContext,
    options: IdpErrorOptions = {},
  ): Promise<ClientInformation> {
    const { record } = held;
    const response = await this.http.call(request, context);
    if (GONE.has(response.status)) throw clientNotFound(record.clientId);
    if (response.status !== 200) {
      throw idpErrorFromResponse(this.name, operation, response.status, response.body, options);
    }
    const parsed = clientInformation.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== record.clientId) {
      throw idpFailed(`The identity provider (${this.name}) answered ${operation} with an unexpected body.`);
    }
    const info = parsed.data;
    const uri = info.registration_client_uri ?? record.registrationClientUri;
    const pinned = this.endpoints.trusts(uri);
    const nextToken = info.registration_access_token;
    if (nextToken && nextToken !== record.registrationAccessToken) {
      // A URI on another origin is never stored: the new token stays with the URI the bridge trusts.
      held.record = await storeCall(() =>
        this.store.replaceAccessToken(record.clientId, record.version, {
          registrationAccessToken: nextToken,
          registrationClientUri: pinned ? uri : record.registrationClientUri,
        }),
      ).catch((error: unknown) => {
        logger.error('Rotated registration access token could not be stored; the client may be unmanageable', {
          client_id: record.clientId,
        });
        throw error;
      });
    }
    if (!pinned) throw this.foreignClientUri(record.clientId, uri);
    return info;
  }

  /** An RFC 7592 request with the client's RAT, only ever to the IdP's own origins. */
  private managementRequest(record: RegistrationRecord, method: 'GET' | 'PUT' | 'DELETE'): HttpRequest {
    if (!this.endpoints.trusts(record.registrationClientUri)) {
      throw this.foreignClientUri(record.clientId, record.registrationClientUri);
    }
    return {
      method,
      url: record.registrationClientUri,
      headers: { authorization: `Bearer ${record.registrationAccessToken}` },
    };
  }

  /** The URI goes to the operator's log, never into the description that reaches Konnect. */
  private foreignClientUri(clientId: string, uri?: string): BridgeError {
    if (uri) {
      logger.error('Refused a registration_client_uri on another origin than the IdP', { client_id: clientId, uri });
    }
    return idpFailed(
      `The identity provider (${this.name}) named a registration_client_uri on another origin than its own for client ${clientId}, so the bridge sends no registration access token there. If that origin is the IdP's own, add it to IDP_ALLOWED_ORIGINS; otherwise check the IdP, and delete client ${clientId} there by hand.`,
    );
  }

  /** A 401 on delete: the token no longer works, which says nothing about the client. */
  private deleteRefused(clientId: string): BridgeError {
    logger.error('The IdP answered 401 to the registration access token on delete; the client may still exist', {
      client_id: clientId,
    });
    return idpFailed(
      `The identity provider (${this.name}) refused the bridge's registration access token (401) for deleting client ${clientId}. The token may have expired or been revoked while the client still exists, so the bridge cannot tell whether it is gone. Delete client ${clientId} at the IdP by hand if it still exists, then remove its record from the bridge's registration store (the item with clientId "${clientId}" in the REGISTRATION_TABLE_NAME table, or in the local REGISTRATION_STORE_FILE) and delete the application in Konnect again.`,
    );
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
      const response = await this.http.send(this.managementRequest(record, 'DELETE'), compensationOperation().signal);
      if (response.status >= 300 && response.status !== 404) throw new Error(`status ${response.status}`);
    });
  }
}
