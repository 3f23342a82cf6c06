import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type EntraFake, startEntraFake } from '../fakes/entra-fake';
import { callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'entra_adapter_key_0001';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const LIFETIME_DAYS = 180;

const createBody = {
  client_name: 'Payments App',
  redirect_uris: ['https://payments.example.com/callback'],
  grant_types: ['client_credentials', 'authorization_code', 'bearer'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_post',
  application_description: 'Pays things',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

describe('Konnect → bridge → Entra ID (fake Graph and login host) over real HTTP', () => {
  let fake: EntraFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  let adminSecret: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    fake = await startEntraFake();
    adminSecret = fake.admin.clientSecret;
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'entra',
      IDP_ENTRA_TENANT_ID: fake.tenantId,
      IDP_ENTRA_LOGIN_URL: fake.loginUrl,
      IDP_ENTRA_GRAPH_URL: fake.graphUrl,
      IDP_ENTRA_SECRET_LIFETIME_DAYS: String(LIFETIME_DAYS),
      IDP_ENTRA_PERMANENT_DELETE: 'true',
      IDP_CLIENT_ID: fake.admin.clientId,
      IDP_CLIENT_SECRET: fake.admin.clientSecret,
      IDP_TIMEOUT_MS: '4000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterEach(() => {
    fake.clearInjections();
    fake.setReplicationDelay(0);
  });

  afterAll(async () => {
    await bridge?.stop();
    await fake?.close();
  });

  const create = (body: Record<string, unknown> = createBody) =>
    callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: body });
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });
  const hook = (clientId: string, json: Record<string, unknown>) =>
    callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, { key: KEY, json: { client_id: clientId, ...json } });
  const expectNothingLeft = () => {
    expect(fake.applicationCount()).toBe(0);
    expect(fake.servicePrincipalCount()).toBe(0);
  };

  it('runs create → token → rotate → update redirect URIs → registrations → delete → delete again', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(
      ['client_id', 'client_id_issued_at', 'client_secret', 'client_secret_expires_at'].sort(),
    );
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    handedOut.push(firstSecret);
    expect(clientId).toMatch(GUID);

    // client_id is the appId (what tokens carry), never the object id.
    const app = fake.findApplication(clientId);
    expect(app).toBeDefined();
    expect(app?.id).not.toBe(clientId);
    expect(app).toMatchObject({
      displayName: 'Payments App',
      description: 'Pays things',
      signInAudience: 'AzureADMyOrg',
      web: { redirectUris: ['https://payments.example.com/callback'] },
    });
    expect(app?.tags).toContain('konnect-dcr-bridge');
    expect(app?.notes).toContain(`developer_id=${createBody.developer_id}`);
    expect(app?.notes).toContain(`portal_id=${createBody.portal_id}`);
    expect(app?.passwordCredentials).toHaveLength(1);
    expect(fake.directory.servicePrincipalOf(clientId)).toBeDefined();
    const expiresAt = created.body.client_secret_expires_at as number;
    expect(Math.abs(expiresAt - (Date.now() / 1000 + LIFETIME_DAYS * 86_400))).toBeLessThan(3600);
    expect(created.body.client_id_issued_at).toBe(Math.floor(Date.parse(app?.createdDateTime ?? '') / 1000));

    const firstToken = await fake.requestToken(clientId, firstSecret);
    expect(firstToken.status).toBe(200);
    expect(firstToken.body.access_token).toEqual(expect.any(String));

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    expect(rotated.body.client_id).toBe(clientId);
    const secondSecret = rotated.body.client_secret as string;
    handedOut.push(secondSecret);
    expect(secondSecret).not.toBe(firstSecret);
    const oldRefused = await fake.requestToken(clientId, firstSecret);
    expect(oldRefused.status).toBe(401);
    expect(oldRefused.body.error_codes).toEqual([7000215]);
    expect((await fake.requestToken(clientId, secondSecret)).status).toBe(200);
    expect(fake.findApplication(clientId)?.passwordCredentials).toHaveLength(1);

    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/new-callback', 'http://localhost:8080/cb'],
    });
    expect(updated.status).toBe(200);
    expect(fake.findApplication(clientId)?.web.redirectUris).toEqual([
      'https://payments.example.com/new-callback',
      'http://localhost:8080/cb',
    ]);
    expect((await fake.requestToken(clientId, secondSecret)).status).toBe(200);

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await hook(clientId, { event_type, api_product_version_id: 'v1', audience: 'payments' });
      expect(registration.status).toBe(200);
    }

    const deleted = await remove(clientId);
    expect(deleted.status).toBe(204);
    expectNothingLeft();
    // IDP_ENTRA_PERMANENT_DELETE: not even restorable from deleted items.
    expect(fake.deletedItemCount()).toBe(0);
    const afterDelete = await fake.requestToken(clientId, secondSecret);
    expect(afterDelete.body.error_codes).toEqual([700016]);

    expect((await remove(clientId)).status).toBe(204);
  });

  it('keeps private-use scheme redirect URIs (RFC 8252 §7.1) on the public client platform', async () => {
    const created = await create({
      ...createBody,
      grant_types: ['authorization_code', 'client_credentials'],
      redirect_uris: ['com.example.payments:/callback', 'https://payments.example.com/callback'],
    });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    handedOut.push(created.body.client_secret as string);
    expect(fake.findApplication(clientId)).toMatchObject({
      web: { redirectUris: ['https://payments.example.com/callback'] },
      publicClient: { redirectUris: ['com.example.payments:/callback'] },
    });
    // Still a confidential client: its secret works for client credentials.
    expect((await fake.requestToken(clientId, created.body.client_secret as string)).status).toBe(200);

    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['com.example.payments:/v2/callback'],
    });
    expect(updated.status).toBe(200);
    expect(fake.findApplication(clientId)).toMatchObject({
      web: { redirectUris: [] },
      publicClient: { redirectUris: ['com.example.payments:/v2/callback'] },
    });
    expect((await remove(clientId)).status).toBe(204);
    expectNothingLeft();
  });

  it('answers 404 for a client Entra does not know, and asks Graph nothing for an id that is no appId', async () => {
    const unknown = randomUUID();
    expect((await callBridge(bridgeUrl, 'POST', `/${unknown}/new-secret`, { key: KEY })).status).toBe(404);
    expect((await hook(unknown, { event_type: 'add_registration', api_product_version_id: 'v1' })).status).toBe(404);

    const before = fake.graphCalls.length;
    const notAnAppId = await callBridge(bridgeUrl, 'POST', '/not-an-app-id/new-secret', { key: KEY });
    expect(notAnAppId.status).toBe(404);
    expect(notAnAppId.body.error).toBe('client_not_found');
    expect((await remove('not-an-app-id')).status).toBe(204);
    expect(fake.graphCalls.length).toBe(before);
  });

  it('waits for directory replication when the next steps do not see the new application yet', async () => {
    fake.setReplicationDelay(2);
    const before = fake.graphCalls.length;
    const created = await create();
    expect(created.status).toBe(201);
    const calls = fake.graphCalls.slice(before);
    expect(calls.filter((call) => call.endsWith('/addPassword'))).toHaveLength(3);
    expect(calls.filter((call) => call === 'POST /v1.0/servicePrincipals')).toHaveLength(3);
    expect(
      (await fake.requestToken(created.body.client_id as string, created.body.client_secret as string)).status,
    ).toBe(200);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
    expectNothingLeft();
  });

  it('removes the application when the secret cannot be added, and says what Graph answered', async () => {
    fake.inject('addPassword', { status: 500, times: Number.POSITIVE_INFINITY });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.body.error_description).toContain('500 (InternalServerError');
    expect(answer.body.error_description).toContain('request-id');
    expect(answer.text).not.toContain('10.1.2.3');
    expectNothingLeft();
  });

  it('removes the application when its service principal cannot be created', async () => {
    fake.inject('createServicePrincipal', { status: 503, times: Number.POSITIVE_INFINITY });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('service principal');
    expectNothingLeft();
  });

  it('gives up on replication at the deadline with a 504, and removes the application', async () => {
    fake.setReplicationDelay(1000);
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
    expect(answer.body.error_description).toContain('replicated');
    expectNothingLeft();
  });

  it('removes the application after a step hangs past the deadline', async () => {
    fake.inject('addPassword', { hang: true, times: 1 });
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
    expectNothingLeft();
  });

  it('finds and removes an application whose create answer was lost', async () => {
    fake.inject('createApplication', { status: 500, afterEffect: true, times: 1 });
    const answer = await create();
    expect(answer.status).toBe(502);
    expectNothingLeft();
    expect(bridge.output.text()).toContain('Removed a half-created client at Entra');
  });

  it('logs an orphan with its client id when removing a half-created application fails too', async () => {
    fake.inject('addPassword', { status: 500, times: 1 });
    fake.inject('deleteApplication', { status: 500, times: 1 });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(fake.applicationCount()).toBe(1);
    const [orphan] = [...fake.directory.applications.values()];
    const logged = bridge.output.lines().find((line) => String(line.message).startsWith('Orphaned client'));
    expect(logged?.client_id).toBe(orphan?.appId);
    expect(logged?.level).toBe('ERROR');
    // Konnect (or an admin) can still remove it through the bridge.
    expect((await remove(orphan?.appId ?? '')).status).toBe(204);
    expectNothingLeft();
  });

  it('waits out a short Retry-After and succeeds', async () => {
    fake.inject('createApplication', { status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    const before = fake.graphCalls.length;
    const created = await create();
    expect(created.status).toBe(201);
    expect(fake.graphCalls.slice(before).filter((call) => call === 'POST /v1.0/applications')).toHaveLength(2);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
    expectNothingLeft();
  });

  it('answers 503 at once when Graph asks for a wait beyond the deadline', async () => {
    fake.inject('createApplication', { status: 429, headers: { 'Retry-After': '120' }, times: 1 });
    const started = Date.now();
    const answer = await create();
    expect(answer.status).toBe(503);
    expect(answer.body.error_description).toMatch(/rate-limiting/);
    // It did not sit out the 120 s: generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(3000);
    expectNothingLeft();
  });

  it("tells the admin when Entra refuses the bridge's own credentials", async () => {
    fake.setAdminSecret('rotated-by-an-admin-secret');
    const logsBefore = bridge.output.text().length;
    try {
      const answer = await create();
      expect(answer.status).toBe(502);
      expect(answer.body.error_description).toContain('credentials');
      expect(answer.body.error_description).toContain('AADSTS7000215');
      expectNothingLeft();
      // Without a token nothing was sent, so there is nothing to look for or to call an orphan.
      expect(bridge.output.text().slice(logsBefore)).not.toContain('Orphaned');
    } finally {
      fake.setAdminSecret(adminSecret);
    }
    // A refused token is not cached: with the secret back, the bridge works again.
    const created = await create();
    expect(created.status).toBe(201);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it('renews a Graph token that Graph stopped accepting', async () => {
    fake.revokeTokens();
    const created = await create();
    expect(created.status).toBe(201);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it('names the missing Graph permission when Graph answers 403', async () => {
    fake.inject('createApplication', {
      status: 403,
      body: {
        error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' },
      },
      times: 1,
    });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('Application.ReadWrite.OwnedBy');
  });

  it('passes a redirect URI that Entra refuses on as a 400 for the developer', async () => {
    // Fine for the bridge (RFC 8252 loopback), refused by Entra: IPv6 loopback is not supported.
    const refused = await create({ ...createBody, redirect_uris: ['http://[::1]:8080/callback'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_redirect_uri');
    expect(refused.body.error_description).toContain('redirectUris');
    expectNothingLeft();

    const created = await create();
    const clientId = created.body.client_id as string;
    const update = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://a.example.com/cb;x'],
    });
    expect(update.status).toBe(400);
    expect(update.body.error).toBe('invalid_redirect_uri');
    expect(fake.findApplication(clientId)?.web.redirectUris).toEqual(createBody.redirect_uris);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('leaves applications the bridge did not create alone, even with Application.ReadWrite.All', async () => {
    fake.setPermission('Application.ReadWrite.All');
    try {
      const foreign = fake.seedForeignApplication();
      expect((await remove(foreign.appId)).status).toBe(204);
      expect(fake.findApplication(foreign.appId)).toBeDefined();
      expect((await callBridge(bridgeUrl, 'POST', `/${foreign.appId}/new-secret`, { key: KEY })).status).toBe(404);
      expect(fake.findApplication(foreign.appId)?.passwordCredentials).toHaveLength(0);
      fake.directory.applications.delete(foreign.id);
    } finally {
      fake.setPermission('Application.ReadWrite.OwnedBy');
    }
  });

  it("never touches the bridge's own application, even one carrying the bridge's tag", async () => {
    const own = fake.directory.createApplication(
      { displayName: 'Konnect DCR bridge', tags: ['konnect-dcr-bridge'] },
      fake.admin.clientId,
    );
    own.appId = fake.admin.clientId;
    try {
      const from = fake.graphCalls.length;
      const rotated = await callBridge(bridgeUrl, 'POST', `/${own.appId}/new-secret`, { key: KEY });
      expect([rotated.status, rotated.body.error]).toEqual([404, 'client_not_found']);
      const update = await hook(own.appId, {
        event_type: 'update_application',
        redirect_uris: ['https://x.example.com/cb'],
      });
      expect(update.status).toBe(404);
      expect((await remove(own.appId)).status).toBe(204);
      expect(fake.graphCalls.slice(from)).toEqual([]);
      expect(fake.findApplication(own.appId)?.passwordCredentials).toHaveLength(0);
    } finally {
      fake.directory.applications.delete(own.id);
    }
  });

  it('never logs an issued secret, a token, the bridge credentials or the Konnect key', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).toContain('Client deleted');
    const secrets = [...handedOut, ...fake.issuedSecrets(), KEY];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
