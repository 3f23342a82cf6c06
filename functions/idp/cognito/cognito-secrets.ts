import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ClientSecretDescriptorType } from '@aws-sdk/client-cognito-identity-provider';
import { idpFailed } from '../../commons/bridge-error';
import { rememberSecret } from '../../commons/known-secrets';
import { logger } from '../../commons/logger';
import { metrics } from '../../commons/metrics';
import { compensationOperation, type OperationContext, type RotatedSecret } from '../idp-adapter';
import { reasonOf } from '../orphans';
import type { CognitoApi } from './cognito-api';

/**
 * A client secret the bridge meant to delete and could not: it still works until the next rotation
 * removes it. One ERROR line and one `StaleClientSecrets` metric, always together, like orphans.
 */
export function reportStaleSecret(clientId: string, secretId: string, error: unknown): void {
  logger.error(
    'Stale client secret at Cognito: the bridge issued a new secret but could not delete the previous one; the next rotation deletes it first, or delete it by hand (stale_id names it)',
    { client_id: clientId, stale_id: secretId, reason: reasonOf(error) },
  );
  const single = metrics.singleMetric();
  single.addDimension('IdpType', 'cognito');
  single.addMetric('StaleClientSecrets', MetricUnit.Count, 1);
}

const createdAt = (secret: ClientSecretDescriptorType) => secret.ClientSecretCreateDate?.getTime() ?? 0;

/** The deadline for cleanup: the request's while it lasts, then the compensation window. */
const cleanupOperation = (context: OperationContext) => (context.signal.aborted ? compensationOperation() : context);

/**
 * Secret rotation with Cognito's two-secret slots (API_AddUserPoolClientSecret: up to 2 per
 * client; API_DeleteUserPoolClientSecret: never the last one): add the new secret, then delete
 * every older one. Two secrets found before the add are what an earlier rotation could not
 * finish: all but the newest (the one that rotation answered) go first, so no client keeps two
 * secrets for longer than one rotation.
 */
export class CognitoSecretRotation {
  constructor(private readonly api: CognitoApi) {}

  async rotate(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    const before = ((await this.api.listSecrets(clientId, context)).ClientSecrets ?? []).sort(
      (a, b) => createdAt(a) - createdAt(b),
    );
    for (const stale of before.slice(0, -1)) {
      if (!stale.ClientSecretId) continue;
      logger.warn('Deleting a secret an earlier rotation left at Cognito', {
        client_id: clientId,
        stale_id: stale.ClientSecretId,
      });
      await this.api.deleteSecret(clientId, stale.ClientSecretId, context);
    }
    const added = (await this.api.addSecret(clientId, context)).ClientSecretDescriptor;
    const secret = added?.ClientSecretValue;
    if (!added?.ClientSecretId || !secret) {
      throw idpFailed(
        'The identity provider (cognito) answered AddUserPoolClientSecret without the new secret; the next rotation removes it.',
      );
    }
    rememberSecret(secret);
    const previous = before.at(-1)?.ClientSecretId;
    if (previous && previous !== added.ClientSecretId) {
      try {
        await this.api.deleteSecret(clientId, previous, cleanupOperation(context));
      } catch (error) {
        // The new secret works: it is answered, and the old one reported, not left unsaid.
        reportStaleSecret(clientId, previous, error);
      }
    }
    // Cognito secrets do not expire (RFC 7591: 0 = never).
    return { clientId, clientSecret: secret, clientSecretExpiresAt: 0 };
  }
}
