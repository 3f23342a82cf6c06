import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { KeycloakFake } from '../fakes/keycloak-fake';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'keycloak_adapter_key_0001';

const createBody = {
  client_name: 'Payments App',
  redirect_uris: ['https://payments.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: 'Pays things',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  auth_strategy_id: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcr_provider_id: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

describe('Konnect → bridge → Keycloak Admin REST API', () => {
  let keycloak: KeycloakFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    keycloak = await KeycloakFake.start();
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'keycloak',
      IDP_KEYCLOAK_URL: keycloak.url,
      IDP_KEYCLOAK_REALM: keycloak.realm,
      IDP_CLIENT_ID: keycloak.bridgeClient.id,
      IDP_CLIENT_SECRET: keycloak.bridgeClient.secret,
      IDP_TIMEOUT_MS: '3000',
    });
    bridgeUrl = bridge.local.bridgeUrl;
  });

  afterAll(async () => {
    await bridge?.stop();
    await keycloak?.close();
  });

  beforeEach(() => keycloak.reset());

  const create = async (body: Record<string, unknown> = createBody) => {
    const answer = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: body });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };
  const rotate = async (clientId: string) => {
    const answer = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };
  const hook = (clientId: string, json: Record<string, unknown>) =>
    callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, { key: KEY, json: { client_id: clientId, ...json } });
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });

  it('runs create → token → rotate → update redirect URIs → registrations → delete → delete again', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(['client_id', 'client_secret']);
    const clientId = created.body.client_id as string;
    expect(clientId).toMatch(/^konnect-payments-app-[a-z0-9]{10}$/);
    expect(keycloak.clientCount()).toBe(1);
    expect(keycloak.findClient(clientId)).toMatchObject({
      name: 'Payments App',
      description: 'Pays things',
      publicClient: false,
      clientAuthenticatorType: 'client-secret',
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      directAccessGrantsEnabled: false,
      redirectUris: ['https://payments.example.com/callback'],
      attributes: {
        'konnect.managed_by': 'dcr-bridge',
        'konnect.portal_id': createBody.portal_id,
        'konnect.developer_id': createBody.developer_id,
        'konnect.dcr_provider_id': createBody.dcr_provider_id,
      },
    });
    const firstSecret = created.body.client_secret as string;
    expect((await requestToken(keycloak.tokenEndpoint, clientId, firstSecret)).status).toBe(200);

    const rotated = await rotate(clientId);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ client_id: clientId, client_secret: expect.any(String) });
    const secondSecret = rotated.body.client_secret as string;
    expect(secondSecret).not.toBe(firstSecret);
    expect((await requestToken(keycloak.tokenEndpoint, clientId, firstSecret)).status).toBe(401);
    expect((await requestToken(keycloak.tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/callback', 'http://127.0.0.1:8080/cb'],
    });
    expect(updated.status).toBe(200);
    expect(keycloak.findClient(clientId)?.redirectUris).toEqual([
      'https://payments.example.com/v2/callback',
      'http://127.0.0.1:8080/cb',
    ]);
    // A redirect URI change keeps the developer's credentials and the rest of the client.
    expect((await requestToken(keycloak.tokenEndpoint, clientId, secondSecret)).status).toBe(200);
    expect(keycloak.findClient(clientId)).toMatchObject({ name: 'Payments App', serviceAccountsEnabled: true });

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await hook(clientId, { event_type, api_product_version_id: 'v1', audience: 'payments' });
      expect(registration.status).toBe(200);
    }

    expect((await remove(clientId)).status).toBe(204);
    expect(keycloak.clientCount()).toBe(0);
    expect((await requestToken(keycloak.tokenEndpoint, clientId, secondSecret)).status).toBe(401);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('deletes the new client again when reading its secret fails', async () => {
    keycloak.inject('read-secret', { status: 500, body: { errorMessage: 'unknown_error' } });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('500');
    expect(answer.body.error_description).toContain('removed the half-created client');
    expect(keycloak.clientCount()).toBe(0);
  });

  it('finds and deletes a client whose create answer was lost on the way', async () => {
    keycloak.inject('create', 'drop-after-handling');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(keycloak.clientCount()).toBe(0);
    expect(bridge.output.text()).toContain('Removed a half-created client');
  });

  it('finds and deletes a client Keycloak stored before answering 500', async () => {
    keycloak.inject('create', { status: 500, body: { error: 'unknown_error' }, afterHandling: true });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('500');
    expect(answer.body.error_description).toContain('removed the half-created client');
    expect(keycloak.clientCount()).toBe(0);
  });

  it('tries a fresh clientId when Keycloak says the generated one is taken', async () => {
    keycloak.inject('create', { status: 409, body: { errorMessage: 'Client konnect-x already exists' } });
    const answer = await create();
    expect(answer.status).toBe(201);
    const [taken, fresh] = keycloak.requestedClientIds();
    expect(fresh).not.toBe(taken);
    expect(answer.body.client_id).toBe(fresh);
    expect(keycloak.clientCount()).toBe(1);
    expect((await remove(answer.body.client_id as string)).status).toBe(204);
  });

  it('waits out a short Retry-After and creates once', async () => {
    keycloak.inject('create', { status: 429, headers: { 'retry-after': '1' } });
    const answer = await create();
    expect(answer.status).toBe(201);
    expect(keycloak.clientCount()).toBe(1);
    expect((await remove(answer.body.client_id as string)).status).toBe(204);
  });

  it('answers 503 at once when Keycloak asks for a wait beyond the deadline', async () => {
    keycloak.inject('create', { status: 429, headers: { 'retry-after': '120' } });
    const started = Date.now();
    const answer = await create();
    expect(answer.status).toBe(503);
    expect(answer.body.error_description).toContain('rate-limiting');
    // Bounded by the decision, not by the 120 s wait: generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(keycloak.clientCount()).toBe(0);
  });

  it("tells the admin that Keycloak refused the bridge's credentials", async () => {
    keycloak.revokeTokens();
    keycloak.behaviour.refuseBridgeCredentials = true;
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('credentials');
    expect(answer.body.error_description).toContain('unauthorized_client');
    expect(keycloak.clientCount()).toBe(0);
  });

  it('names the missing manage-clients role', async () => {
    keycloak.behaviour.bridgeRoles = new Set(['view-clients']);
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('manage-clients');
    expect(keycloak.clientCount()).toBe(0);
  });

  it('renews an admin token Keycloak no longer accepts', async () => {
    keycloak.revokeTokens();
    const answer = await create();
    expect(answer.status).toBe(201);
    expect((await remove(answer.body.client_id as string)).status).toBe(204);
  });

  it('answers 400 when Keycloak refuses a redirect URI', async () => {
    const refusal = {
      status: 400,
      body: { error: 'invalid_input', error_description: 'A redirect URI is not a valid URI' },
    };
    keycloak.inject('create', refusal);
    const answer = await create();
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(answer.body.error_description).toContain('A redirect URI is not a valid URI');
    expect(keycloak.clientCount()).toBe(0);

    const created = await create();
    const clientId = created.body.client_id as string;
    keycloak.inject('update', refusal);
    const update = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/callback'],
    });
    expect(update.status).toBe(400);
    expect(update.body.error).toBe('invalid_client_metadata');
    expect((await remove(clientId)).status).toBe(204);
  });

  it("answers 502, not the developer's 400, when Keycloak refuses to regenerate a secret", async () => {
    const created = await create();
    const clientId = created.body.client_id as string;
    keycloak.inject('new-secret', {
      status: 400,
      body: { error: 'invalid_input', error_description: 'Invalid secret' },
    });
    const answer = await rotate(clientId);
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.body.error_description).toContain('answered 400 (invalid_input: Invalid secret)');
    expect((await requestToken(keycloak.tokenEndpoint, clientId, created.body.client_secret as string)).status).toBe(
      200,
    );
    expect((await remove(clientId)).status).toBe(204);
  });

  it('masks a regenerated secret that Keycloak later echoes in an error (its field is a bare "value")', async () => {
    const clientId = (await create()).body.client_id as string;
    const rotated = await rotate(clientId);
    const secret = rotated.body.client_secret as string;
    keycloak.inject('update', {
      status: 400,
      body: { error: 'invalid_input', error_description: `bad client ${secret}` },
    });

    const answer = await hook(clientId, {
      event_type: 'update_application',
      client_id: clientId,
      redirect_uris: ['https://app.example.com/cb'],
    });

    // Not about the redirect URIs, so Keycloak's refusal is not the developer's: 502.
    expect(answer.status).toBe(502);
    expect(JSON.stringify(answer.body)).not.toContain(secret);
    expect(bridge.output.text()).not.toContain(secret);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('registers private-use scheme redirect URIs (RFC 8252 §7.1) as they are', async () => {
    const created = await create({
      ...createBody,
      grant_types: ['authorization_code', 'client_credentials'],
      redirect_uris: ['com.example.payments:/callback', 'http://127.0.0.1:7000/cb'],
    });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    expect(keycloak.findClient(clientId)).toMatchObject({
      redirectUris: ['com.example.payments:/callback', 'http://127.0.0.1:7000/cb'],
      standardFlowEnabled: true,
      serviceAccountsEnabled: true,
    });
    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['com.example.payments:/v2/callback'],
    });
    expect(updated.status).toBe(200);
    expect(keycloak.findClient(clientId)?.redirectUris).toEqual(['com.example.payments:/v2/callback']);
    expect((await remove(clientId)).status).toBe(204);
  });

  it("cuts a name and description longer than Keycloak's 255 characters instead of failing", async () => {
    const created = await create({
      ...createBody,
      client_name: `Payments ${'🪙'.repeat(120)}`,
      application_description: 'd'.repeat(900),
    });
    expect(created.status).toBe(201);
    const stored = keycloak.findClient(created.body.client_id as string);
    expect(String(stored?.name).length).toBeLessThanOrEqual(255);
    expect(stored?.description).toHaveLength(255);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it('answers 504 when Keycloak hangs', async () => {
    keycloak.inject('read-secret', 'hang');
    const answer = await create();
    expect(answer.status).toBe(504);
    // The half-created client is removed even though the request's deadline has passed.
    expect(keycloak.clientCount()).toBe(0);
  });

  it('never touches a client the bridge did not create', async () => {
    expect((await rotate('realm-management')).status).toBe(404);
    expect((await hook('admin-cli', { event_type: 'update_application', redirect_uris: [] })).status).toBe(404);
    expect((await remove('realm-management')).status).toBe(204);
    expect(keycloak.findClient('realm-management')).toBeDefined();
    expect(keycloak.calls.filter((call) => !call.startsWith('GET '))).toEqual([]);
  });

  it("never touches the bridge's own client, even one carrying the bridge's mark", async () => {
    const own = keycloak.bridgeClient.id;
    keycloak.setAttributes(own, { 'konnect.managed_by': 'dcr-bridge' });
    const from = keycloak.calls.length;
    expect((await rotate(own)).status).toBe(404);
    expect(
      (await hook(own, { event_type: 'update_application', redirect_uris: ['https://x.example.com/cb'] })).status,
    ).toBe(404);
    expect((await remove(own)).status).toBe(204);
    // Refused before any admin API call: only token requests, if any, reach Keycloak.
    expect(keycloak.calls.slice(from).filter((call) => call.includes('/admin/'))).toEqual([]);
    expect(keycloak.findClient(own)).toBeDefined();
    expect(bridge.output.lines()).toContainEqual(
      expect.objectContaining({ level: 'WARN', client_id: own, reason: "the bridge's own credentials" }),
    );
  });

  it('answers 404 for an unknown client and 204 for deleting it', async () => {
    expect((await rotate('konnect-unknown-0000000000')).status).toBe(404);
    expect(
      (await hook('konnect-unknown-0000000000', { event_type: 'add_registration', api_product_version_id: 'v1' }))
        .status,
    ).toBe(404);
    expect((await remove('konnect-unknown-0000000000')).status).toBe(204);
  });

  it('never logs an issued secret, a token or the bridge credentials', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).toContain('Client deleted');
    const secrets = [...handedOut, ...keycloak.issuedSecrets(), KEY];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
