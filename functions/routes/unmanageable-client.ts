import { idpFailed } from '../commons/bridge-error';
import { CLIENT_ID_RULE, isManageableClientId } from '../contract/client-id';
import { compensationOperation, type IdpAdapter } from '../idp/idp-adapter';
import { undoCreate } from '../idp/orphans';

/**
 * Ids the adapters' URL encoding (encodeURIComponent) would leave able to address something else:
 * empty, a dot segment, or OData key quoting (Graph's `(appId='…')`). These are never sent back.
 */
const unsafeToAddress = (clientId: string) => clientId === '' || /^\.{1,2}$/.test(clientId) || /['()]/.test(clientId);

/**
 * Konnect sends the client id back in the path of every later call, where only CLIENT_ID_RULE is
 * accepted (contract/client-id.ts): a client issued with any other id could never be deleted,
 * rotated or updated. Such a create is undone at the IdP (or reported as orphaned) and answered
 * 502. The id itself stays out of the answer: it came from the IdP and may hold anything.
 */
export async function refuseUnmanageableClient(clientId: string, adapter: IdpAdapter): Promise<void> {
  if (isManageableClientId(clientId)) return;
  const removed = await undoCreate(adapter.name, clientId, 'the IdP', async () => {
    if (unsafeToAddress(clientId)) throw new Error('its id cannot be used safely in a URL');
    await adapter.deleteClient(clientId, compensationOperation());
  });
  const outcome = removed
    ? 'the bridge removed it again'
    : 'the bridge could not remove it; its log names the client to delete by hand';
  throw idpFailed(
    `The identity provider (${adapter.name}) issued a client id outside ${CLIENT_ID_RULE}, which Konnect could not send back to manage the client; ${outcome}.`,
  );
}
