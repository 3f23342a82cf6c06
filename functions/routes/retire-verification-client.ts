import { logger } from '../commons/logger';
import type { IdpAdapter, OperationContext } from '../idp/idp-adapter';
import { reasonOf, reportOrphan } from '../idp/orphans';
import type { VerificationLedger } from '../store/verification-ledger';

/**
 * Konnect's "Verify" button makes a real create every time it is clicked, and never deletes what
 * it created. The bridge remembers the latest verification client and removes the one before it,
 * so the IdP holds at most one (the latest, whose credentials Konnect may still be checking).
 * Nothing here fails the Verify: a client that cannot be remembered or removed is reported.
 */
export async function retirePreviousVerificationClient(
  latestClientId: string,
  adapter: IdpAdapter,
  ledger: VerificationLedger | undefined,
  operation: OperationContext,
): Promise<void> {
  let previous: string | undefined;
  try {
    if (!ledger) throw new Error('the bridge has no registration store to remember it in');
    previous = await ledger.replaceVerificationClient(latestClientId);
  } catch (error) {
    reportOrphan(
      adapter.name,
      'Orphaned client at the IdP: the bridge could not remember this Konnect verification client, so the next Verify cannot remove it; delete it by hand once Konnect has verified',
      { client_id: latestClientId, reason: reasonOf(error) },
    );
    return;
  }
  if (previous === undefined || previous === latestClientId) return;
  try {
    await adapter.deleteClient(previous, operation);
    logger.info('Removed the previous Konnect verification client', { previous_client_id: previous });
  } catch (error) {
    reportOrphan(
      adapter.name,
      'Orphaned client at the IdP: the previous Konnect verification client could not be removed; delete it by hand',
      { client_id: previous, reason: reasonOf(error) },
    );
  }
}
