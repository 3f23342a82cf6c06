import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { reasonOf, reportOrphan, undoCreate } from '../../../functions/idp/orphans';
import { captureOutputPerTest } from '../../support/captured-output';
import { blobsWith, logLines } from '../observability/emf';

describe('orphan reporting', () => {
  const output = captureOutputPerTest();
  const orphanCounts = () => blobsWith(output.text(), 'OrphanedClients').map((blob) => blob.members);

  it('reportOrphan writes the error line and counts OrphanedClients for the IdP type', () => {
    reportOrphan('okta', 'Orphaned client at Okta: test', { client_id: 'c-1' });
    expect(logLines(output.text(), 'Orphaned client at Okta: test')).toEqual([
      expect.objectContaining({ level: 'ERROR', client_id: 'c-1' }),
    ]);
    expect(orphanCounts()).toEqual([expect.objectContaining({ IdpType: 'okta', OrphanedClients: 1 })]);
  });

  it('undoCreate logs a removal and counts nothing when the IdP deleted the client', async () => {
    expect(await undoCreate('auth0', 'c-2', 'Auth0', async () => undefined)).toBe(true);
    expect(output.text()).toContain('Removed a half-created client at Auth0');
    expect(orphanCounts()).toEqual([]);
  });

  it('undoCreate reports an orphan with the reason when the removal fails', async () => {
    const removed = await undoCreate('entra', 'c-3', 'Entra', async () => {
      throw new BridgeError(502, 'idp_error', 'Graph answered 500');
    });
    expect(removed).toBe(false);
    expect(
      logLines(output.text(), 'Orphaned client at Entra: the bridge could not remove it; delete it by hand'),
    ).toEqual([expect.objectContaining({ client_id: 'c-3', reason: 'Graph answered 500' })]);
    expect(orphanCounts()).toEqual([expect.objectContaining({ IdpType: 'entra', OrphanedClients: 1 })]);
  });

  it('reasonOf prefers the contract description', () => {
    expect(reasonOf(new BridgeError(504, 'idp_timeout', 'too slow'))).toBe('too slow');
    expect(reasonOf(new Error('boom'))).toBe('boom');
    expect(reasonOf('text')).toBe('text');
  });
});
