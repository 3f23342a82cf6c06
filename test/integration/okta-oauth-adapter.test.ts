import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type OktaFake, startOktaFake } from '../fakes/okta-fake';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'okta_oauth_key_0001';
const SERVICE_APP_ID = '0oaBridgeServiceApp01';

const bridgeKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateJwk = { ...bridgeKey.privateKey.export({ format: 'jwk' }), kid: 'bridge-key-1', alg: 'RS256', use: 'sig' };
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

const createBody = (clientName: string) => ({
  client_name: clientName,
  redirect_uris: [],
  grant_types: ['client_credentials'],
  scopes: [],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
});

describe('Konnect → bridge → Okta (OAuth for Okta, private_key_jwt) over real HTTP', () => {
  let fake: OktaFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    fake = await startOktaFake({
      serviceApp: { clientId: SERVICE_APP_ID, publicKey: bridgeKey.publicKey, grantedScopes: ['okta.clients.manage'] },
    });
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'okta',
      IDP_OKTA_ORG_URL: fake.orgUrl,
      IDP_OKTA_AUTH_MODE: 'oauth',
      IDP_CLIENT_ID: SERVICE_APP_ID,
      IDP_PRIVATE_KEY: JSON.stringify(privateJwk),
      IDP_TIMEOUT_MS: '4000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterAll(async () => {
    await bridge?.stop();
    await fake?.close();
  });

  const create = async (clientName: string) => {
    const answer = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: createBody(clientName) });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });

  it('runs the lifecycle with one cached access token for all calls', async () => {
    const before = fake.clientCount();
    const created = await create('Payments App');
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect((await requestToken(fake.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(200);

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    handedOut.push(rotated.body.client_secret as string);
    expect((await requestToken(fake.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(401);
    expect((await requestToken(fake.tokenEndpoint, clientId, rotated.body.client_secret as string)).status).toBe(200);

    const registration = await callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, {
      key: KEY,
      json: { event_type: 'add_registration', client_id: clientId, api_product_version_id: 'v1' },
    });
    expect(registration.status).toBe(200);

    expect((await remove(clientId)).status).toBe(204);
    expect((await remove(clientId)).status).toBe(204);
    expect(fake.clientCount()).toBe(before);
    // The token endpoint was asked once; every management call reused the token.
    expect(fake.orgTokenRequests()).toBe(1);
  });

  it('renews a cached access token that Okta no longer accepts, and repeats the call once', async () => {
    const tokensBefore = fake.orgTokenRequests();
    fake.revokeAccessTokens();
    const created = await create('After Revocation');
    expect(created.status).toBe(201);
    expect(fake.orgTokenRequests()).toBe(tokensBefore + 1);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it("tells the admin that Okta refused the bridge's key, creating nothing", async () => {
    const before = fake.clientCount();
    fake.revokeAccessTokens();
    fake.setServiceAppKey(otherKey.publicKey);
    try {
      const answer = await create('Refused Key');
      expect(answer.status).toBe(502);
      expect(answer.body.error_description).toContain('invalid_client');
      expect(answer.body.error_description).toContain('credentials');
      expect(answer.body.error_description).toContain('private_key');
      expect(fake.clientCount()).toBe(before);
    } finally {
      fake.setServiceAppKey(bridgeKey.publicKey);
    }
  });

  it('names the missing okta.clients.manage grant when Okta refuses the scope', async () => {
    fake.revokeAccessTokens();
    fake.inject('orgToken', {
      status: 400,
      body: { error: 'invalid_scope', error_description: 'The following scopes are not allowed: okta.clients.manage' },
    });
    const answer = await create('No Grant');
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('invalid_scope');
    expect(answer.body.error_description).toContain('Okta API Scopes');
  });

  it('never logs a client assertion, an access token, the private key or an issued secret', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).not.toContain('Orphaned');
    // Every JWT (the client assertions) starts with a base64url JSON header.
    expect(logs).not.toContain('eyJ');
    const secrets = [...handedOut, ...fake.issuedSecrets(), String(privateJwk.d), KEY];
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
