import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { withinTime } from '../../auth/konnect-key-source';
import type { KonnectKeyVerifier } from '../../auth/konnect-key-verifier';
import { misconfigured, serviceUnavailable, unauthorized } from '../../commons/bridge-error';
import { ConfigurationError } from '../../commons/configuration-error';
import { logger } from '../../commons/logger';
import { millisUntil } from '../request-budget';

/** What checking one request's key needs: the verifier, and when the request's budget ends. */
export interface KeyCheck {
  verifier: KonnectKeyVerifier;
  deadlineAt: number;
}

/**
 * Rejects a request without an accepted X-API-KEY before anything else reads it. The key read
 * counts against the request's budget. A bridge that cannot check keys at all (its key settings,
 * or the loading of its dependencies, are wrong) tells the caller only that it is misconfigured.
 */
export const konnectKeyCheck = (
  keyCheck: (context: Context) => Promise<KeyCheck>,
): MiddlewareObj<APIGatewayProxyEvent, unknown, Error, Context> => ({
  before: async (request) => {
    const { verifier, deadlineAt } = await keyCheck(request.context).catch(hideMisconfiguration);
    // Lower-cased by the header normalizer that runs before this.
    const presented = request.event.headers?.['x-api-key'];
    const accepted = await withinTime(verifier.verify(presented), millisUntil(deadlineAt), () =>
      serviceUnavailable('The bridge could not read its accepted API keys in time; retry.'),
    );
    if (!accepted) throw unauthorized();
  },
});

function hideMisconfiguration(error: unknown): never {
  if (!(error instanceof ConfigurationError)) throw error;
  // Names settings, never values (ConfigurationError's rule): safe for the log, not for a stranger.
  logger.error('The bridge is misconfigured', { reason: error.message });
  throw misconfigured(error);
}
