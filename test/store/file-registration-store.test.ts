import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { fileRegistrationStore } from '../../functions/store/file-registration-store';
import { describeRegistrationStoreContract } from './registration-store-contract';

const folder = mkdtempSync(join(tmpdir(), 'dcr-store-'));
// A folder per store that does not exist yet: the store must create it.
const newPath = () => join(folder, randomUUID(), 'registrations.json');

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describeRegistrationStoreContract('fileRegistrationStore', () => fileRegistrationStore(newPath()));

describe('fileRegistrationStore across restarts', () => {
  const record = {
    clientId: 'client-1',
    registrationClientUri: 'https://idp.example.com/r/1',
    registrationAccessToken: 'rat-1',
  };

  it('keeps records, leases and the verification pointer for the next process', async () => {
    const path = newPath();
    const before = fileRegistrationStore(path);
    const created = await before.create(record);
    await before.lease(record.clientId, created.version, 4_102_444_800_000);
    await before.replaceVerificationClient('verification-1');

    const after = fileRegistrationStore(path);

    expect(await after.get(record.clientId)).toEqual({ ...record, version: 2, leasedUntil: 4_102_444_800_000 });
    expect(await after.replaceVerificationClient('verification-2')).toBe('verification-1');
  });

  it("keeps the records of the clients the bridge created (Curity's dcrm mode), without any token", async () => {
    const path = newPath();
    await fileRegistrationStore(path).recordOwnership('owned-1');

    expect(await fileRegistrationStore(path).isOwned('owned-1')).toBe(true);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ records: [], owned: ['owned-1'] });
  });

  it('forgets a deleted record on disk too', async () => {
    const path = newPath();
    const before = fileRegistrationStore(path);
    await before.create(record);
    await before.delete(record.clientId);

    expect(await fileRegistrationStore(path).get(record.clientId)).toBeUndefined();
  });

  it('writes the file (it holds registration access tokens) readable by its owner only', async () => {
    const path = newPath();
    await fileRegistrationStore(path).create(record);

    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ records: [{ ...record, version: 1 }] });
  });

  it('refuses to start on a file that is not a registration store, instead of overwriting it', () => {
    const path = join(folder, 'not-a-store.json');
    writeFileSync(path, '{"something":"else"}');

    expect(() => fileRegistrationStore(path)).toThrow('is not a registration store file');
    expect(readFileSync(path, 'utf8')).toBe('{"something":"else"}');
  });
});
