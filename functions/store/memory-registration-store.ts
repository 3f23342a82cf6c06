import { RegistrationConflictError, type RegistrationRecord, type RegistrationStore } from './registration-store';

/**
 * In-process store for local runs and tests. Mirrors the conditional semantics of the
 * DynamoDB store so code exercised locally behaves the same in production.
 */
export class MemoryRegistrationStore implements RegistrationStore {
  readonly #records = new Map<string, RegistrationRecord>();

  async get(clientId: string): Promise<RegistrationRecord | undefined> {
    const record = this.#records.get(clientId);
    return record && { ...record };
  }

  async create(record: Omit<RegistrationRecord, 'version'>): Promise<RegistrationRecord> {
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
    const current = this.#records.get(clientId);
    if (!current || current.version !== expectedVersion) {
      throw new RegistrationConflictError(clientId);
    }
    const stored: RegistrationRecord = {
      clientId,
      registrationClientUri: next.registrationClientUri,
      registrationAccessToken: next.registrationAccessToken,
      version: current.version + 1,
    };
    this.#records.set(clientId, stored);
    return { ...stored };
  }

  async delete(clientId: string): Promise<void> {
    this.#records.delete(clientId);
  }
}
