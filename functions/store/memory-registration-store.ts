import type { OwnershipLedger } from './ownership-ledger';
import {
  type LeasingRegistrationStore,
  RegistrationConflictError,
  type RegistrationRecord,
} from './registration-store';
import type { VerificationLedger } from './verification-ledger';

/** Everything a memory store holds, as plain data (what the file store writes). */
export interface RegistrationSnapshot {
  records: RegistrationRecord[];
  /** Clients with an ownership record (no token); absent when there are none. */
  owned?: string[];
  verificationClientId?: string;
}

export interface MemoryRegistrationStoreOptions {
  /** What the store starts with. */
  initial?: RegistrationSnapshot;
  /** Called with the whole state after every change, before the change resolves. */
  persist?: (snapshot: RegistrationSnapshot) => void;
}

/**
 * In-process store for local runs and tests. Mirrors the conditional semantics of the
 * DynamoDB store so code exercised locally behaves the same in production.
 */
export class MemoryRegistrationStore implements LeasingRegistrationStore, OwnershipLedger, VerificationLedger {
  readonly #records = new Map<string, RegistrationRecord>();
  // Apart from the RAT records, so no RAT operation can see them; one client id has one record at most.
  readonly #owned = new Set<string>();
  readonly #persist?: (snapshot: RegistrationSnapshot) => void;
  #verificationClientId?: string;

  constructor(options: MemoryRegistrationStoreOptions = {}) {
    for (const record of options.initial?.records ?? []) this.#records.set(record.clientId, { ...record });
    for (const clientId of options.initial?.owned ?? []) this.#owned.add(clientId);
    this.#verificationClientId = options.initial?.verificationClientId;
    this.#persist = options.persist;
  }

  async get(clientId: string): Promise<RegistrationRecord | undefined> {
    const record = this.#records.get(clientId);
    return record && { ...record };
  }

  async create(record: Omit<RegistrationRecord, 'version' | 'leasedUntil'>): Promise<RegistrationRecord> {
    if (this.#records.has(record.clientId) || this.#owned.has(record.clientId)) {
      throw new RegistrationConflictError(record.clientId);
    }
    // Pick fields explicitly so extra properties on the argument are not persisted.
    return this.write({
      clientId: record.clientId,
      registrationClientUri: record.registrationClientUri,
      registrationAccessToken: record.registrationAccessToken,
      version: 1,
    });
  }

  async replaceAccessToken(
    clientId: string,
    expectedVersion: number,
    next: Pick<RegistrationRecord, 'registrationAccessToken' | 'registrationClientUri'>,
  ): Promise<RegistrationRecord> {
    const current = this.current(clientId, expectedVersion);
    return this.write({
      ...current,
      registrationClientUri: next.registrationClientUri,
      registrationAccessToken: next.registrationAccessToken,
      version: current.version + 1,
    });
  }

  async lease(clientId: string, expectedVersion: number, until: number): Promise<RegistrationRecord> {
    const current = this.current(clientId, expectedVersion);
    return this.write({ ...current, version: current.version + 1, leasedUntil: until });
  }

  async release(clientId: string, expectedVersion: number): Promise<void> {
    const { leasedUntil: _released, ...current } = this.current(clientId, expectedVersion);
    this.write({ ...current, version: current.version + 1 });
  }

  async recordOwnership(clientId: string): Promise<void> {
    if (this.#records.has(clientId) || this.#owned.has(clientId)) throw new RegistrationConflictError(clientId);
    this.#owned.add(clientId);
    this.save();
  }

  async isOwned(clientId: string): Promise<boolean> {
    return this.#owned.has(clientId) || this.#records.has(clientId);
  }

  async delete(clientId: string): Promise<void> {
    const removed = this.#records.delete(clientId);
    if (this.#owned.delete(clientId) || removed) this.save();
  }

  async replaceVerificationClient(clientId: string): Promise<string | undefined> {
    const previous = this.#verificationClientId;
    this.#verificationClientId = clientId;
    this.save();
    return previous;
  }

  /** The record, if it is still at the version the writer read; else the writer lost a race. */
  private current(clientId: string, expectedVersion: number): RegistrationRecord {
    const current = this.#records.get(clientId);
    if (!current || current.version !== expectedVersion) {
      throw new RegistrationConflictError(clientId);
    }
    return current;
  }

  private write(record: RegistrationRecord): RegistrationRecord {
    this.#records.set(record.clientId, record);
    this.save();
    return { ...record };
  }

  private save(): void {
    this.#persist?.({
      records: [...this.#records.values()],
      ...(this.#owned.size > 0 && { owned: [...this.#owned] }),
      ...(this.#verificationClientId !== undefined && { verificationClientId: this.#verificationClientId }),
    });
  }
}
