import { randomUUID } from 'node:crypto';
import { BridgeError, clientNotFound, idpFailed, invalidRequest } from '../../commons/bridge-error';
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
import { MANAGED_BY, type Ownership } from '../ownership';
import { grantAccess, revokeAccess } from './auth0-client-grants';
import { CREATION_ID_KEY, createClientBody, hasNativeCallbacks } from './auth0-client-request';
import { findCreatedClients } from './auth0-client-search';
import { auth0Error } from './auth0-error';
import { type Auth0ManagementApi, clientPath } from './auth0-management-api';
import { auth0Client, auth0ClientOwner } from './auth0-schemas';
import { type Auth0Settings, isManagementApiAudience } from './auth0-settings';

/**
 * Auth0 through its Management API v2: one Auth0 application per Konnect application, client
 * grants for the APIs (audiences) it may call. Auth0 keeps everything; the bridge stores nothing.
 * It changes only applications that carry its mark, never its own, and never grants the
 * Management API.
 */
export class Auth0Adapter implements IdpAdapter {
  readonly name = 'auth0';

  constructor(
    private readonly settings: Auth0Settings,
    private readonly api: Auth0ManagementApi,
    private readonly ownership: Ownership,
  ) {}

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const creationId = randomUUID();
    const outcome = await this.api.createClient(createClientBody(client, creationId), context);
    if ('failure' in outcome) {
      // Timed out or cut off: Auth0 may have stored the client, which Konnect would never learn of.
      if (outcome.maybeCreated) await this.removeLostCreate(creationId);
      throw outcome.failure;
    }
    const { response } = outcome;
    if (response.status !== 201 && response.status !== 200) {
      // A 5xx may come after Auth0 stored the client (or from a proxy in front of it).
      if (response.status >= 500) await this.removeLostCreate(creationId);
      throw auth0Error({
        operation: 'creating the client',
        status: response.status,
        body: response.body,
        developerInput: true,
      });
    }
    const parsed = auth0Client.safeParse(response.body);
    if (!parsed.success) {
      await this.removeLostCreate(creationId);
      throw idpFailed('The identity provider (auth0) answered the client creation without a valid client_id.');
    }
    const { client_id: clientId, client_secret: clientSecret } = parsed.data;
    if (!clientSecret) {
      throw await this.undoCreate(clientId, idpFailed('The identity provider (auth0) issued no client_secret.'));
    }
    if (this.settings.defaultAudience) {
      await this.grantDefaultAudience(clientId, this.settings.defaultAudience, client.scopes, context);
    }
    // Auth0 client secrets do not expire: RFC 7591 says 0.
    return { clientId, clientSecret, clientSecretExpiresAt: 0 };
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (await this.ownership.isBridgeItself(clientId)) {
      return this.ownership.deleteRefused(clientId, "the bridge's own credentials");
    }
    const absent = () => logger.info('Client already absent at Auth0', { client_id: clientId });
    const owner = await this.readOwner(clientId, context);
    if (owner === 'absent') return absent();
    if (owner === 'foreign') return this.ownership.deleteRefused(clientId, 'not created by the bridge');
    // Auth0 removes the client's grants with it.
    const response = await this.api.call({ method: 'DELETE', path: clientPath(clientId) }, context);
    if (response.status === 404) return absent();
    if (response.status !== 204 && response.status !== 200) {
      throw auth0Error({ operation: 'deleting the client', status: response.status, body: response.body });
    }
  }

  /**
   * Auth0 replaces the secret at once, but says the new one may take up to 30 s to be accepted
   * everywhere. Waiting would outlast Konnect's request, so the new secret is returned right away.
   */
  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    await this.requireOwned(clientId, context);
    const response = await this.api.call({ method: 'POST', path: `${clientPath(clientId)}/rotate-secret` }, context);
    if (response.status === 404) throw clientNotFound(clientId);
    if (response.status !== 200) {
      throw auth0Error({ operation: 'rotating the client secret', status: response.status, body: response.body });
    }
    const parsed = auth0Client.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== clientId || !parsed.data.client_secret) {
      throw idpFailed('The identity provider (auth0) answered the secret rotation without the new client_secret.');
    }
    return { clientId, clientSecret: parsed.data.client_secret };
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    await this.requireOwned(clientId, context);
    // Private-use scheme callbacks belong to a native application (see createClientBody).
    const json = { callbacks: redirectUris, ...(hasNativeCallbacks(redirectUris) && { app_type: 'native' }) };
    const response = await this.api.call({ method: 'PATCH', path: clientPath(clientId), json }, context);
    if (response.status === 404) throw clientNotFound(clientId);
    if (response.status !== 200) {
      throw auth0Error({
        operation: 'updating the callbacks',
        status: response.status,
        body: response.body,
        developerInput: true,
      });
    }
  }

  async addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    const { clientId, audience, apiProductVersionId } = change;
    if (audience && isManagementApiAudience(audience, this.settings)) {
      logger.warn('Refused to grant a client access to the Auth0 Management API', { client_id: clientId, audience });
      throw invalidRequest(
        `The bridge never grants a client access to the Auth0 Management API (audience ${audience}); give the Konnect auth strategy the audience of your own API.`,
      );
    }
    await this.requireOwned(clientId, context);
    if (!audience) {
      logger.info('Registration without an audience: no Auth0 client grant to create', {
        api_product_version_id: apiProductVersionId,
      });
      return;
    }
    const outcome = await grantAccess(
      this.api,
      { clientId, audience, scopes: this.settings.defaultScopes ?? [] },
      context,
    );
    if (outcome === 'not_found') {
      throw idpFailed(
        'The identity provider (auth0) has no API with the audience of this registration; create the API in Auth0 or fix the audience of the Konnect auth strategy.',
      );
    }
    logger.info(outcome === 'exists' ? 'Client grant already present at Auth0' : 'Client grant created at Auth0', {
      api_product_version_id: apiProductVersionId,
      audience,
    });
  }

  async removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    const { clientId, audience, apiProductVersionId } = change;
    await this.requireOwned(clientId, context);
    if (!audience) {
      logger.info('Registration without an audience: no Auth0 client grant to remove', {
        api_product_version_id: apiProductVersionId,
      });
      return;
    }
    const outcome = await revokeAccess(this.api, clientId, audience, context);
    logger.info(outcome === 'removed' ? 'Client grant removed at Auth0' : 'No client grant to remove at Auth0', {
      api_product_version_id: apiProductVersionId,
      audience,
    });
  }

  /** Lets the bridge act only on a client it created; anything else is answered as unknown (404). */
  private async requireOwned(clientId: string, context: OperationContext): Promise<void> {
    await this.ownership.refuseBridgeItself(clientId);
    const owner = await this.readOwner(clientId, context);
    if (owner === 'absent') throw clientNotFound(clientId);
    if (owner === 'foreign') throw this.ownership.refused(clientId, 'not created by the bridge');
  }

  /**
   * Whose the client is. The Management API reaches every application of the tenant, so only the
   * bridge's mark in client_metadata (set at create) makes a client the bridge's to change.
   */
  private async readOwner(clientId: string, context: OperationContext): Promise<'bridge' | 'foreign' | 'absent'> {
    const response = await this.api.call(
      {
        method: 'GET',
        path: clientPath(clientId),
        query: { fields: 'client_id,client_metadata', include_fields: 'true' },
      },
      context,
    );
    if (response.status === 404) return 'absent';
    if (response.status !== 200) {
      throw auth0Error({ operation: 'reading the client', status: response.status, body: response.body });
    }
    const parsed = auth0ClientOwner.safeParse(response.body);
    if (!parsed.success || parsed.data.client_id !== clientId) {
      throw idpFailed('The identity provider (auth0) answered reading the client with an unexpected body.');
    }
    return parsed.data.client_metadata?.managed_by === MANAGED_BY ? 'bridge' : 'foreign';
  }

  /** Like Konnect's own Auth0 provider: the new client may call the default API at once. */
  private async grantDefaultAudience(
    clientId: string,
    audience: string,
    appScopes: string[],
    context: OperationContext,
  ): Promise<void> {
    try {
      const outcome = await grantAccess(
        this.api,
        { clientId, audience, scopes: this.settings.defaultScopes ?? appScopes },
        context,
      );
      if (outcome === 'not_found') {
        throw idpFailed(
          'The identity provider (auth0) has no API with the identifier set in IDP_AUTH0_DEFAULT_AUDIENCE; create the API in Auth0 or fix the setting.',
        );
      }
    } catch (error) {
      throw await this.undoCreate(clientId, error);
    }
  }

  /** Deletes a client the bridge cannot hand to Konnect; returns the error to answer, saying what happened. */
  private async undoCreate(clientId: string, cause: unknown): Promise<unknown> {
    const removed = await this.compensate(clientId);
    if (!(cause instanceof BridgeError)) return cause;
    const outcome = removed
      ? ' The bridge removed the new Auth0 client again; retry.'
      : ` The bridge could not remove the new Auth0 client ${clientId}; delete it in Auth0.`;
    return new BridgeError(cause.statusCode, cause.error, `${cause.description}${outcome}`, { cause });
  }

  private async compensate(clientId: string, context = compensationOperation()): Promise<boolean> {
    return undoCreate('auth0', clientId, 'Auth0', async () => {
      const response = await this.api.call({ method: 'DELETE', path: clientPath(clientId) }, context);
      if (![200, 204, 404].includes(response.status)) throw new Error(`Auth0 answered ${response.status}`);
    });
  }

  /**
   * After a create whose outcome is unknown (no answer, a 5xx, an unreadable body), finds the
   * client by the creation id it carries and removes it. Auth0's search may lag behind a create,
   * so finding nothing is reported as a possible orphan too, with the id to look for.
   */
  private async removeLostCreate(creationId: string): Promise<void> {
    const context = compensationOperation();
    const where = { creation_id: creationId, look_for: `client_metadata.${CREATION_ID_KEY}` };
    let found: string[];
    try {
      found = await findCreatedClients(this.api, creationId, context);
    } catch (error) {
      reportOrphan('auth0', 'Orphaned client possible at Auth0: a create failed and the bridge could not look for it', {
        ...where,
        reason: reasonOf(error),
      });
      return;
    }
    if (found.length === 0) {
      reportOrphan(
        'auth0',
        "Orphaned client possible at Auth0: a create failed and Auth0's client search (which may lag) does not show it yet",
        where,
      );
    }
    for (const clientId of found) await this.compensate(clientId, context);
  }
}
