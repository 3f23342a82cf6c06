import { describe, expect, it } from '@jest/globals';
import { MemoryRegistrationStore } from '../../../functions/store/memory-registration-store';
import { canLease, isLeased, type RegistrationStore } from '../../../functions/store/registration-store';

const record = {
  clientId: 'c1',
  registrationClientUri: 'https://idp.example.com/reg/c1',
  registrationAccessToken: 'r',
};

describe('isLeased', () => {
  it('is true only while the lease lasts', () => {
    const now = 1_000_000;
    expect(isLeased({ ...record, version: 1 }, now)).toBe(false);
    expect(isLeased({ ...record, version: 2, leasedUntil: now + 1 }, now)).toBe(true);
    // A lease ends at its time: a container that died holding it blocks nobody afterwards.
    expect(isLeased({ ...record, version: 2, leasedUntil: now }, now)).toBe(false);
    expect(isLeased({ ...record, version: 2, leasedUntil: now - 1 }, now)).toBe(false);
  });
});

describe('canLease', () => {
  it('recognises a store that can lease, and one that cannot (a wrapper that forwards only the basics)', () => {
    const full = new MemoryRegistrationStore();
    const basic: RegistrationStore = {
      get: (clientId) => full.get(clientId),
      create: (created) => full.create(created),
      replaceAccessToken: (clientId, version, next) => full.replaceAccessToken(clientId, version, next),
      delete: (clientId) => full.delete(clientId),
    };

    expect(canLease(full)).toBe(true);
    expect(canLease(basic)).toBe(false);
  });
});
