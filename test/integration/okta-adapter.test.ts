import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type OktaFake, oktaError, rateLimited, startOktaFake } from '../fakes/okta-fake';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'okta_adapter_key_0001';
const API_TOKEN = '00oktaSswsApiTokenValue-0123456789abcdef';
const DEVELOPER_ID = 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f';

const createBody = (overrides: Record<string, unknown> = {}) => ({
  client_name: 'Payments App',
  redirect_uris: ['https://payments.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read', 'write'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: 'Pays things',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: DEVELOPER_ID,
  auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  ...overrides,
});

describe('Konnect → bridge → Okta (SSWS API token) over real HTTP', () => {
  let fake: OktaFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    fake = await startOktaFake({ apiToken: API_TOKEN });
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'okta',
      IDP_OKTA_ORG_URL: `${fake.orgUrl}/`,
      IDP_API_TOKEN: API_TOKEN,
      IDP_TIMEOUT_MS: '4000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterAll(async () => {
    await bridge?.stop();
    await fake?.close();
  });

  const create = async (overrides: Record<string, unknown> = {}) => {
    const answer = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: createBody(overrides) });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });
  const rotate = (clientId: string) => callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
  const hook = (clientId: string, json: Record<string, unknown>) =>
    callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, { key: KEY, json: { client_id: clientId, ...json } });
  const updateRedirects = (clientId: string, redirectUris: string[]) =>
    hook(clientId, { event_type: 'update_application', application_name: 'Payments App', redirect_uris: redirectUris });

  it('runs create → token → rotate → update → registrations → delete → delete again', async () => {
    const before = fake.clientCount();

    const created = await create();
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual([
      'client_id',
      'client_id_issued_at',
      'client_secret',
      'client_secret_expires_at',
    ]);
    expect(created.body.client_secret_expires_at).toBe(0);
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    expect(fake.clientCount()).toBe(before + 1);

    // A client-credentials app is an Okta service app, named after the app with the bridge's suffix.
    const registered = fake.findClient(clientId);
    expect(registered).toMatchObject({
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      token_endpoint_auth_method: 'client_secret_basic',
      redirect_uris: [],
    });
    expect(registered?.client_name).toMatch(/^Payments App \(d4b3a9b0-[0-9a-f]{6}\)$/);
    // Okta's DCR object has no scope field, and a service app has no redirect URIs.
    expect(fake.createBodies.at(-1)).not.toHaveProperty('scope');
    expect(fake.createBodies.at(-1)).not.toHaveProperty('redirect_uris');

    expect((await requestToken(fake.tokenEndpoint, clientId, firstSecret)).status).toBe(200);

    const rotated = await rotate(clientId);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['client_id', 'client_secret']);
    const secondSecret = rotated.body.client_secret as string;
    handedOut.push(secondSecret);
    expect(secondSecret).not.toBe(firstSecret);
    expect((await requestToken(fake.tokenEndpoint, clientId, firstSecret)).status).toBe(401);
    expect((await requestToken(fake.tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    // A service app has no use for redirect URIs: acknowledged, nothing changed at Okta.
    const updated = await updateRedirects(clientId, ['https://payments.example.com/new-callback']);
    expect(updated.status).toBe(200);
    expect(fake.findClient(clientId)?.redirect_uris).toEqual([]);
    expect((await requestToken(fake.tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await hook(clientId, { event_type, api_product_version_id: 'v1', audience: 'payments' });
      expect(registration.status).toBe(200);
      expect(registration.body).toEqual({ event_type, handled: true });
    }

    const deleted = await remove(clientId);
    expect(deleted.status).toBe(204);
    expect(fake.clientCount()).toBe(before);
    expect((await requestToken(fake.tokenEndpoint, clientId, secondSecret)).status).toBe(401);

    const deletedAgain = await remove(clientId);
    expect(deletedAgain.status).toBe(204);
    expect(fake.clientCount()).toBe(before);
  });

  it('registers a web client for the authorization code grant and replaces its redirect URIs', async () => {
    const created = await create({
      client_name: 'Checkout',
      grant_types: ['authorization_code', 'client_credentials'],
      redirect_uris: ['https://checkout.example.com/cb'],
    });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect(fake.findClient(clientId)).toMatchObject({
      application_type: 'web',
      grant_types: ['client_credentials', 'authorization_code'],
      response_types: ['code'],
      redirect_uris: ['https://checkout.example.com/cb'],
    });

    const updated = await updateRedirects(clientId, ['https://checkout.example.com/v2/cb', 'http://127.0.0.1:8080/cb']);
    expect(updated.status).toBe(200);
    expect(fake.findClient(clientId)?.redirect_uris).toEqual([
      'https://checkout.example.com/v2/cb',
      'http://127.0.0.1:8080/cb',
    ]);
    // Okta replaces the whole object on update but keeps the secret it was not sent.
    expect((await requestToken(fake.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(200);

    const emptied = await updateRedirects(clientId, []);
    expect(emptied.status).toBe(400);
    expect(emptied.body.error).toBe('invalid_client_metadata');
    expect(fake.findClient(clientId)?.redirect_uris).toHaveLength(2);

    expect((await remove(clientId)).status).toBe(204);
  });

  it('registers the token endpoint authentication method the application asked for', async () => {
    const created = await create({ client_name: 'Posting App', token_endpoint_auth_method: 'client_secret_post' });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect(fake.findClient(clientId)?.token_endpoint_auth_method).toBe('client_secret_post');
    const posted = await fetch(fake.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: created.body.client_secret as string,
      }),
      signal: AbortSignal.timeout(5000),
    });
    expect(posted.status).toBe(200);
    expect((await requestToken(fake.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(401);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('answers 400 with Okta’s reason when Okta refuses a redirect URI, creating nothing', async () => {
    const before = fake.clientCount();
    // Accepted by the contract, refused by Okta: a private-use scheme on a web app.
    const answer = await create({
      client_name: 'Mixed',
      grant_types: ['authorization_code'],
      redirect_uris: ['https://mixed.example.com/cb', 'com.example.mixed:/cb'],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(answer.body.error_description).toContain('Okta answered 400');
    expect(answer.body.error_description).toContain('redirect_uris');
    expect(fake.clientCount()).toBe(before);
  });

  it('registers a native app for private-use redirect URIs (RFC 8252 §7.1) and keeps it native on updates', async () => {
    const created = await create({
      client_name: 'Weather Mobile',
      grant_types: ['authorization_code', 'refresh_token', 'client_credentials'],
      redirect_uris: ['com.example.weather:/callback'],
    });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect(fake.findClient(clientId)).toMatchObject({
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: ['com.example.weather:/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    });

    const updated = await updateRedirects(clientId, ['com.example.weather:/v2/callback', 'http://127.0.0.1:7000/cb']);
    expect(updated.status).toBe(200);
    expect(fake.findClient(clientId)?.redirect_uris).toEqual([
      'com.example.weather:/v2/callback',
      'http://127.0.0.1:7000/cb',
    ]);

    // A native app takes no https redirect: Okta's refusal of the developer's URIs is theirs to fix.
    const refused = await updateRedirects(clientId, ['https://weather.example.com/cb']);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_client_metadata');
    expect(refused.body.error_description).toContain('redirect_uris');
    expect((await remove(clientId)).status).toBe(204);
  });

  it("cuts a long application name to Okta's 100 characters instead of failing", async () => {
    // Okta counts UTF-16 units: 100 characters of emoji would be too long for it.
    const created = await create({ client_name: `Forecast ${'🌦'.repeat(120)}` });
    expect(created.status).toBe(201);
    const name = String(fake.findClient(created.body.client_id as string)?.client_name);
    expect(name.length).toBeLessThanOrEqual(100);
    expect(name).toMatch(/^Forecast (?:🌦)+… \(d4b3a9b0-[0-9a-f]{6}\)$/u);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it('never creates an application twice: a repeated create collides on the client name', async () => {
    const before = fake.clientCount();
    const first = await create({ client_name: 'Weather' });
    expect(first.status).toBe(201);

    const again = await create({ client_name: 'Weather' });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_client_metadata');
    expect(again.body.error_description).toContain('already');
    expect(again.body.error_description).toContain(first.body.client_id as string);
    expect(fake.clientCount()).toBe(before + 1);

    // The same name for another developer is another client.
    const other = await create({ client_name: 'Weather', developer_id: 'a1b2c3d4-6c8e-4a4a-9d8e-1f1f1f1f1f1f' });
    expect(other.status).toBe(201);
    expect(fake.clientCount()).toBe(before + 2);

    expect((await remove(first.body.client_id as string)).status).toBe(204);
    expect((await remove(other.body.client_id as string)).status).toBe(204);
    expect(fake.clientCount()).toBe(before);
  });

  it('removes a client Okta registered without a secret, and answers 502', async () => {
    const before = fake.clientCount();
    fake.inject('create', { omitSecret: true });
    const answer = await create({ client_name: 'No Secret' });
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('client_secret');
    expect(fake.clientCount()).toBe(before);
    expect(fake.calls().at(-1)).toMatch(/^DELETE \/oauth2\/v1\/clients\/0oa/);
  });

  it('removes the client when the answer to a create is lost (504), leaving no orphan', async () => {
    const before = fake.clientCount();
    fake.inject('create', { hang: true, afterCreate: true });
    const answer = await create({ client_name: 'Lost Answer' });
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
    expect(fake.clientCount()).toBe(before);
    expect(bridge.output.text()).toContain('Removed a half-created client at Okta');
  });

  it('removes the client when Okta answers a create with 500 after storing it', async () => {
    const before = fake.clientCount();
    fake.inject('create', {
      status: 500,
      body: oktaError('E0000009', 'Internal Server Error'),
      afterCreate: true,
    });
    const answer = await create({ client_name: 'Stored Then Failed' });
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('E0000009');
    expect(fake.clientCount()).toBe(before);
    // Nothing left behind, so a retry by Konnect does not collide on the name.
    const retried = await create({ client_name: 'Stored Then Failed' });
    expect(retried.status).toBe(201);
    expect((await remove(retried.body.client_id as string)).status).toBe(204);
  });

  it("answers 502, not the developer's 400, when Okta refuses to renew a secret", async () => {
    const created = await create({ client_name: 'Renewal Refused' });
    const clientId = created.body.client_id as string;
    fake.inject('newSecret', {
      status: 400,
      body: { error: 'invalid_client_metadata', error_description: 'client_secret: cannot be renewed' },
    });
    const answer = await rotate(clientId);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.body.error_description).toContain('Okta answered 400 (invalid_client_metadata');
    expect((await remove(clientId)).status).toBe(204);
  });

  it("tells the admin that Okta refused the bridge's API token (E0000011), creating nothing", async () => {
    const before = fake.clientCount();
    fake.setApiToken('00aDifferentTokenNow');
    try {
      const answer = await create({ client_name: 'Refused' });
      expect(answer.status).toBe(502);
      expect(answer.body.error).toBe('idp_error');
      expect(answer.body.error_description).toContain('E0000011');
      expect(answer.body.error_description).toContain('credentials');
      expect(answer.body.error_description).toContain('api_token');
      expect(fake.clientCount()).toBe(before);
    } finally {
      fake.setApiToken(API_TOKEN);
    }
  });

  it('tells a missing Okta permission (E0000006) apart from an unknown client', async () => {
    fake.inject('create', {
      status: 403,
      body: oktaError('E0000006', 'You do not have permission to perform the requested action'),
    });
    const answer = await create({ client_name: 'Forbidden' });
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('E0000006');
    expect(answer.body.error_description).toContain('permission');
  });

  it('waits out a short Okta rate limit (X-Rate-Limit-Reset) and succeeds', async () => {
    fake.inject('create', rateLimited(1));
    const posts = () => fake.calls().filter((call) => call === 'POST /oauth2/v1/clients').length;
    const postsBefore = posts();
    const answer = await create({ client_name: 'Rate Limited Once' });
    expect(answer.status).toBe(201);
    expect(posts()).toBe(postsBefore + 2);
    expect((await remove(answer.body.client_id as string)).status).toBe(204);
  });

  it('answers 503 without waiting when the rate-limit reset is beyond the deadline', async () => {
    const before = fake.clientCount();
    fake.inject('create', rateLimited(120));
    const started = Date.now();
    const answer = await create({ client_name: 'Rate Limited Long' });
    expect(answer.status).toBe(503);
    expect(answer.body.error_description).toContain('rate-limiting');
    // It answers at once instead of waiting two minutes (or even its 4 s deadline).
    expect(Date.now() - started).toBeLessThan(3500);
    expect(fake.clientCount()).toBe(before);
  });

  it("answers 502 naming Okta's status and error code, without an address Okta leaked", async () => {
    const created = await create({ client_name: 'Flaky' });
    const clientId = created.body.client_id as string;
    fake.inject('read', {
      status: 500,
      body: oktaError('E0000009', 'Internal Server Error at http://10.0.0.7:8080/db'),
    });
    const answer = await rotate(clientId);
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('500');
    expect(answer.body.error_description).toContain('E0000009');
    expect(answer.text).not.toContain('10.0.0.7');
    expect((await remove(clientId)).status).toBe(204);
  });

  it('answers 404 for new-secret and event hooks on an unknown client, and 204 for its delete', async () => {
    const unknown = '0oaUnknownClient12345';
    expect((await rotate(unknown)).body.error).toBe('client_not_found');
    expect((await updateRedirects(unknown, ['https://x.example.com/cb'])).status).toBe(404);
    const registration = await hook(unknown, { event_type: 'add_registration', api_product_version_id: 'v1' });
    expect(registration.status).toBe(404);
    expect((await remove(unknown)).status).toBe(204);
  });

  it('leaves alone Okta clients the bridge did not create, answering as for an unknown client', async () => {
    const foreign = fake.seedClient({
      client_name: 'Payroll (production)',
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
    });
    const callsBefore = fake.calls().length;
    expect((await remove(foreign)).status).toBe(204);
    const rotated = await rotate(foreign);
    expect(rotated.status).toBe(404);
    expect(rotated.body).toEqual({
      error: 'client_not_found',
      error_description: `No client with id ${foreign} is known to the bridge.`,
    });
    expect((await updateRedirects(foreign, ['https://attacker.example.com/cb'])).status).toBe(404);
    expect(
      fake
        .calls()
        .slice(callsBefore)
        .every((call) => call.startsWith('GET ')),
    ).toBe(true);
    expect(fake.findClient(foreign)).toBeDefined();
    expect(bridge.output.lines()).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'Refused to act on a client the bridge did not create',
        client_id: foreign,
        reason: 'not created by the bridge',
      }),
    );
  });

  it('never logs an issued secret, an access token, the API token or the Konnect key', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).not.toContain('Orphaned');
    expect(logs).toContain('Client deleted');
    expect(logs).toContain('Client secret rotated');
    const secrets = [...handedOut, ...fake.issuedSecrets(), API_TOKEN, KEY];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
