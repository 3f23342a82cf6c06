import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context } from 'aws-lambda';
import { logger } from '../commons/logger';
import { readKeyRotationSettings } from './key-rotation-settings';
import { runRotationStep, type SecretsManagerRotationEvent } from './key-rotation-steps';
import { KonnectApi } from './konnect-api';
import { readKonnectToken } from './konnect-token';

const client = new SecretsManagerClient({});

/**
 * Secrets Manager's rotation function for the bridge's Konnect key: one step per invocation
 * (key-rotation-steps.ts). A failed step throws, so the function's Errors alarm fires, and leaves
 * the bridge accepting both keys; Secrets Manager runs the rotation again.
 */
export async function handler(event: SecretsManagerRotationEvent, context?: Context): Promise<void> {
  if (context) logger.addContext(context);
  // Not "secret_id": the logger masks any field named like a secret.
  const fields = { step: event.Step, rotating: event.SecretId, version_id: event.ClientRequestToken };
  try {
    const settings = readKeyRotationSettings(process.env);
    // Read at every step: the token may itself be rotated between two steps.
    const token = await readKonnectToken(client, settings.tokenSecretArn);
    const api = new KonnectApi({ baseUrl: settings.apiUrl, token });
    const outcome = await runRotationStep(event, {
      client,
      api,
      provider: settings.provider,
      owner: settings.owner,
      acceptDelayMs: settings.acceptDelayMs,
    });
    logger.info('Konnect key rotation step done', { ...fields, outcome });
  } catch (error) {
    // Names and messages only: none of them quotes a key or the token (and the logger masks both).
    logger.error('Konnect key rotation step failed; the bridge still accepts the key Konnect holds', {
      ...fields,
      reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    throw error;
  }
}
