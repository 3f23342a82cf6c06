import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { operationWithin } from '../../../functions/idp/idp-adapter';
import { retirePreviousVerificationClient } from '../../../functions/routes/retire-verification-client';
import { MemoryRegistrationStore } from '../../../functions/store/memory-registration-store';
import { captureOutputPerTest } from '../../support/captured-output';
import { blobsWith, logLines } from '../observability/emf';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';

describe('retirePreviousVerificationClient', () => {
  const output = captureOutputPerTest();
  const orphanReports = () => blobsWith(output.text(), 'OrphanedClients');
  const retire = (clientId: string, adapter: FakeIdpAdapter, ledger = new MemoryRegistrationStore()) =>
    retirePreviousVerificationClient(clientId, adapter, ledger, operationWithin(1000));

  it('removes nothing on the first Verify, then the previous verification client on each next one', async () => {
    const adapter = new FakeIdpAdapter();
    const ledger = new MemoryRegistrationStore();

    await retire('verify-1', adapter, ledger);
    await retire('verify-2', adapter, ledger);
    await retire('verify-3', adapter, ledger);

    expect(adapter.calls).toEqual([
      { method: 'deleteClient', clientId: 'verify-1' },
      { method: 'deleteClient', clientId: 'verify-2' },
    ]);
    expect(logLines(output.text(), 'Removed the previous Konnect verification client')).toHaveLength(2);
    expect(orphanReports()).toEqual([]);
  });

  it('never removes the client it has just handed out, even if the IdP reuses an id', async () => {
    const adapter = new FakeIdpAdapter();
    const ledger = new MemoryRegistrationStore();

    await retire('same-id', adapter, ledger);
    await retire('same-id', adapter, ledger);

    expect(adapter.calls).toEqual([]);
  });

  it('reports the previous client as orphaned when the IdP refuses to remove it, and does not throw', async () => {
    const adapter = new FakeIdpAdapter();
    const ledger = new MemoryRegistrationStore();
    await retire('verify-1', adapter, ledger);
    adapter.failWith = new BridgeError(502, 'idp_error', 'The identity provider answered 500.');

    await expect(retire('verify-2', adapter, ledger)).resolves.toBeUndefined();

    expect(
      logLines(
        output.text(),
        'Orphaned client at the IdP: the previous Konnect verification client could not be removed; delete it by hand',
      ),
    ).toEqual([expect.objectContaining({ client_id: 'verify-1', reason: 'The identity provider answered 500.' })]);
    expect(orphanReports()).toHaveLength(1);
  });

  it('reports the new client when it cannot be remembered (store down, or none), and removes nothing', async () => {
    const adapter = new FakeIdpAdapter();
    const broken = { replaceVerificationClient: async () => Promise.reject(new Error('table unreachable')) };

    await retirePreviousVerificationClient('verify-1', adapter, broken, operationWithin(1000));
    await retirePreviousVerificationClient('verify-2', adapter, undefined, operationWithin(1000));

    const lines = logLines(
      output.text(),
      'Orphaned client at the IdP: the bridge could not remember this Konnect verification client, so the next Verify cannot remove it; delete it by hand once Konnect has verified',
    );
    expect(lines).toEqual([
      expect.objectContaining({ client_id: 'verify-1', reason: 'table unreachable' }),
      expect.objectContaining({
        client_id: 'verify-2',
        reason: 'the bridge has no registration store to remember it in',
      }),
    ]);
    expect(adapter.calls).toEqual([]);
    expect(orphanReports()).toHaveLength(2);
  });
});
