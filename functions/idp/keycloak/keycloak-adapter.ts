import { BridgeError, clientNotFound, idpFailed } from '../../commons/bridge-error';
import { mayHaveReachedIdp } from '../../commons/http-client';
import { rememberSecret } from '../../commons/known-secrets';
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
import type { KeycloakAdminApi } from './keycloak-admin-api';
import { generateClientId } from './keycloak-client-id';
import {
  type ClientRepresentation,
  clientList,
  credentialRepresentation,
  internalIdFromLocation,
  isBridgeManaged,
  newClientRepresentation,
  representationForUpdate,
} from './keycloak-client-representation';
import { keycloakErrorFromResponse, namesRedirectUris } from './keycloak-error';

export interface KeycloakAdapterSettings {
  /** Put in front of every clientId the bridge generates. */
  clientIdPrefix: string;
}

/** A 409 proves nothing was created, so a taken clientId is retried with a fresh one. */
const CREATE_ATTEMPTS = 3;

/**
 * Keycloak through its Admin REST API and one service account with realm-management
 * "manage-clients": real secret rotation, no registration access tokens to keep.
 * The clientId Konnect sees is Keycloak's public clientId (what tokens carry in `azp`); the
 * internal id is looked up per call, so the bridge keeps no state.
 */
export class KeycloakAdapter implements IdpAdapter {
  readonly name = 'keycloak';

