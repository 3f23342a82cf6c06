import * as z from 'zod/mini';
import { idpFailed } from '../../commons/bridge-error';
import { waitFor } from '../../commons/rate-limit';
import type { OperationContext } from '../idp-adapter';
import { MANAGED_BY } from '../ownership';
import { CREATION_ID_KEY } from './auth0-client-request';
import { auth0Error } from './auth0-error';
import type { Auth0ManagementApi } from './auth0-management-api';

/** Auth0's search is eventually consistent: an empty answer is asked again this often, this far apart. */
const SEARCH_ATTEMPTS = 3;
const SEARCH_RETRY_DELAY_MS = 400;

const searchResult = z.looseObject({
  clients: z.array(
    z.looseObject({
      client_id: z.string().check(z.minLength(1)),
      client_metadata: z.nullish(z.record(z.string(), z.unknown())),
    }),
  ),
});

/**
 * The ids of the clients one create made, found by the creation id it put into client_metadata,
 * through `GET /api/v2/clients/search` with a SCIM filter on `metadata.{key}`
 * (https://auth0.com/docs/api/management/v2/clients/get-clients-search). Auth0 says its results
 * "may not reflect recent updates immediately", so an empty answer is asked again while it fits.
 */
export async function findCreatedClients(
  api: Auth0ManagementApi,
  creationId: string,
  context: OperationContext,
): Promise<string[]> {
  const operation = 'searching for the client of a failed create';
  for (let attempt = 1; ; attempt += 1) {
    const response = await api.call(
      {
        method: 'GET',
        path: '/clients/search',
        query: {
          q: `metadata.${CREATION_ID_KEY} eq "${creationId}"`,
          parser: 'scim',
          fields: 'client_id,client_metadata',
          include_fields: 'true',
        },
      },
      context,
    );
    if (response.status !== 200) throw auth0Error({ operation, status: response.status, body: response.body });
    const parsed = searchResult.safeParse(response.body);
    if (!parsed.success)
      throw idpFailed(`The identity provider (auth0) answered ${operation} with an unexpected body.`);
    // The filter is Auth0's; checking again keeps another client safe from a lax search.
    const found = parsed.data.clients
      .filter(({ client_metadata: metadata }) => {
        return metadata?.[CREATION_ID_KEY] === creationId && metadata?.managed_by === MANAGED_BY;
      })
      .map((client) => client.client_id);
    const nextFits = Date.now() + SEARCH_RETRY_DELAY_MS * attempt < context.deadlineAt;
    if (found.length > 0 || attempt >= SEARCH_ATTEMPTS || !nextFits) return found;
    await waitFor(SEARCH_RETRY_DELAY_MS * attempt, context.signal);
  }
}
