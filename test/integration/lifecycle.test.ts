import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LocalEnvironment } from '../../bin/local/local-environment';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const OLD_KEY = 'integration_old_key_0001';
const NEW_KEY = 'integration_new_key_0002';

const createBody = {
  client_name: 'Payments App',
  redirect_uris: ['https://payments.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read', 'write'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  a_field_konnect_adds_next_year: { nested: true },
};

describe('Konnect → bridge → embedded IdP lifecycle over real HTTP', () => {
  let bridge: TestBridge;
  let local: LocalEnvironment;
  const handedOut: string[] = [];

  beforeAll(async () => {
    bridge = await startTestBridge([OLD_KEY, NEW_KEY]);
    local = bridge.local;
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  const idp = () => {
    if (!local.idp) throw new Error('expected the embedded IdP');
    return local.idp;
  };

  it('runs create → token → rotate → update redirect URIs → delete → delete again', async () => {
    const clientsBefore = idp().clientCount();

    const created = await callBridge(local.bridgeUrl, 'POST', '/', { key: OLD_KEY, json: createBody });
    expect(created.status).toBe(201);
    expect(created.contentType).toBe('application/json');
    expect(Object.keys(created.body).sort()).toEqual(
      ['client_id', 'client_id_issued_at', 'client_secret', 'client_secret_expires_at'].sort(),
    );
    expect(created.body.client_id_issued_at).toEqual(expect.any(Number));
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    handedOut.push(firstSecret);
    expect(idp().clientCount()).toBe(clientsBefore + 1);

    const registered = await idp().findClient(clientId);
    expect(registered).toMatchObject({
      client_name: 'Payments App',
      grant_types: ['client_credentials'],
      response_types: [],
      scope: 'read write',
      redirect_uris: ['https://payments.example.com/callback'],
    });

    const firstToken = await requestToken(idp().tokenEndpoint, clientId, firstSecret);
    expect(firstToken.status).toBe(200);
    expect(firstToken.body.access_token).toEqual(expect.any(String));

    const rotated = await callBridge(local.bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: NEW_KEY });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['client_id', 'client_secret']);
    expect(rotated.body.client_id).toBe(clientId);
    const secondSecret = rotated.body.client_secret as string;
    handedOut.push(secondSecret);
    expect(secondSecret).not.toBe(firstSecret);
    expect((await requestToken(idp().tokenEndpoint, clientId, firstSecret)).status).toBe(401);
    expect((await requestToken(idp().tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    const updated = await callBridge(local.bridgeUrl, 'POST', `/${clientId}/event-hook`, {
      key: OLD_KEY,
      json: {
        event_type: 'update_application',
        client_id: clientId,
        application_id: 'a4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
        application_name: 'Payments App',
        redirect_uris: ['https://payments.example.com/new-callback', 'http://127.0.0.1:8080/cb'],
      },
    });
    expect(updated.status).toBe(200);
    expect((await idp().findClient(clientId))?.redirect_uris).toEqual([
      'https://payments.example.com/new-callback',
      'http://127.0.0.1:8080/cb',
    ]);
    // A redirect URI change must not break the developer's current credentials.
    expect((await requestToken(idp().tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await callBridge(local.bridgeUrl, 'POST', `/${clientId}/event-hook`, {
        key: NEW_KEY,
        json: { event_type, client_id: clientId, api_product_version_id: 'v1', audience: 'payments' },
      });
      expect(registration.status).toBe(200);
    }

    const deleted = await callBridge(local.bridgeUrl, 'DELETE', `/${clientId}`, { key: OLD_KEY });
    expect(deleted.status).toBe(204);
    expect(idp().clientCount()).toBe(clientsBefore);
    expect(await idp().findClient(clientId)).toBeUndefined();
    expect((await requestToken(idp().tokenEndpoint, clientId, secondSecret)).status).toBe(401);

    const deletedAgain = await callBridge(local.bridgeUrl, 'DELETE', `/${clientId}`, { key: NEW_KEY });
    expect(deletedAgain.status).toBe(204);
  });

  it('answers 404 for new-secret and event hooks on a client it does not know, without calling the IdP', async () => {
    const before = idp().requestCount();
    const rotate = await callBridge(local.bridgeUrl, 'POST', '/unknownClient123/new-secret', { key: OLD_KEY });
    expect(rotate.status).toBe(404);
    expect(rotate.body.error).toBe('client_not_found');
    const hook = await callBridge(local.bridgeUrl, 'POST', '/unknownClient123/event-hook', {
      key: OLD_KEY,
      json: { event_type: 'update_application', client_id: 'unknownClient123', redirect_uris: [] },
    });
    expect(hook.status).toBe(404);
    expect(idp().requestCount()).toBe(before);
  });

  it('never logs an issued secret, a registration or access token, or a Konnect key', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).toContain('Client deleted');
    const secrets = [...handedOut, ...idp().issuedSecrets(), OLD_KEY, NEW_KEY];
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
