import { idpFailed } from '../../commons/bridge-error';
import type { OperationContext } from '../idp-adapter';
import { auth0Error } from './auth0-error';
import { type Auth0ManagementApi, clientGrantPath } from './auth0-management-api';
import { clientGrantList } from './auth0-schemas';

export interface GrantRequest {
  clientId: string;
  audience: string;
  scopes: string[];
}

/**
 * `POST /api/v2/client-grants`: lets the client obtain tokens for the API by client credentials.
 * Auth0 holds one grant per client and audience and answers 409 for a second one, which means the
 * access is already there. A 404 names either the client or the API as unknown; the caller decides.
 */
export async function grantAccess(
  api: Auth0ManagementApi,
  { clientId, audience, scopes }: GrantRequest,
  context: OperationContext,
): Promise<'created' | 'exists' | 'not_found'> {
  const response = await api.call(
    { method: 'POST', path: '/client-grants', json: { client_id: clientId, audience, scope: scopes } },
    context,
  );
  if (response.status === 201 || response.status === 200) return 'created';
  if (response.status === 409) return 'exists';
  if (response.status === 404) return 'not_found';
  throw auth0Error({ operation: 'creating the client grant', status: response.status, body: response.body });
}

/** Finds the client's grant for the API and deletes it; a grant already gone is not an error. */
export async function revokeAccess(
  api: Auth0ManagementApi,
  clientId: string,
  audience: string,
  context: OperationContext,
): Promise<'removed' | 'absent'> {
  const found = await api.call(
    { method: 'GET', path: '/client-grants', query: { client_id: clientId, audience } },
    context,
  );
  if (found.status !== 200) {
    throw auth0Error({ operation: 'listing the client grants', status: found.status, body: found.body });
  }
  const grants = clientGrantList.safeParse(found.body);
  if (!grants.success) {
    throw idpFailed('The identity provider (auth0) answered the client grant lookup with an unexpected body.');
  }
  // The filter is Auth0's; checking again keeps another client's grant safe from a lax server.
  const matching = grants.data.filter((grant) => grant.client_id === clientId && grant.audience === audience);
  if (matching.length === 0) return 'absent';
  for (const grant of matching) {
    const deleted = await api.call({ method: 'DELETE', path: clientGrantPath(grant.id) }, context);
    if (![200, 204, 404].includes(deleted.status)) {
      throw auth0Error({ operation: 'deleting the client grant', status: deleted.status, body: deleted.body });
    }
  }
  return 'removed';
}
