import {
  type LeasingRegistrationStore,
  RegistrationConflictError,
  type RegistrationRecord,
} from './registration-store';

/**
 * In-process store for local runs and tests. Mirrors the conditional semantics of the
 * DynamoDB store so code exercised locally behaves the same in production.
 */
export class MemoryRegistrationStore implements LeasingRegistrationStore {
  readonly #records = new Map<string, RegistrationRecord>();

  async get(clientId: string): Promise<RegistrationRecord | undefined> {
    const record = this.#records.get(clientId);
    return record && { ...record };
  }

  async create(record: Omit<RegistrationRecord, 'version' | 'leasedUntil'>): Promise<RegistrationRecord> {
    if (this.#records.has(record.clientId)) {
      throw new RegistrationConflictError(record.clientId);
    }
    // Pick fields explicitly so extra properties on the argument are not persisted.
    const stored: RegistrationRecord = {
      clientId: record.clientId,
      registrationClientUri: record.registrationClientUri,
      registrationAccessToken: record.registrationAccessToken,
      version: 1,
    };
    this.#records.set(stored.clientId, stored);
    return { ...stored };
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

  async delete(clientId: string): Promise<void> {
    this.#records.delete(clientId);
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
    return { ...record };
  }
}
