import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { KonnectKeyVerifier } from '../../auth/konnect-key-verifier';
import { unauthorized } from '../../commons/bridge-error';

/** Rejects a request without an accepted X-API-KEY before anything else reads it. */
export const konnectKeyCheck = (verifier: () => Promise<KonnectKeyVerifier>): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async (request) => {
    // Lower-cased by the header normalizer that runs before this.
    const presented = request.event.headers?.['x-api-key'];
    if (!(await (await verifier()).verify(presented))) throw unauthorized();
  },
});
