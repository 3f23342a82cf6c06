import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { entraAdapter } from '../../../../functions/idp/entra/entra-factory';
import { entraSettingsSchema } from '../../../../functions/idp/entra/entra-settings';
import { type IdpAdapter, type NewClient, operationWithin } from '../../../../functions/idp/idp-adapter';
import { type EntraFake, startEntraFake } from '../../../fakes/entra-fake';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const client: NewClient = {
  clientName: 'Ledger',
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: [],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: {},
};

/** The adapter as the factory builds it, against the fake, with soft delete (the default). */
function adapterFor(fake: EntraFake, credentials = fake.admin, env: Record<string, string> = {}): IdpAdapter {
  const settings = entraSettingsSchema.parse({
    IDP_ENTRA_TENANT_ID: fake.tenantId,
    IDP_ENTRA_LOGIN_URL: fake.loginUrl,
    IDP_ENTRA_GRAPH_URL: fake.graphUrl,
    ...env,
  });
  return entraAdapter.create(settings, {
    http: new HttpClient({ idpName: 'entra', callTimeoutMs: 2000 }),
    credentials: async () => ({ ...credentials }),
    store: () => {
      throw new Error('Entra keeps no registration store');
    },
  });
}

const within = () => operationWithin(3000);

describe('EntraAdapter against the fake tenant', () => {
  let fake: EntraFake;
  let adapter: IdpAdapter;
  const output = captureOutputPerTest();

  beforeAll(async () => {
    fake = await startEntraFake();
    adapter = adapterFor(fake);
  });
  afterEach(() => {
    fake.clearInjections();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('creates within IDP_TIMEOUT_MS=2000 after a 429 and a replication lag, using the time that remains', async () => {
    // The 429 costs 1 s; then the service principal lags once. A full 250 ms wait plus a fixed
    // 500 ms headroom no longer fit the ~0.7 s left, so the create used to answer 504.
    fake.inject('createApplication', { status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    fake.setReplicationDelay(1);
    try {
      const issued = await adapter.createClient(client, operationWithin(2000));
      expect(fake.servicePrincipalCount()).toBe(1);
      await adapter.deleteClient(issued.clientId, within());
      fake.directory.deletedItems.clear();
    } finally {
      fake.setReplicationDelay(0);
    }
  });

  it('soft-deletes by default: the application stays restorable in deleted items, its secret dead', async () => {
    const issued = await adapter.createClient(client, within());
    await adapter.deleteClient(issued.clientId, within());
    expect(fake.applicationCount()).toBe(0);
    expect(fake.servicePrincipalCount()).toBe(0);
    expect(fake.deletedItemCount()).toBe(1);
    expect((await fake.requestToken(issued.clientId, issued.clientSecret)).status).toBe(400);
    fake.directory.deletedItems.clear();
  });

  it("cuts a description longer than Graph's 1,024 characters instead of failing", async () => {
    const issued = await adapter.createClient({ ...client, description: 'd'.repeat(1500) }, within());
    expect(fake.findApplication(issued.clientId)?.description).toHaveLength(1024);
    await adapter.deleteClient(issued.clientId, within());
    fake.directory.deletedItems.clear();
  });

  it("answers 502, not the developer's 400, when Graph refuses a new secret on rotation", async () => {
    const issued = await adapter.createClient(client, within());
    fake.inject('addPassword', {
      status: 400,
      body: { error: { code: 'Request_BadRequest', message: 'Invalid value specified for property displayName' } },
      times: 1,
    });
    const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, within()));
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain('Microsoft Graph answered 400 (Request_BadRequest');
    expect((await fake.requestToken(issued.clientId, issued.clientSecret)).status).toBe(200);
    await adapter.deleteClient(issued.clientId, within());
    fake.directory.deletedItems.clear();
  });

  it('keeps the previous secret working when a rotation cannot remove it, and drops the new one', async () => {
    const issued = await adapter.createClient(client, within());
    fake.inject('removePassword', { status: 500, times: 1 });

    const error = await bridgeErrorOf(adapter.rotateSecret(issued.clientId, within()));

    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('removing a previous client secret');
    const app = fake.findApplication(issued.clientId);
    expect(app?.passwordCredentials.map((password) => password.secretText)).toEqual([issued.clientSecret]);
    expect((await fake.requestToken(issued.clientId, issued.clientSecret)).status).toBe(200);
    expect(output.text()).toContain('Rotation failed; removed the new client secret again');
    await adapter.deleteClient(issued.clientId, within());
  });

  it('removes every previous secret on rotation, also ones left over by an earlier failure', async () => {
    const issued = await adapter.createClient(client, within());
    const app = fake.findApplication(issued.clientId);
    if (!app) throw new Error('expected the application');
    const leftover = fake.directory.addPassword(app, {});

    const rotated = await adapter.rotateSecret(issued.clientId, within());

    expect(app.passwordCredentials.map((password) => password.secretText)).toEqual([rotated.clientSecret]);
    expect((await fake.requestToken(issued.clientId, leftover.secretText)).status).toBe(401);
    expect(rotated.clientSecretExpiresAt).toEqual(expect.any(Number));
    await adapter.deleteClient(issued.clientId, within());
  });

  it('counts a service principal that exists already (409) as created', async () => {
    fake.inject('createServicePrincipal', { status: 409, times: 1 });
    const issued = await adapter.createClient(client, within());
    expect(fake.findApplication(issued.clientId)).toBeDefined();
    await adapter.deleteClient(issued.clientId, within());
    expect(fake.applicationCount()).toBe(0);
  });

  it('treats an application deleted between lookup and delete as deleted', async () => {
    const issued = await adapter.createClient(client, within());
    fake.inject('deleteApplication', { status: 404, afterEffect: true, times: 1 });
    await adapter.deleteClient(issued.clientId, within());
    expect(fake.applicationCount()).toBe(0);
    fake.directory.deletedItems.clear();
  });

  it('looks an application up again when replication hides it for a moment', async () => {
    const issued = await adapter.createClient(client, within());
    fake.inject('getApplication', { status: 404, times: 1 });
    await adapter.updateRedirectUris(issued.clientId, ['https://ledger.example.com/cb'], within());
    expect(fake.findApplication(issued.clientId)?.web.redirectUris).toEqual(['https://ledger.example.com/cb']);
    await adapter.deleteClient(issued.clientId, within());
  });

  it('looks for a lost create and reports that none was made when Graph failed before creating', async () => {
    fake.inject('createApplication', { status: 500, times: 1 });
    const before = fake.graphCalls.length;
    const error = await bridgeErrorOf(adapter.createClient(client, within()));
    expect(error.statusCode).toBe(502);
    expect(fake.graphCalls.slice(before)).toContain('GET /v1.0/applications');
    expect(output.text()).toContain('Entra holds no application it created');
    expect(output.text()).not.toContain('Orphaned');
  });

  it('removes an application created by a call that hung past the deadline', async () => {
    fake.inject('createApplication', { hang: true, afterEffect: true, times: 1 });
    const error = await bridgeErrorOf(adapter.createClient(client, operationWithin(800)));
    expect(error.statusCode).toBe(504);
    expect(fake.applicationCount()).toBe(0);
    expect(output.text()).toContain('Removed a half-created client at Entra');
    fake.directory.deletedItems.clear();
  });

  it('does not look for a lost create when the token was refused, as nothing was sent', async () => {
    const stranger = adapterFor(fake, { clientId: randomUUID(), clientSecret: 'whatever' });
    const before = fake.graphCalls.length;
    const error = await bridgeErrorOf(stranger.createClient(client, within()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('AADSTS700016');
    expect(error.description).toContain('IDP_ENTRA_TENANT_ID');
    expect(fake.graphCalls.length).toBe(before);
  });

  it('names IDP_ENTRA_GRAPH_SCOPE, not the credentials, when Entra knows no resource for the scope (AADSTS500011)', async () => {
    const misconfigured = adapterFor(fake, fake.admin, { IDP_ENTRA_GRAPH_SCOPE: 'https://graph.example.org/.default' });
    const error = await bridgeErrorOf(misconfigured.createClient(client, within()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('AADSTS500011');
    expect(error.description).toContain('IDP_ENTRA_GRAPH_SCOPE');
    expect(error.description).not.toContain('client_secret');
    expect(error.description).not.toContain('IDP_ENTRA_TENANT_ID');
  });

  it('names IDP_ENTRA_GRAPH_SCOPE when the scope lacks /.default (AADSTS1002012)', async () => {
    const misconfigured = adapterFor(fake, fake.admin, {
      IDP_ENTRA_GRAPH_SCOPE: `${fake.graphUrl}/Application.ReadWrite.OwnedBy`,
    });
    const error = await bridgeErrorOf(misconfigured.createClient(client, within()));
    expect(error.description).toContain('AADSTS1002012');
    expect(error.description).toContain('must be a resource followed by /.default');
  });

  it("names the bridge's client_secret, and only it, when Entra says it is wrong (AADSTS7000215)", async () => {
    const wrongSecret = adapterFor(fake, { clientId: fake.admin.clientId, clientSecret: 'not-the-secret' });
    const error = await bridgeErrorOf(wrongSecret.createClient(client, within()));
    expect(error.description).toContain('AADSTS7000215');
    expect(error.description).toContain("the bridge's client_secret is wrong");
    expect(error.description).not.toContain('IDP_ENTRA_GRAPH_SCOPE');
  });
});
