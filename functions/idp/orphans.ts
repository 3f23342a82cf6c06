import { BridgeError, serviceUnavailable } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import { metrics, recordOrphanedClient } from '../commons/metrics';

/** Why an IdP call failed, for a log line: a contract description, else the error's message. */
export function reasonOf(error: unknown): string {
  if (error instanceof BridgeError) return error.description;
  return error instanceof Error ? error.message : String(error);
}

/**
 * A client the IdP may hold that Konnect will never know about: one error line (the message
 * starts with "Orphaned client") and one `OrphanedClients` metric, always together, so the
 * operator is both paged and told which client to delete.
 */
export function reportOrphan(idpType: string, message: `Orphaned client${string}`, fields: Record<string, unknown>) {
  logger.error(message, fields);
  recordOrphanedClient(metrics, idpType);
}

/**
 * Removes a client the bridge created but cannot hand to Konnect. `remove` throws when the IdP
 * did not delete it; then the client is reported as orphaned. Resolves whether it was removed.
 */
export async function undoCreate(
  idpType: string,
  clientId: string,
  where: string,
  remove: () => Promise<void>,
): Promise<boolean> {
  try {
    await remove();
    logger.warn(`Removed a half-created client at ${where}`, { client_id: clientId });
    return true;
  } catch (error) {
    reportOrphan(idpType, `Orphaned client at ${where}: the bridge could not remove it; delete it by hand`, {
      client_id: clientId,
      reason: reasonOf(error),
    });
    return false;
  }
}

/** The answer when a new client could not be recorded by the bridge: `removed` says whether undoCreate removed it. */
export function unrecordedClient(removed: boolean, clientId: string, where: string, cause: unknown): BridgeError {
  return serviceUnavailable(
    removed
      ? 'The bridge could not record the new client, so it removed it again; retry.'
      : `The bridge could not record the new client, nor remove it again; delete client ${clientId} ${where}, then retry.`,
    cause,
  );
}
