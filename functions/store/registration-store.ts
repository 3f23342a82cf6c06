/**
 * Where the bridge keeps what Konnect does not: per-client RFC 7592 management credentials.
 * Konnect only remembers the client id, so the registration access token (RAT) and the
 * client configuration URI must live here between calls.
 */
export interface RegistrationRecord {
  clientId: string;
  /** RFC 7592 client configuration endpoint for this client. */
  registrationClientUri: string;
  /** RFC 7592 registration access token; a secret. */
  registrationAccessToken: string;
  /** Optimistic-concurrency counter; starts at 1 and grows with every write. */
  version: number;
  /** Epoch ms until which one operation holds the client (see LeasingRegistrationStore); absent when free. */
  leasedUntil?: number;
}

/** Thrown when a conditional write loses a race (another writer changed the record first). */
export class RegistrationConflictError extends Error {
  constructor(clientId: string) {
    super(`registration record for ${clientId} was changed concurrently`);
    this.name = 'RegistrationConflictError';
  }
}

export interface RegistrationStore {
  /** The client's RAT record; undefined when there is none (an ownership record holds no RAT, see OwnershipLedger). */
  get(clientId: string): Promise<RegistrationRecord | undefined>;
  /** Inserts version 1; throws RegistrationConflictError when the client id already has a record of either kind. */
  create(record: Omit<RegistrationRecord, 'version' | 'leasedUntil'>): Promise<RegistrationRecord>;
  /**
   * Replaces the RAT (and URI) only if the stored version is still `expectedVersion`; a lease is
   * kept. Returns the new record, or throws RegistrationConflictError.
   */
  replaceAccessToken(
    clientId: string,
    expectedVersion: number,
    next: Pick<RegistrationRecord, 'registrationAccessToken' | 'registrationClientUri'>,
  ): Promise<RegistrationRecord>;
  /** Removes the record; resolves also when there is none. */
  delete(clientId: string): Promise<void>;
}

/**
 * A store that can hold a client for one operation, so that two operations on the same client
 * (two rotations at once) cannot both reach the IdP: the first takes the lease, the second sees it
 * (or loses the conditional write) and is refused before it sends anything. Both real stores lease.
 */
export interface LeasingRegistrationStore extends RegistrationStore {
  /**
   * Marks the client as held until `until` (epoch ms), only if the stored version is still
   * `expectedVersion`. Returns the new record, or throws RegistrationConflictError.
   */
  lease(clientId: string, expectedVersion: number, until: number): Promise<RegistrationRecord>;
  /** Ends the lease, only if the stored version is still `expectedVersion`; else RegistrationConflictError. */
  release(clientId: string, expectedVersion: number): Promise<void>;
}

export const canLease = (store: RegistrationStore): store is LeasingRegistrationStore =>
  typeof (store as Partial<LeasingRegistrationStore>).lease === 'function' &&
  typeof (store as Partial<LeasingRegistrationStore>).release === 'function';

/** Whether another operation holds the client right now. */
export const isLeased = (record: RegistrationRecord, now = Date.now()) =>
  record.leasedUntil !== undefined && record.leasedUntil > now;
