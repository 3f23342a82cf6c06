import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { curityAdapter } from '../../../../functions/idp/curity/curity-factory';
import { curitySettings } from '../../../../functions/idp/curity/curity-settings';
import { type NewClient, operationWithin } from '../../../../functions/idp/idp-adapter';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';
import { CurityFake } from '../../../fakes/curity-fake';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const newClient: NewClient = {
  clientName: 'Weather app',
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: {},
};

/** A memory store whose ownership calls fail on demand, as a DynamoDB outage would. */
class FlakyLedger extends MemoryRegistrationStore {
  readonly failing = new Set<'recordOwnership' | 'isOwned' | 'delete'>();

  override async recordOwnership(clientId: string) {
    if (this.failing.has('recordOwnership')) throw new Error('store down');
    return super.recordOwnership(clientId);
  }

  override async isOwned(clientId: string) {
    if (this.failing.has('isOwned')) throw new Error('store down');
    return super.isOwned(clientId);
  }

  override async delete(clientId: string) {
    if (this.failing.has('delete')) throw new Error('store down');
    return super.delete(clientId);
  }
}

describe('CurityDcrmAdapter: ownership from the registration store', () => {
  const output = captureOutputPerTest();
  let curity: CurityFake;
  let store: FlakyLedger;

  beforeAll(async () => {
    curity = await CurityFake.start();
  });
  afterAll(async () => {
    await curity.close();
  });
  beforeEach(() => {
    curity.reset();
    store = new FlakyLedger();
  });

  const adapter = () =>
    curityAdapter.create(curitySettings.parse({ IDP_ISSUER: curity.issuer }), {
      http: new HttpClient({ idpName: 'curity', callTimeoutMs: 2000 }),
      credentials: async () => ({ clientId: curity.bridgeClient.id, clientSecret: curity.bridgeClient.secret }),
      store: () => store,
    });
  const context = () => operationWithin(3000);

  it('records every client it creates, with no token in the record', async () => {
    const created = await adapter().createClient(newClient, context());

    expect(await store.isOwned(created.clientId)).toBe(true);
    expect(await store.get(created.clientId)).toBeUndefined();
  });

  it('deletes at Curity a client it could not record, and answers 503', async () => {
    store.failing.add('recordOwnership');
    const before = curity.clientCount();

    const error = await bridgeErrorOf(adapter().createClient(newClient, context()));

    expect([error.statusCode, error.error]).toEqual([503, 'service_unavailable']);
    expect(error.description).toContain('removed it again');
    expect(curity.clientCount()).toBe(before);
    expect(output.text()).toContain('Removed a half-created client');
  });

  it('names the client to delete by hand when that removal fails too', async () => {
    store.failing.add('recordOwnership');
    curity.inject('delete', { status: 500, body: { error: 'server_error' } });

    const error = await bridgeErrorOf(adapter().createClient(newClient, context()));

    const [orphan] = output.lines().filter((line) => String(line.message).startsWith('Orphaned client'));
    expect(error.statusCode).toBe(503);
    expect(error.description).toContain(`delete client ${orphan?.client_id} in Curity`);
    curity.removeClient(orphan?.client_id as string);
  });

  it('answers 503 and calls Curity about nothing when the store cannot say whose a client is', async () => {
    const created = await adapter().createClient(newClient, context());
    store.failing.add('isOwned');
    curity.reset();

    for (const call of [
      () => adapter().rotateSecret(created.clientId, context()),
      () => adapter().deleteClient(created.clientId, context()),
      () => adapter().addRegistration({ clientId: created.clientId, apiProductVersionId: 'v1' }, context()),
    ]) {
      expect((await bridgeErrorOf(call())).statusCode).toBe(503);
    }
    expect(curity.managementCallsFor(created.clientId)).toEqual([]);
    expect(curity.findClient(created.clientId)).toBeDefined();
  });

  it('keeps the record when it cannot remove it after the delete; the retry finishes the job', async () => {
    const created = await adapter().createClient(newClient, context());
    store.failing.add('delete');

    expect((await bridgeErrorOf(adapter().deleteClient(created.clientId, context()))).statusCode).toBe(503);
    expect(curity.findClient(created.clientId)).toBeUndefined();

    store.failing.clear();
    await adapter().deleteClient(created.clientId, context());
    expect(await store.isOwned(created.clientId)).toBe(false);
  });

  it("refuses a client recorded by nobody, and the bridge's own, before any call", async () => {
    const foreign = curity.addForeignClient({ konnect_managed_by: 'konnect-dcr-bridge' });
    const dcrm = adapter();

    for (const clientId of [foreign.clientId, curity.bridgeClient.id]) {
      expect((await bridgeErrorOf(dcrm.rotateSecret(clientId, context()))).error).toBe('client_not_found');
      expect((await bridgeErrorOf(dcrm.updateRedirectUris(clientId, [], context()))).error).toBe('client_not_found');
      const change = { clientId, apiProductVersionId: 'v1' };
      expect((await bridgeErrorOf(dcrm.removeRegistration(change, context()))).error).toBe('client_not_found');
      await dcrm.deleteClient(clientId, context());
    }
    expect(curity.calls).toEqual([]);
  });
});
