import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { OwnershipLedger } from '../../functions/store/ownership-ledger';
import {
  isLeased,
  type LeasingRegistrationStore,
  RegistrationConflictError,
} from '../../functions/store/registration-store';
import { VERIFICATION_RECORD_KEY, type VerificationLedger } from '../../functions/store/verification-ledger';

/**
 * Behaviour every RegistrationStore must share, so the in-memory store used locally
 * cannot drift from the DynamoDB store used in production.
 * `makeStore` is called inside each test, after any beforeAll set-up has run.
 */
export function describeRegistrationStoreContract(
  name: string,
  makeStore: () => LeasingRegistrationStore & OwnershipLedger & VerificationLedger,
): void {
  describe(`${name} (RegistrationStore contract)`, () => {
    // Unique ids keep tests independent when the backing table is shared.
    const newRecord = () => {
      const clientId = `client-${randomUUID()}`;
      return {
        clientId,
        registrationClientUri: `https://idp.example.com/register/${clientId}`,
        registrationAccessToken: `rat-${randomUUID()}`,
      };
    };

    it('creates version 1 and reads it back', async () => {
      const store = makeStore();
      const record = newRecord();

      const created = await store.create(record);

      expect(created).toEqual({ ...record, version: 1 });
      expect(await store.get(record.clientId)).toEqual({ ...record, version: 1 });
    });

    it('returns undefined for an unknown client', async () => {
      const store = makeStore();
      expect(await store.get(`client-${randomUUID()}`)).toBeUndefined();
    });

    it('rejects a second create for the same client and keeps the first', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);

      await expect(store.create({ ...record, registrationAccessToken: 'rat-intruder' })).rejects.toBeInstanceOf(
        RegistrationConflictError,
      );
      expect(await store.get(record.clientId)).toEqual({ ...record, version: 1 });
    });

    it('replaces the token when the expected version matches', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);
      const next = {
        registrationAccessToken: 'rat-rotated',
        registrationClientUri: `${record.registrationClientUri}?moved=1`,
      };

      const replaced = await store.replaceAccessToken(record.clientId, 1, next);

      expect(replaced).toEqual({ clientId: record.clientId, ...next, version: 2 });
      expect(await store.get(record.clientId)).toEqual(replaced);
    });

    it('rejects a replace with a stale version and leaves the stored token alone', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);
      const current = await store.replaceAccessToken(record.clientId, 1, {
        registrationAccessToken: 'rat-v2',
        registrationClientUri: record.registrationClientUri,
      });

      await expect(
        store.replaceAccessToken(record.clientId, 1, {
          registrationAccessToken: 'rat-stale-writer',
          registrationClientUri: record.registrationClientUri,
        }),
      ).rejects.toBeInstanceOf(RegistrationConflictError);
      expect(await store.get(record.clientId)).toEqual(current);
    });

    it('lets exactly one of two concurrent replaces from the same version win', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);
      const tokens = ['rat-writer-a', 'rat-writer-b'];

      const results = await Promise.allSettled(
        tokens.map((registrationAccessToken) =>
          store.replaceAccessToken(record.clientId, 1, {
            registrationAccessToken,
            registrationClientUri: record.registrationClientUri,
          }),
        ),
      );

      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(RegistrationConflictError);
      const winner = won[0]?.value;
      expect(winner?.version).toBe(2);
      expect(tokens).toContain(winner?.registrationAccessToken);
      expect(await store.get(record.clientId)).toEqual(winner);
    });

    it('rejects a replace for a missing client without creating it', async () => {
      const store = makeStore();
      const clientId = `client-${randomUUID()}`;

      await expect(
        store.replaceAccessToken(clientId, 1, {
          registrationAccessToken: 'rat-orphan',
          registrationClientUri: 'https://idp.example.com/register/orphan',
        }),
      ).rejects.toBeInstanceOf(RegistrationConflictError);
      expect(await store.get(clientId)).toBeUndefined();
    });

    it('deletes a record', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);

      await store.delete(record.clientId);

      expect(await store.get(record.clientId)).toBeUndefined();
    });

    it('resolves when deleting a missing record', async () => {
      const store = makeStore();
      await expect(store.delete(`client-${randomUUID()}`)).resolves.toBeUndefined();
    });

    it('allows creating again after delete, starting over at version 1', async () => {
      const store = makeStore();
      const record = newRecord();
      await store.create(record);
      await store.replaceAccessToken(record.clientId, 1, {
        registrationAccessToken: 'rat-v2',
        registrationClientUri: record.registrationClientUri,
      });
      await store.delete(record.clientId);

      const recreated = await store.create(record);

      expect(recreated.version).toBe(1);
    });

    describe('leases: one operation at a time per client', () => {
      const until = () => Date.now() + 30_000;

      it('takes a lease at the current version: the version moves on, the token stays', async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);
        const leaseEnd = until();

        const leased = await store.lease(record.clientId, 1, leaseEnd);

        expect(leased).toEqual({ ...record, version: 2, leasedUntil: leaseEnd });
        expect(await store.get(record.clientId)).toEqual(leased);
        expect(isLeased(leased)).toBe(true);
      });

      it('lets exactly one of two leases from the same version win (two rotations at once)', async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);

        const results = await Promise.allSettled([
          store.lease(record.clientId, 1, until()),
          store.lease(record.clientId, 1, until()),
        ]);

        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const [lost] = results.filter((r) => r.status === 'rejected');
        expect(lost?.reason).toBeInstanceOf(RegistrationConflictError);
        expect((await store.get(record.clientId))?.version).toBe(2);
      });

      it("keeps the lease through the holder's token replacements, and release ends it", async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);
        const leaseEnd = until();
        await store.lease(record.clientId, 1, leaseEnd);

        const replaced = await store.replaceAccessToken(record.clientId, 2, {
          registrationAccessToken: 'rat-rotated-while-held',
          registrationClientUri: record.registrationClientUri,
        });
        expect(replaced).toMatchObject({ version: 3, leasedUntil: leaseEnd });

        await store.release(record.clientId, 3);
        const released = await store.get(record.clientId);
        expect(released).toEqual({
          ...record,
          registrationAccessToken: 'rat-rotated-while-held',
          version: 4,
        });
        expect(released).not.toHaveProperty('leasedUntil');
      });

      it('refuses a lease or a release from a stale version, and both for a missing client', async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);
        await store.lease(record.clientId, 1, until());

        await expect(store.lease(record.clientId, 1, until())).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.release(record.clientId, 1)).rejects.toBeInstanceOf(RegistrationConflictError);
        const missing = `client-${randomUUID()}`;
        await expect(store.lease(missing, 1, until())).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.release(missing, 1)).rejects.toBeInstanceOf(RegistrationConflictError);
        expect(await store.get(missing)).toBeUndefined();
        expect((await store.get(record.clientId))?.version).toBe(2);
      });

      it('deletes a leased record (a delete ends its own lease)', async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);
        await store.lease(record.clientId, 1, until());

        await store.delete(record.clientId);

        expect(await store.get(record.clientId)).toBeUndefined();
      });
    });

    describe('ownership records: which clients the bridge created, with no token', () => {
      it('records a client and finds it; an unknown client is not owned', async () => {
        const store = makeStore();
        const { clientId } = newRecord();

        await store.recordOwnership(clientId);

        expect(await store.isOwned(clientId)).toBe(true);
        expect(await store.isOwned(`client-${randomUUID()}`)).toBe(false);
      });

      it('is never a RAT record: get finds none, and no token write, lease or release applies to it', async () => {
        const store = makeStore();
        const { clientId, registrationClientUri } = newRecord();
        await store.recordOwnership(clientId);

        expect(await store.get(clientId)).toBeUndefined();
        await expect(
          store.replaceAccessToken(clientId, 1, { registrationAccessToken: 'rat-planted', registrationClientUri }),
        ).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.lease(clientId, 1, Date.now() + 30_000)).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.release(clientId, 1)).rejects.toBeInstanceOf(RegistrationConflictError);
        expect(await store.get(clientId)).toBeUndefined();
        expect(await store.isOwned(clientId)).toBe(true);
      });

      it('keeps one record per client: either kind refuses a second one and keeps the first', async () => {
        const store = makeStore();
        const owned = newRecord();
        const withToken = newRecord();
        await store.recordOwnership(owned.clientId);
        await store.create(withToken);

        await expect(store.create(owned)).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.recordOwnership(owned.clientId)).rejects.toBeInstanceOf(RegistrationConflictError);
        await expect(store.recordOwnership(withToken.clientId)).rejects.toBeInstanceOf(RegistrationConflictError);
        expect(await store.get(owned.clientId)).toBeUndefined();
        expect(await store.get(withToken.clientId)).toEqual({ ...withToken, version: 1 });
      });

      it('counts a RAT record as proof of ownership too (the bridge created that client)', async () => {
        const store = makeStore();
        const record = newRecord();
        await store.create(record);

        expect(await store.isOwned(record.clientId)).toBe(true);
      });

      it('deletes it (also when absent), after which the client is not owned and can be recorded again', async () => {
        const store = makeStore();
        const { clientId } = newRecord();
        await store.recordOwnership(clientId);

        await store.delete(clientId);
        await store.delete(clientId);

        expect(await store.isOwned(clientId)).toBe(false);
        await store.recordOwnership(clientId);
        expect(await store.isOwned(clientId)).toBe(true);
      });

      it('does not take the verification pointer for a client the bridge owns', async () => {
        const store = makeStore();
        await store.replaceVerificationClient(newRecord().clientId);

        expect(await store.isOwned(VERIFICATION_RECORD_KEY)).toBe(false);
      });
    });

    it('hands out copies, so mutating a result does not change the stored record', async () => {
      const store = makeStore();
      const record = newRecord();
      const created = await store.create(record);
      created.registrationAccessToken = 'rat-mutated';
      const read = await store.get(record.clientId);
      if (read) read.version = 99;

      expect(await store.get(record.clientId)).toEqual({ ...record, version: 1 });
    });

    it('remembers the latest Konnect verification client and hands back the one it replaces', async () => {
      const store = makeStore();
      const [first, second, third] = [newRecord().clientId, newRecord().clientId, newRecord().clientId];

      await store.replaceVerificationClient(first);

      expect(await store.replaceVerificationClient(second)).toBe(first);
      expect(await store.replaceVerificationClient(third)).toBe(second);
      // The pointer is not a client record.
      expect(await store.get(third)).toBeUndefined();
    });
  });
}
