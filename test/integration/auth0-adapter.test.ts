import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { FakeAuth0 } from '../fakes/auth0-fake';
import { callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'auth0_adapter_key_0001';
const PAYMENTS_API = 'https://payments.example.com/api';
const ORDERS_API = 'https://orders.example.com/api';

const LONG_DESCRIPTION = `Settles invoices for the payments team. ${'Lots of detail. '.repeat(12)}`;

const createBody = (extra: Record<string, unknown> = {}) => ({
  client_name: 'Payments App',
  redirect_uris: ['https://payments.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read', 'write'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: LONG_DESCRIPTION,
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  ...extra,
});

describe('Konnect → bridge → Auth0 (fake tenant) over real HTTP', () => {
  let fake: FakeAuth0;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];
  const bridgeSecrets: string[] = [];

  beforeAll(async () => {
    fake = await FakeAuth0.start([PAYMENTS_API, ORDERS_API]);
    bridgeSecrets.push(fake.bridge.clientSecret);
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'auth0',
      IDP_AUTH0_DOMAIN: fake.url,
      IDP_AUTH0_DEFAULT_AUDIENCE: PAYMENTS_API,
      IDP_CLIENT_ID: fake.bridge.clientId,
      IDP_CLIENT_SECRET: fake.bridge.clientSecret,
      IDP_TIMEOUT_MS: '4000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterAll(async () => {
    await bridge?.stop();
    await fake?.close();
  });

  beforeEach(() => {
    fake.reset();
  });

  const create = (extra: Record<string, unknown> = {}) =>
    callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: createBody(extra) });
  const hook = (clientId: string, json: Record<string, unknown>) =>
    callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, { key: KEY, json: { client_id: clientId, ...json } });
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });

  /** What the developer's app does with the issued credentials (client_secret_post, per Auth0's docs). */
  async function tokenFor(clientId: string, clientSecret: string, audience: string) {
    const response = await fetch(fake.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        audience,
      }),
      signal: AbortSignal.timeout(5000),
    });
    const body = (await response.json()) as Record<string, unknown>;
    if (typeof body.access_token === 'string') handedOut.push(body.access_token);
    return { status: response.status, body };
  }

  async function created(extra: Record<string, unknown> = {}) {
    const answer = await create(extra);
    expect(answer.status).toBe(201);
    const clientId = answer.body.client_id as string;
    const clientSecret = answer.body.client_secret as string;
    handedOut.push(clientSecret);
    return { clientId, clientSecret };
  }

  it('shares one management token request among concurrent creates, and one renewal after a revocation', async () => {
    const first = await Promise.all(Array.from({ length: 5 }, () => create()));
    expect(first.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(fake.bridgeTokenRequests()).toBe(1);
    expect(fake.clients.size).toBe(5);

    fake.revokeManagementTokens();
    const second = await Promise.all(Array.from({ length: 5 }, () => create()));
    expect(second.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
    expect(fake.bridgeTokenRequests()).toBe(2);
    // Each refused create was repeated once with the new token, and created exactly one client.
    expect(fake.clients.size).toBe(10);

    for (const answer of [...first, ...second]) {
      handedOut.push(answer.body.client_secret as string);
      expect((await remove(answer.body.client_id as string)).status).toBe(204);
    }
    expect(fake.clients.size).toBe(0);
  });

  it('runs create → token → rotate → update redirect URIs → registrations → delete → delete again', async () => {
    const answer = await create();
    expect(answer.status).toBe(201);
    expect(Object.keys(answer.body).sort()).toEqual(['client_id', 'client_secret', 'client_secret_expires_at']);
    expect(answer.body.client_secret_expires_at).toBe(0);
    const clientId = answer.body.client_id as string;
    const firstSecret = answer.body.client_secret as string;
    handedOut.push(firstSecret);

    expect(fake.clients.get(clientId)).toMatchObject({
      name: 'Payments App',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      callbacks: ['https://payments.example.com/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
      client_metadata: {
        managed_by: 'konnect-dcr-bridge',
        konnect_portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
        konnect_organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
        konnect_developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
        konnect_auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
        konnect_dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
      },
    });
    const description = fake.clients.get(clientId)?.description ?? '';
    expect(description).toBe(LONG_DESCRIPTION.slice(0, 140).trim());
    // Like Konnect's own Auth0 provider: a grant for the default API, with the app's scopes.
    expect([...fake.grants.values()]).toEqual([
      { id: expect.any(String), client_id: clientId, audience: PAYMENTS_API, scope: ['read', 'write'] },
    ]);

    expect((await tokenFor(clientId, firstSecret, PAYMENTS_API)).status).toBe(200);
    expect((await tokenFor(clientId, firstSecret, ORDERS_API)).status).toBe(403);

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(['client_id', 'client_secret']);
    const secondSecret = rotated.body.client_secret as string;
    handedOut.push(secondSecret);
    expect(secondSecret).not.toBe(firstSecret);
    expect((await tokenFor(clientId, firstSecret, PAYMENTS_API)).status).toBe(401);
    expect((await tokenFor(clientId, secondSecret, PAYMENTS_API)).status).toBe(200);

    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/new-callback', 'http://127.0.0.1:8080/cb'],
    });
    expect(updated.status).toBe(200);
    expect(fake.clients.get(clientId)?.callbacks).toEqual([
      'https://payments.example.com/new-callback',
      'http://127.0.0.1:8080/cb',
    ]);
    expect((await tokenFor(clientId, secondSecret, PAYMENTS_API)).status).toBe(200);

    const registration = { api_product_version_id: 'v-orders-1', audience: ORDERS_API };
    expect((await hook(clientId, { event_type: 'add_registration', ...registration })).status).toBe(200);
    const ordersToken = await tokenFor(clientId, secondSecret, ORDERS_API);
    expect(ordersToken.status).toBe(200);
    // A second registration for the same API meets Auth0's 409: the access is already there.
    expect((await hook(clientId, { event_type: 'add_registration', ...registration })).status).toBe(200);
    expect([...fake.grants.values()].filter((grant) => grant.audience === ORDERS_API)).toHaveLength(1);
    // Without an audience there is nothing to grant at Auth0.
    expect((await hook(clientId, { event_type: 'add_registration', api_product_version_id: 'v-free' })).status).toBe(
      200,
    );

    expect((await hook(clientId, { event_type: 'remove_registration', ...registration })).status).toBe(200);
    const refused = await tokenFor(clientId, secondSecret, ORDERS_API);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe('access_denied');
    expect((await hook(clientId, { event_type: 'remove_registration', ...registration })).status).toBe(200);

    const deleted = await remove(clientId);
    expect(deleted.status).toBe(204);
    expect(fake.clients.size).toBe(0);
    expect(fake.grants.size).toBe(0);
    expect((await tokenFor(clientId, secondSecret, PAYMENTS_API)).status).toBe(401);
    const deletedAgain = await remove(clientId);
    expect(deletedAgain.status).toBe(204);
    // The repeated delete reads the client first (whose is it?) and finds it gone.
    expect(fake.calls.filter((call) => call.startsWith('DELETE /api/v2/clients/'))).toHaveLength(1);
    expect(fake.calls.at(-1)).toBe(`GET /api/v2/clients/${clientId}`);
  });

  it('returns the new secret at once while Auth0 still propagates it, and the old one then stops working', async () => {
    fake.secretPropagation = 'delayed';
    const { clientId, clientSecret: oldSecret } = await created();

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.body.client_secret as string;
    handedOut.push(newSecret);
    // Auth0: "New secrets may be delayed up to thirty seconds while rotating."
    expect((await tokenFor(clientId, newSecret, PAYMENTS_API)).status).toBe(401);
    expect((await tokenFor(clientId, oldSecret, PAYMENTS_API)).status).toBe(200);

    fake.propagateSecrets();
    expect((await tokenFor(clientId, newSecret, PAYMENTS_API)).status).toBe(200);
    expect((await tokenFor(clientId, oldSecret, PAYMENTS_API)).status).toBe(401);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('answers 404 for a client Auth0 does not know, and 204 for deleting it', async () => {
    const unknown = 'UnknownClient0123456789abcdefXYZ';
    const rotate = await callBridge(bridgeUrl, 'POST', `/${unknown}/new-secret`, { key: KEY });
    expect(rotate.status).toBe(404);
    expect(rotate.body.error).toBe('client_not_found');
    const events = [
      { event_type: 'update_application', redirect_uris: [] },
      { event_type: 'add_registration', api_product_version_id: 'v1', audience: ORDERS_API },
      { event_type: 'add_registration', api_product_version_id: 'v1' },
      { event_type: 'remove_registration', api_product_version_id: 'v1', audience: ORDERS_API },
      { event_type: 'remove_registration', api_product_version_id: 'v1' },
    ];
    for (const event of events) {
      const answer = await hook(unknown, event);
      expect({ event, status: answer.status, error: answer.body.error }).toEqual({
        event,
        status: 404,
        error: 'client_not_found',
      });
    }
    expect((await remove(unknown)).status).toBe(204);
  });

  it("refuses a foreign application, the bridge's own and the Management API audience, and no write reaches Auth0", async () => {
    const { clientId: ours } = await created();
    const foreign = fake.addTenantApp({
      name: 'HR portal',
      app_type: 'regular_web',
      callbacks: ['https://hr.example.com/cb'],
    });
    fake.grants.set('cgr_hr', { id: 'cgr_hr', client_id: foreign.client_id, audience: PAYMENTS_API, scope: ['read'] });
    const logsFrom = bridge.output.lines().length;
    const appsBefore = structuredClone([...fake.tenantApps.values()]);
    const grantsBefore = structuredClone([...fake.grants.values()]);
    const from = fake.requests.length;

    for (const clientId of [foreign.client_id, fake.bridge.clientId]) {
      const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
      expect({ clientId, status: rotated.status, error: rotated.body.error }).toEqual({
        clientId,
        status: 404,
        error: 'client_not_found',
      });
      const events = [
        { event_type: 'update_application', redirect_uris: ['https://attacker.example.com/cb'] },
        { event_type: 'add_registration', api_product_version_id: 'v1', audience: ORDERS_API },
        { event_type: 'remove_registration', api_product_version_id: 'v1', audience: PAYMENTS_API },
      ];
      for (const event of events) {
        const answer = await hook(clientId, event);
        expect({ clientId, event, status: answer.status, error: answer.body.error }).toEqual({
          clientId,
          event,
          status: 404,
          error: 'client_not_found',
        });
      }
      // Answered like a client already gone.
      expect((await remove(clientId)).status).toBe(204);
    }
    // Not even the bridge's own applications get the Management API through a registration.
    const managementApi = await hook(ours, {
      event_type: 'add_registration',
      api_product_version_id: 'v1',
      audience: fake.managementAudience,
    });
    expect(managementApi.status).toBe(400);
    expect(managementApi.body.error_description).toContain('Management API');

    const writes = fake.requests
      .slice(from)
      .filter((request) => request.method !== 'GET' && request.url.startsWith('/api/v2/'));
    expect(writes).toEqual([]);
    expect([...fake.tenantApps.values()]).toEqual(appsBefore);
    expect([...fake.grants.values()].filter((grant) => grant.client_id !== ours)).toEqual(
      grantsBefore.filter((grant) => grant.client_id !== ours),
    );
    expect([...fake.grants.values()].some((grant) => grant.audience === fake.managementAudience)).toBe(false);
    const refusals = bridge.output
      .lines()
      .slice(logsFrom)
      .filter((line) => line.message === 'Refused to act on a client the bridge did not create');
    expect(refusals.map((line) => [line.level, line.client_id, line.reason])).toEqual([
      ...Array(5).fill(['WARN', foreign.client_id, 'not created by the bridge']),
      ...Array(5).fill(['WARN', fake.bridge.clientId, "the bridge's own credentials"]),
    ]);
    expect((await remove(ours)).status).toBe(204);
  });

  it('answers 502 for a registration whose audience is no API of the tenant', async () => {
    const { clientId } = await created();
    const answer = await hook(clientId, {
      event_type: 'add_registration',
      api_product_version_id: 'v1',
      audience: 'https://unknown.example.com/api',
    });
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('no API with the audience');
    expect((await remove(clientId)).status).toBe(204);
  });

  it('passes on a redirect URI Auth0 refuses as 400, and creates nothing', async () => {
    const callbackRefused = {
      status: 400,
      body: {
        statusCode: 400,
        error: 'Bad Request',
        message:
          "Payload validation error: 'Object didn't pass validation for format callback-url: https://payments.example.com/callback' on property callbacks[0].",
        errorCode: 'invalid_body',
      },
    };
    fake.failNext('POST', /^\/api\/v2\/clients$/, callbackRefused);
    const refused = await create({ grant_types: ['authorization_code'] });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe('invalid_redirect_uri');
    expect(refused.body.error_description).toContain('invalid_body');
    expect(refused.body.error_description).toContain('callbacks[0]');
    expect(fake.clients.size).toBe(0);

    const { clientId } = await created({ grant_types: ['authorization_code'] });
    expect(fake.clients.get(clientId)?.app_type).toBe('regular_web');
    fake.failNext('PATCH', /^\/api\/v2\/clients\//, callbackRefused);
    const update = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/callback'],
    });
    expect(update.status).toBe(400);
    expect(update.body.error).toBe('invalid_redirect_uri');
    expect(fake.clients.get(clientId)?.callbacks).toEqual(['https://payments.example.com/callback']);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('registers a native application for private-use redirect URIs, whose client credentials still work', async () => {
    const { clientId, clientSecret } = await created({
      grant_types: ['authorization_code', 'client_credentials'],
      redirect_uris: ['com.example.payments:/callback'],
    });
    expect(fake.clients.get(clientId)).toMatchObject({
      app_type: 'native',
      callbacks: ['com.example.payments:/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect((await tokenFor(clientId, clientSecret, PAYMENTS_API)).status).toBe(200);
    const update = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['com.example.payments:/v2/callback', 'https://payments.example.com/applink'],
    });
    expect(update.status).toBe(200);
    expect(fake.clients.get(clientId)?.callbacks).toEqual([
      'com.example.payments:/v2/callback',
      'https://payments.example.com/applink',
    ]);
    expect((await remove(clientId)).status).toBe(204);
  });

  it("cuts a description longer than Auth0's 140 characters instead of failing", async () => {
    // Counted as Auth0 counts, in UTF-16 units: 140 emoji would be 280 of them.
    const { clientId } = await created({ application_description: `Invoices ${'🧾'.repeat(300)}` });
    const description = fake.clients.get(clientId)?.description ?? '';
    expect(description).toBe(`Invoices ${'🧾'.repeat(65)}`);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('finds and removes a client Auth0 stored before answering 500, so nothing is left behind', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'try again' },
      afterEffect: true,
    });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.body.error_description).toContain('500');
    expect(fake.clients.size).toBe(0);
    expect(fake.grants.size).toBe(0);
    expect(bridge.output.text()).toContain('Removed a half-created client at Auth0');
  });

  it('refuses client_secret_jwt, which Auth0 does not offer, before calling Auth0', async () => {
    const answer = await create({ token_endpoint_auth_method: 'client_secret_jwt' });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(fake.calls).toEqual([]);
  });

  it('removes the new client when its default grant fails, and says so', async () => {
    fake.failNext('POST', /^\/api\/v2\/client-grants$/, {
      status: 500,
      body: {
        statusCode: 500,
        error: 'Internal Server Error',
        message: 'db down at http://10.0.0.7:27017',
        errorCode: 'internal_error',
      },
    });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('500');
    expect(answer.body.error_description).toContain('internal_error');
    expect(answer.body.error_description).toContain('removed the new Auth0 client');
    expect(answer.text).not.toContain('10.0.0.7');
    expect(fake.clients.size).toBe(0);
    expect(fake.calls).toEqual([
      'POST /api/v2/clients',
      'POST /api/v2/client-grants',
      expect.stringMatching(/^DELETE \/api\/v2\/clients\/[\w-]+$/),
    ]);
  });

  it('logs an orphan when the half-created client cannot be removed either', async () => {
    fake.failNext('POST', /^\/api\/v2\/client-grants$/, {
      status: 503,
      body: { statusCode: 503, error: 'Service Unavailable' },
    });
    fake.failNext('DELETE', /^\/api\/v2\/clients\//, {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error' },
    });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('could not remove the new Auth0 client');
    const [orphan] = [...fake.clients.keys()];
    expect(orphan).toBeDefined();
    const line = bridge.output.lines().find((entry) => String(entry.message).startsWith('Orphaned client'));
    expect(line).toMatchObject({ level: 'ERROR', client_id: orphan });
  });

  it('removes the new client when the bridge lacks the permission to grant, naming its credentials', async () => {
    fake.bridge.permissions.delete('create:client_grants');
    fake.revokeManagementTokens();
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('insufficient_scope');
    expect(answer.body.error_description).toContain('credentials');
    expect(fake.clients.size).toBe(0);
    fake.revokeManagementTokens();
  });

  it('creates nothing when the token endpoint fails, whatever the failure', async () => {
    fake.revokeManagementTokens();
    fake.failNext('POST', /^\/oauth\/token$/, {
      status: 500,
      body: { error: 'server_error', error_description: 'token service down' },
    });
    const error500 = await create();
    expect(error500.status).toBe(502);
    expect(error500.body.error_description).toContain('500');
    expect(error500.body.error_description).toContain('management token');
    // The refused create (401) is repeated only with a new token, which never came.
    expect(fake.calls).toEqual(['POST /api/v2/clients', 'POST /oauth/token']);

    fake.failNext('POST', /^\/oauth\/token$/, 'reset');
    const reset = await create();
    expect(reset.status).toBe(502);
    expect(reset.text).not.toContain('127.0.0.1');

    await fake.offline();
    try {
      const refused = await create();
      expect(refused.status).toBe(502);
      expect(refused.body.error).toBe('idp_error');
      expect(refused.text).not.toContain('127.0.0.1');
    } finally {
      await fake.online();
    }
    expect(fake.clients.size).toBe(0);
    expect(fake.calls.filter((call) => call === 'POST /api/v2/clients')).toHaveLength(1);

    // Back to normal: the next create gets a token and succeeds.
    const { clientId } = await created();
    expect((await remove(clientId)).status).toBe(204);
  });

  it("tells the admin that Auth0 refused the bridge's credentials", async () => {
    const original = fake.bridge.clientSecret;
    fake.rotateBridgeSecret();
    bridgeSecrets.push(fake.bridge.clientSecret);
    fake.revokeManagementTokens();
    try {
      const answer = await create();
      expect(answer.status).toBe(502);
      expect(answer.body.error_description).toContain('credentials');
      expect(answer.body.error_description).toContain('access_denied');
      expect(fake.clients.size).toBe(0);
    } finally {
      fake.bridge.clientSecret = original;
    }
  });

  it('waits out a short rate limit and creates the client once', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, FakeAuth0.rateLimited(1));
    const { clientId } = await created();
    expect(fake.calls.filter((call) => call === 'POST /api/v2/clients')).toHaveLength(2);
    expect(fake.clients.size).toBe(1);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('answers 503 at once when the rate limit outlasts the deadline', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, FakeAuth0.rateLimited(120));
    const started = Date.now();
    const answer = await create();
    expect(answer.status).toBe(503);
    expect(answer.body.error_description).toMatch(/rate-limiting/);
    // Not the 120 s Auth0 asked for: generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(3000);
    expect(fake.clients.size).toBe(0);
  });

  it('answers 504 when Auth0 does not answer a create, looks for the client, and logs that one may exist', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, 'hang');
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
    expect(fake.calls).toContain('GET /api/v2/clients/search');
    expect(bridge.output.text()).toContain('Orphaned client possible at Auth0');
  });

  it('never logs an issued secret, a token or the bridge credentials', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).toContain('Client deleted');
    const secrets = [...handedOut, ...fake.issued, ...bridgeSecrets, KEY];
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
