import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CurityFake } from '../fakes/curity-fake';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'curity_rat_adapter_key_0001';

const createBody = {
  client_name: 'Ledger App',
  redirect_uris: ['https://ledger.example.com/callback'],
  grant_types: ['client_credentials'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
};

describe('Konnect → bridge → Curity with registration access tokens (IDP_CURITY_MANAGEMENT=rat)', () => {
  let curity: CurityFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    curity = await CurityFake.start();
    // Only "dcr": this mode never asks for "dcrm".
    curity.behaviour.bridgeScopes = new Set(['dcr']);
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'curity',
      IDP_CURITY_MANAGEMENT: 'rat',
      IDP_ISSUER: curity.issuer,
      IDP_CLIENT_ID: curity.bridgeClient.id,
      IDP_CLIENT_SECRET: curity.bridgeClient.secret,
      IDP_TIMEOUT_MS: '3000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterAll(async () => {
    await bridge?.stop();
    await curity?.close();
  });

  beforeEach(() => {
    curity.reset();
    curity.behaviour.bridgeScopes = new Set(['dcr']);
  });

  const rotate = async (clientId: string) => {
    const answer = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };

  it('runs the lifecycle with the rotating registration access token kept by the bridge', async () => {
    const created = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: createBody });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    handedOut.push(created.body.client_secret as string);
    expect((await requestToken(curity.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(200);

    // Each read rotates the secret and the registration access token: two rotations in a row only
    // work if the bridge stored the token Curity handed out the first time.
    const first = await rotate(clientId);
    const second = await rotate(clientId);
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body.client_secret).not.toBe(first.body.client_secret);
    expect((await requestToken(curity.tokenEndpoint, clientId, first.body.client_secret as string)).status).toBe(401);
    expect((await requestToken(curity.tokenEndpoint, clientId, second.body.client_secret as string)).status).toBe(200);

    // Every management read or update would issue a new secret: refused before any call to Curity.
    const callsBefore = curity.calls.length;
    const updated = await callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, {
      key: KEY,
      json: { event_type: 'update_application', client_id: clientId, redirect_uris: ['https://ledger.example.com/v2'] },
    });
    expect(updated.status).toBe(409);
    expect(updated.body.error).toBe('update_refused');
    expect(curity.calls.slice(callsBefore)).toEqual([]);
    expect(curity.findClient(clientId)?.redirect_uris).toEqual(['https://ledger.example.com/callback']);
    expect((await requestToken(curity.tokenEndpoint, clientId, second.body.client_secret as string)).status).toBe(200);

    const registration = await callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, {
      key: KEY,
      json: { event_type: 'add_registration', client_id: clientId, api_product_version_id: 'v1' },
    });
    expect(registration.status).toBe(200);

    expect((await callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY })).status).toBe(204);
    expect(curity.clientCount()).toBe(0);
    expect((await callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY })).status).toBe(204);
    // One "dcr" token for the registration; no dcrm token is ever requested in this mode.
    expect(curity.requestedScopes()).toEqual(['dcr']);
  });

  it('removes a client registered without a secret with its own registration access token', async () => {
    curity.behaviour.omitSecretOnRegister = true;
    const answer = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: createBody });
    expect(answer.status).toBe(502);
    expect(curity.clientCount()).toBe(0);
  });

  it('answers 404 for a client it holds no registration for, without calling Curity', async () => {
    const unknown = '0a6c7a52-2f00-4d38-9a5c-4d7e7b6c1a11';
    expect((await rotate(unknown)).status).toBe(404);
    const update = await callBridge(bridgeUrl, 'POST', `/${unknown}/event-hook`, {
      key: KEY,
      json: { event_type: 'update_application', client_id: unknown, redirect_uris: ['https://app.example.com/cb'] },
    });
    expect(update.status).toBe(404);
    expect(curity.calls).toEqual([]);
  });

  it('never logs an issued secret or a registration access token', () => {
    const logs = bridge.output.text();
    const secrets = [...handedOut, ...curity.issuedSecrets(), KEY];
    expect(secrets.length).toBeGreaterThan(8);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
