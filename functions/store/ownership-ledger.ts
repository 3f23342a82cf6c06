import type { RegistrationStore } from './registration-store';

/**
 * Where the bridge records the clients it created when one token manages every client at the IdP
 * (Curity's dcrm mode): the record is the proof that a client is the bridge's, so deciding whose a
 * client is never touches the IdP. An ownership record holds no token: nothing in it can act on the
 * client, and `RegistrationStore.get` never returns it (a RAT user sees no record to act with).
 */
export interface OwnershipLedger {
  /** Records that the bridge created the client; RegistrationConflictError when any record for it exists. */
  recordOwnership(clientId: string): Promise<void>;
  /** Whether the store holds a record of the bridge creating the client: an ownership or a RAT record. */
  isOwned(clientId: string): Promise<boolean>;
  /** Removes the client's record, of either kind; resolves also when there is none. */
  delete(clientId: string): Promise<void>;
}

/** The attribute value (DynamoDB `recordKind`) of an ownership record; RAT records have none. */
export const OWNERSHIP_RECORD_KIND = 'ownership';

/** The store as an ownership ledger; both real stores are one, so anything else is a wiring mistake. */
export function ownershipLedgerOf(store: RegistrationStore): OwnershipLedger {
  const ledger = store as Partial<OwnershipLedger>;
  if (typeof ledger.recordOwnership !== 'function' || typeof ledger.isOwned !== 'function') {
    throw new Error('The registration store cannot record which clients the bridge created.');
  }
  return store as RegistrationStore & OwnershipLedger;
}
