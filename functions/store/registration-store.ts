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
  /** Optimistic-concurrency counter; starts at 1 and grows with every token replacement. */
  version: number;
}

/** Thrown when a conditional write loses a race (another writer changed the record first). */
export class RegistrationConflictError extends Error {
  constructor(clientId: string) {
    super(`registration record for ${clientId} was changed concurrently`);
    this.name = 'RegistrationConflictError';
  }
}

export interface RegistrationStore {
  get(clientId: string): Promise<RegistrationRecord | undefined>;
  /** Inserts version 1; throws RegistrationConflictError when the client id already exists. */
  create(record: Omit<RegistrationRecord, 'version'>): Promise<RegistrationRecord>;
  /**
   * Replaces the RAT (and URI) only if the stored version is still `expectedVersion`;
   * returns the new record, or throws RegistrationConflictError.
   */
  replaceAccessToken(
    clientId: string,
    expectedVersion: number,
    next: Pick<RegistrationRecord, 'registrationAccessToken' | 'registrationClientUri'>,
  ): Promise<RegistrationRecord>;
  /** Removes the record; resolves also when there is none. */
  delete(clientId: string): Promise<void>;
}
