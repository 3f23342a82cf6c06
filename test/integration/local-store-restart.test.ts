import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadBridgeDependencies } from '../../functions/bridge/bridge-dependencies';
import { operationWithin } from '../../functions/idp/idp-adapter';
import { captureOutputPerTest } from '../support/captured-output';
import { FakeDcrServer } from '../unit/support/fake-dcr-server';

// `npm start` in front of a real IdP: a restart (a new set of dependencies) must still reach the IdP.
describe('registrations kept in REGISTRATION_STORE_FILE across a restart', () => {
  captureOutputPerTest();
  let idp: FakeDcrServer;
  let folder: string;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
    folder = mkdtempSync(join(tmpdir(), 'dcr-restart-'));
  });

  afterAll(async () => {
    await idp?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const start = (storeFile?: string) =>
    loadBridgeDependencies({
      IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
      KONNECT_API_KEYS: 'restart_test_key_0001',
      ...(storeFile && { REGISTRATION_STORE_FILE: storeFile }),
    });

  const create = (adapter: ReturnType<typeof start>['adapter']) =>
    adapter.createClient(
      {
        clientName: 'Restart App',
        description: '',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        responseTypes: [],
        scopes: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
        konnect: {},
      },
      operationWithin(3000),
    );

  it('deletes at the IdP a client created before the restart', async () => {
    const storeFile = join(folder, 'registrations.json');
    const { clientId } = await create(start(storeFile).adapter);

    await start(storeFile).adapter.deleteClient(clientId, operationWithin(3000));

    expect(idp.calls).toContain(`DELETE /register/${clientId}`);
    expect(idp.clients.has(clientId)).toBe(false);
  });

  it('without the file (memory) a restart forgets the client: the delete never reaches the IdP', async () => {
    const { clientId } = await create(start().adapter);

    await start().adapter.deleteClient(clientId, operationWithin(3000));

    expect(idp.calls).not.toContain(`DELETE /register/${clientId}`);
    expect(idp.clients.has(clientId)).toBe(true);
  });
});
