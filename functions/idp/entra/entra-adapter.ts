import { randomUUID } from 'node:crypto';
import { clientNotFound } from '../../commons/bridge-error';
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
import { BRIDGE_TAG, creationTag, newApplicationBody } from './application-body';
import type { EntraApplications } from './entra-applications';
import { epochSeconds, type GraphApplication, isAppId } from './graph-schemas';

export interface EntraAdapterOptions {
  secretLifetimeDays: number;
  permanentDelete: boolean;
}

/**
 * Microsoft Entra ID through Microsoft Graph: one application registration (plus its service
 * principal and one client secret) per Konnect application. `client_id` is the appId, the value
 * tokens carry. The bridge keeps no state: Graph finds applications by appId, and only those
 * tagged as the bridge's are ever changed.
 */
export class EntraAdapter implements IdpAdapter {
  readonly name = 'entra';

  constructor(
    private readonly applications: EntraApplications,
    private readonly options: EntraAdapterOptions,
    private readonly ownership: Ownership,
  ) {}

  async createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    const creationId = randomUUID();
    const outcome = await this.applications.create(newApplicationBody(client, creationId), context);
    if ('error' in outcome) {
      if (outcome.maybeCreated) await this.removeLostCreate(creationId);
      throw outcome.error;
    }
    const { app } = outcome;
    logger.info('Entra application created', { client_id: app.appId });
    try {
      const password = await this.applications.addPassword(app, this.options.secretLifetimeDays, context);
      await this.applications.createServicePrincipal(app, context);
      return {
        clientId: app.appId,
        clientSecret: password.secretText,
        clientIdIssuedAt: epochSeconds(app.createdDateTime),
        clientSecretExpiresAt: epochSeconds(password.endDateTime),
      };
    } catch (error) {
      await this.removeHalfCreated(app);
      throw error;
    }
  }

  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    if (await this.ownership.isBridgeItself(clientId)) {
      return this.ownership.deleteRefused(clientId, "the bridge's own credentials");
    }
    const app = isAppId(clientId) ? await this.applications.find(clientId, context) : undefined;
    if (!app) return;
    if (!isBridgeManaged(app)) return this.ownership.deleteRefused(clientId, 'not created by the bridge');
    await this.applications.delete(app, this.options.permanentDelete, context);
  }

  /** Adds the new secret, then removes every other one: the old secret stops working. */
  async rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    const app = await this.requireManaged(clientId, context);
    const added = await this.applications.addPassword(app, this.options.secretLifetimeDays, context);
    const previous = (app.passwordCredentials ?? []).map((password) => password.keyId).filter((k) => k !== added.keyId);
    try {
      for (const keyId of previous) await this.applications.removePassword(app, keyId, context);
    } catch (error) {
      await this.removeNewPassword(app, added.keyId);
      throw error;
    }
    return { clientId, clientSecret: added.secretText, clientSecretExpiresAt: epochSeconds(added.endDateTime) };
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    const app = await this.requireManaged(clientId, context);
    await this.applications.updateRedirectUris(app, redirectUris, context);
  }

  // Konnect authorizes API access by the token's client id claim; Entra needs no change per API.
  async addRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.requireManaged(change.clientId, context);
  }

  async removeRegistration(change: ApiRegistrationChange, context: OperationContext): Promise<void> {
    await this.requireManaged(change.clientId, context);
  }

  private async requireManaged(clientId: string, context: OperationContext): Promise<GraphApplication> {
    await this.ownership.refuseBridgeItself(clientId);
    const app = isAppId(clientId) ? await this.applications.find(clientId, context) : undefined;
    if (!app) throw clientNotFound(clientId);
    if (!isBridgeManaged(app)) throw this.ownership.refused(clientId, 'not created by the bridge');
    return app;
  }

  /** Undoes a create that failed after the application existed; leaves a log line if that fails too. */
  private async removeHalfCreated(app: GraphApplication): Promise<void> {
    await undoCreate('entra', app.appId, 'Entra', () =>
      this.applications.delete(app, this.options.permanentDelete, compensationOperation()),
    );
  }

  /**
   * Finds an application whose create got no usable answer (none, a 5xx, an unreadable body) by its
   * creation tag, and removes it.
   */
  private async removeLostCreate(creationId: string): Promise<void> {
    const context = compensationOperation();
    let created: GraphApplication[];
    try {
      created = await this.applications.findCreated(creationId, context);
    } catch (error) {
      reportOrphan(
        'entra',
        'Orphaned client possible at Entra: a create got no answer and the bridge could not check',
        {
          creation_tag: creationTag(creationId),
          reason: reasonOf(error),
        },
      );
      return;
    }
    if (created.length === 0) logger.info('A create got no answer, and Entra holds no application it created');
    for (const app of created) {
      await undoCreate('entra', app.appId, 'Entra', () =>
        this.applications.delete(app, this.options.permanentDelete, context),
      );
    }
  }

  /** After a failed rotation the developer keeps the previous secret; the new one must not linger. */
  private async removeNewPassword(app: GraphApplication, keyId: string): Promise<void> {
    try {
      await this.applications.removePassword(app, keyId, compensationOperation());
      logger.warn('Rotation failed; removed the new client secret again', { client_id: app.appId });
    } catch (error) {
      logger.error('Rotation failed and its new client secret could not be removed; the next rotation removes it', {
        client_id: app.appId,
        reason: reasonOf(error),
      });
    }
  }
}

const isBridgeManaged = (app: GraphApplication) => (app.tags ?? []).includes(BRIDGE_TAG);
