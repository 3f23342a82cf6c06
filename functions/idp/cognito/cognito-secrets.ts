import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ClientSecretDescriptorType } from '@aws-sdk/client-cognito-identity-provider';
import { idpFailed } from '../../commons/bridge-error';
import { rememberSecret } from '../../commons/known-secrets';
import { logger } from '../../commons/logger';
import { metrics } from '../../commons/metrics';
import { compensationOperation, type OperationContext, type RotatedSecret } from '../idp-adapter';
import { reasonOf } from '../orphans';
import type { AnsweredSecrets } from './cognito-answered-secrets';
import type { CognitoApi } from './cognito-api';
import { CognitoServiceError, isSecretNotFound, mayHaveTakenEffect } from './cognito-error';

function staleSecretMetric(): void {
  const single = metrics.singleMetric();
  single.addDimension('IdpType', 'cognito');
  single.addMetric('StaleClientSecrets', MetricUnit.Count, 1);
}

/**
 * A client secret the bridge meant to delete and could not: it still works until the next rotation
 * removes it. One ERROR line and one `StaleClientSecrets` metric, always together, like orphans.
 */
export function reportStaleSecret(clientId: string, secretId: string, error: unknown): void {
  logger.error(
    'Stale client secret at Cognito: the bridge issued a new secret but could not delete the previous one; the next rotation deletes it first, or delete it by hand (stale_id names it)',
    { client_id: clientId, stale_id: secretId, reason: reasonOf(error) },
  );
  staleSecretMetric();
}

/**
 * An AddUserPoolClientSecret that may have made a secret nobody was told, which the bridge could
 * not find and delete: the next rotation deletes it first (it keeps the one Konnect holds).
 */
function reportUnansweredSecret(clientId: string, known: string[], error: unknown): void {
  logger.error(
    'Stale client secret possible at Cognito: a secret was added without an answer and the bridge could not remove it; the next rotation deletes it first, or delete by hand any secret of the client other than known_ids',
    { client_id: clientId, known_ids: known, reason: reasonOf(error) },
  );
  staleSecretMetric();
}

const createdAt = (secret: ClientSecretDescriptorType) => secret.ClientSecretCreateDate?.getTime() ?? 0;

/** The deadline for cleanup: the request's while it lasts, then the compensation window. */
const cleanupOperation = (context: OperationContext) => (context.signal.aborted ? compensationOperation() : context);

/**
 * Secret rotation with Cognito's two-secret slots (API_AddUserPoolClientSecret: up to 2 per
 * client; API_DeleteUserPoolClientSecret: never the last one): add the new secret, then delete the
 * older one. The secret Konnect holds is noted (AnsweredSecrets) before every add, so two secrets
 * found later are told apart: an earlier delete that failed (the newest is Konnect's) from an add
 * whose answer was lost (the newest is nobody's). The other one goes first; Konnect's keeps working
 * until a new one is answered.
 */
export class CognitoSecretRotation {
  constructor(
    private readonly api: CognitoApi,
    private readonly answered: AnsweredSecrets,
  ) {}

  async rotate(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    const before = ((await this.api.listSecrets(clientId, context)).ClientSecrets ?? [])
      .filter((secret): secret is ClientSecretDescriptorType & { ClientSecretId: string } => !!secret.ClientSecretId)
      .sort((a, b) => createdAt(a) - createdAt(b));
    const live = await this.konnectsSecret(before.map((secret) => secret.ClientSecretId));
    for (const stale of before) {
      if (stale.ClientSecretId === live) continue;
      logger.warn('Deleting a secret an earlier rotation left at Cognito', {
        client_id: clientId,
        stale_id: stale.ClientSecretId,
      });
      await this.deleteSecret(clientId, stale.ClientSecretId, context);
      await this.answered.tryForget(stale.ClientSecretId);
    }
    // Noted before the add: if its answer is lost, the next rotation still knows Konnect's secret.
    if (live) await this.answered.mark(live);
    const known = live ? [live] : [];

    let added: ClientSecretDescriptorType | undefined;
    try {
      added = (await this.api.addSecret(clientId, context)).ClientSecretDescriptor;
    } catch (error) {
      if (mayHaveTakenEffect(error)) await this.removeUnanswered(clientId, known);
      throw error;
    }
    const secret = added?.ClientSecretValue;
    if (!added?.ClientSecretId || !secret) {
      const error = idpFailed(
        'The identity provider (cognito) answered AddUserPoolClientSecret without the new secret; the bridge removed it, or reported it for the next rotation to remove.',
      );
      await this.removeUnanswered(clientId, known);
      throw error;
    }
    rememberSecret(secret);
    const newId = added.ClientSecretId;
    // Unnoted new secret: forget the old note too, so the rule "newest is Konnect's" applies.
    if (!(await this.answered.tryMark(newId)) && live) await this.answered.tryForget(live);
    if (live && live !== newId) {
      try {
        await this.deleteSecret(clientId, live, cleanupOperation(context));
        await this.answered.tryForget(live);
      } catch (error) {
        // The new secret works: it is answered, and the old one reported, not left unsaid.
        reportStaleSecret(clientId, live, error);
      }
    }
    // Cognito secrets do not expire (RFC 7591: 0 = never).
    return { clientId, clientSecret: secret, clientSecretExpiresAt: 0 };
  }

  /**
   * Of the secrets found, the one Konnect holds: the only one noted as answered; else the newest
   * (both noted: a delete after an answered add failed; none: rotated before the bridge kept notes).
   */
  private async konnectsSecret(ids: string[]): Promise<string | undefined> {
    if (ids.length < 2) return ids[0];
    const noted = await Promise.all(ids.map((id) => this.answered.isAnswered(id)));
    const answered = ids.filter((_, index) => noted[index]);
    return answered.length === 1 ? answered[0] : ids.at(-1);
  }

  /** A secret already gone is deleted as far as rotation cares. */
  private async deleteSecret(clientId: string, secretId: string, context: OperationContext): Promise<void> {
    try {
      await this.api.deleteSecret(clientId, secretId, context);
    } catch (error) {
      if (!(error instanceof CognitoServiceError && isSecretNotFound(error))) throw error;
    }
  }

  /**
   * After an add that may have taken effect without its answer: lists again, within the
   * compensation window, and deletes any secret other than Konnect's. Reported when it cannot.
   */
  private async removeUnanswered(clientId: string, known: string[]): Promise<void> {
    const context = compensationOperation();
    try {
      const now = (await this.api.listSecrets(clientId, context)).ClientSecrets ?? [];
      for (const { ClientSecretId: id } of now) {
        if (!id || known.includes(id)) continue;
        await this.deleteSecret(clientId, id, context);
        logger.warn('Removed a client secret whose AddUserPoolClientSecret got no usable answer', {
          client_id: clientId,
          secret_id: id,
        });
      }
    } catch (error) {
      reportUnansweredSecret(clientId, known, error);
    }
  }
}