  constructor(
    private readonly settings: KeycloakAdapterSettings,
    private readonly api: KeycloakAdminApi,
    private readonly ownership: Ownership,
  ) {}

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const created = await this.createWithFreshClientId(client, context);
    // Keycloak answers a create with a Location only: the secret is a second call, undone on failure.
    try {
      const id = created.id ?? (await this.find(created.clientId, context))?.id;
      if (!id) throw idpFailed('The identity provider (keycloak) created the client but could not find it again.');
      return { clientId: created.clientId, clientSecret: await this.readSecret(id, context) };
    } catch (error) {
      throw withCompensationNote(error, await this.compensate(created.clientId, created.id), created.clientId);
    }
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (await this.ownership.isBridgeItself(clientId)) {
      return this.ownership.deleteRefused(clientId, "the bridge's own credentials");
    }
    const client = await this.find(clientId, context);
    if (!client) return;
    if (!isBridgeManaged(client)) return this.ownership.deleteRefused(clientId, 'not created by the bridge');
    const response = await this.api.deleteClient(client.id, context);
    if (response.status !== 204 && response.status !== 200 && response.status !== 404) {
      throw keycloakErrorFromResponse('the client deletion', response.status, response.body);
    }
  }

  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    const client = await this.requireManaged(clientId, context);
    const response = await this.api.regenerateSecret(client.id, context);
    if (response.status === 404) throw clientNotFound(clientId);
    return { clientId, clientSecret: secretFrom(response.status, response.body, 'the secret regeneration') };
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    const client = await this.requireManaged(clientId, context);
    const response = await this.api.updateClient(client.id, representationForUpdate(client, redirectUris), context);
    if (response.status === 404) throw clientNotFound(clientId);
    if (response.status !== 204 && response.status !== 200) {
      // The representation is read back and sent whole: only a refusal of redirect URIs is the developer's.
      throw keycloakErrorFromResponse('the redirect URI update', response.status, response.body, {
        developerInput: namesRedirectUris(response.body),
      });
    }
  }

  // Konnect's API registrations have no counterpart on a Keycloak client: audiences come from
  // the realm's client scopes (docs/idps/keycloak.md). The client only has to exist.
  async addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.requireManaged(change.clientId, context);
  }

  async removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.requireManaged(change.clientId, context);
  }

  private async createWithFreshClientId(
    client: NewClient,
    context: OperationContext,
  ): Promise<{ clientId: string; id?: string }> {
    for (let attempt = 1; ; attempt += 1) {
      const clientId = generateClientId(this.settings.clientIdPrefix, client.clientName);
      const outcome = await this.api.createClient(newClientRepresentation(client, clientId), context);
      if ('lost' in outcome) {
        // Timed out or cut off, Keycloak may have created it: the bridge chose the id, so it can look.
        // Not so after a rate limit or a connection never opened: nothing was created.
        if (!mayHaveReachedIdp(outcome.lost)) throw outcome.lost;
        throw withCompensationNote(outcome.lost, await this.compensate(clientId), clientId);
      }
      const { response } = outcome;
      if (response.status === 201) return { clientId, id: internalIdFromLocation(response.headers.get('location')) };
      if (response.status === 409 && attempt < CREATE_ATTEMPTS) {
        logger.warn('Keycloak clientId already taken; trying another', { client_id: clientId });
        continue;
      }
      const error = keycloakErrorFromResponse('the client creation', response.status, response.body, {
        developerInput: true,
      });
      // A 5xx may come after the client was stored (or from a proxy in front of Keycloak).
      throw response.status >= 500 ? withCompensationNote(error, await this.compensate(clientId), clientId) : error;
    }
  }

  private async requireManaged(clientId: string, context: OperationContext): Promise<ClientRepresentation> {
    await this.ownership.refuseBridgeItself(clientId);
    const client = await this.find(clientId, context);
    if (!client) throw clientNotFound(clientId);
    if (!isBridgeManaged(client)) throw this.ownership.refused(clientId, 'not created by the bridge');
    return client;
  }

  /** The client with exactly this public clientId, if any. */
  private async find(clientId: string, context: OperationContext): Promise<ClientRepresentation | undefined> {
    const response = await this.api.findClients(clientId, context);
    if (response.status !== 200) {
      throw keycloakErrorFromResponse('the client lookup', response.status, response.body);
    }
    const list = clientList.safeParse(response.body);
    if (!list.success) {
      throw idpFailed('The identity provider (keycloak) answered the client lookup with an unexpected body.');
    }
    return list.data.find((candidate) => candidate.clientId === clientId);
  }

  private async readSecret(id: string, context: OperationContext): Promise<string> {
    const response = await this.api.readSecret(id, context);
    return secretFrom(response.status, response.body, "reading the new client's secret");
  }

  /**
   * Undoes a create the bridge cannot hand to Konnect; looks the client up by the clientId the
   * bridge chose when the create got no usable answer (none, a 5xx). Reports what it cannot undo.
   */
  private async compensate(clientId: string, knownId?: string): Promise<Compensation> {
    const context = compensationOperation();
    let id = knownId;
    if (!id) {
      let found: ClientRepresentation | undefined;
      try {
        found = await this.find(clientId, context);
      } catch (error) {
        reportOrphan(
          'keycloak',
          'Orphaned client possible at Keycloak: a create failed and the bridge could not check',
          {
            client_id: clientId,
            reason: reasonOf(error),
          },
        );
        return 'failed';
      }
      // The clientId is fresh and random; the marker check keeps any other client safe all the same.
      if (!found || !isBridgeManaged(found)) {
        logger.info('A create failed, and Keycloak holds no client it made', { client_id: clientId });
        return 'absent';
      }
      id = found.id;
    }
    const internalId = id;
    const removed = await undoCreate('keycloak', clientId, 'Keycloak', async () => {
      const response = await this.api.deleteClient(internalId, context);
      if (![200, 204, 404].includes(response.status)) throw new Error(`Keycloak answered ${response.status}`);
    });
    return removed ? 'removed' : 'failed';
  }
}

type Compensation = 'removed' | 'absent' | 'failed';

function secretFrom(status: number, body: unknown, operation: string): string {
  if (status !== 200) throw keycloakErrorFromResponse(operation, status, body);
  const credential = credentialRepresentation.safeParse(body);
  if (!credential.success) {
    throw idpFailed(`The identity provider (keycloak) answered ${operation} without a client secret.`);
  }
  // Keycloak's field is a bare `value`, which the HTTP client does not know as a credential.
  rememberSecret(credential.data.value);
  return credential.data.value;
}

/** Tells the admin whether a half-created client is gone or must be removed by hand. */
function withCompensationNote(error: unknown, compensation: Compensation, clientId: string): unknown {
  if (!(error instanceof BridgeError) || compensation === 'absent') return error;
  const note =
    compensation === 'removed'
      ? 'The bridge removed the half-created client again; retry.'
      : `The bridge could not remove the half-created client ${clientId}; delete it in Keycloak.`;
  return new BridgeError(error.statusCode, error.error, `${error.description} ${note}`, { cause: error });
}
