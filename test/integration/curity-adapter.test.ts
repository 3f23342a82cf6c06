import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CurityFake } from '../fakes/curity-fake';
import { callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'curity_adapter_key_0001';

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
};

describe('Konnect → bridge → Curity (IDP_CURITY_MANAGEMENT=dcrm, the default)', () => {
  let curity: CurityFake;
  let bridge: TestBridge;
  let bridgeUrl: string;
  const handedOut: string[] = [];

  beforeAll(async () => {
    curity = await CurityFake.start();
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'curity',
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

  beforeEach(() => curity.reset());

  const create = async (body: Record<string, unknown> = createBody) => {
    const answer = await callBridge(bridgeUrl, 'POST', '/', { key: KEY, json: body });
    if (typeof answer.body.client_secret === 'string') handedOut.push(answer.body.client_secret);
    return answer;
  };
  const hook = (clientId: string, json: Record<string, unknown>) =>
    callBridge(bridgeUrl, 'POST', `/${clientId}/event-hook`, { key: KEY, json: { client_id: clientId, ...json } });
  const remove = (clientId: string) => callBridge(bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });

  // First, while the bridge holds no dcrm token yet: a create checks it can manage before registering.
  it('registers nothing when Curity does not grant the bridge the dcrm scope', async () => {
    curity.behaviour.bridgeScopes = new Set(['dcr']);
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('"dcrm"');
    expect(curity.calls.some((call) => call.startsWith('POST /token-service/oauth-registration'))).toBe(false);
    expect(curity.clientCount()).toBe(0);
  });

  it('runs create → token → rotate → update redirect URIs → registrations → delete → delete again', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    expect(Object.keys(created.body).sort()).toEqual(
      ['client_id', 'client_id_issued_at', 'client_secret', 'client_secret_expires_at'].sort(),
    );
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    expect(curity.clientCount()).toBe(1);
    expect(curity.findClient(clientId)).toMatchObject({
      client_name: 'Payments App',
      // The bridge's mark, a custom client property: it tells Curity's admins whose client this is.
      konnect_managed_by: 'konnect-dcr-bridge',
      grant_types: ['client_credentials'],
      scope: 'read write',
      redirect_uris: ['https://payments.example.com/callback'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect((await requestToken(curity.tokenEndpoint, clientId, firstSecret)).status).toBe(200);

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    expect(rotated.body.client_id).toBe(clientId);
    const secondSecret = rotated.body.client_secret as string;
    handedOut.push(secondSecret);
    expect(secondSecret).not.toBe(firstSecret);
    expect((await requestToken(curity.tokenEndpoint, clientId, firstSecret)).status).toBe(401);
    expect((await requestToken(curity.tokenEndpoint, clientId, secondSecret)).status).toBe(200);

    // Curity issues a new secret on every management read or update: the bridge refuses, before any call.
    const callsBefore = curity.calls.length;
    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/callback', 'http://127.0.0.1:8080/cb'],
    });
    expect(updated.status).toBe(409);
    expect(updated.body.error).toBe('update_refused');
    expect(updated.body.error_description).toContain('issues a new client secret on every update');
    expect(updated.body.error_description).toContain('in Curity directly');
    expect(curity.calls.slice(callsBefore)).toEqual([]);
    expect(curity.findClient(clientId)?.redirect_uris).toEqual(['https://payments.example.com/callback']);
    expect((await requestToken(curity.tokenEndpoint, clientId, secondSecret)).status).toBe(200);
    expect(bridge.output.text()).not.toContain('Curity issued a new client secret');

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await hook(clientId, { event_type, api_product_version_id: 'v1', audience: 'payments' });
      expect(registration.status).toBe(200);
    }

    expect((await remove(clientId)).status).toBe(204);
    expect(curity.clientCount()).toBe(0);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('says so when this Curity does not rotate secrets on dcrm reads', async () => {
    const created = await create();
    const clientId = created.body.client_id as string;
    curity.behaviour.dcrmRotatesSecret = false;

    // Without a secret in the read, Curity issued none: rotation is impossible and said so.
    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(502);
    expect(rotated.body.error_description).toContain('Disable refresh secret');
    expect((await remove(clientId)).status).toBe(204);
  });

  it('removes a client Curity registered without a secret instead of leaving an orphan', async () => {
    curity.behaviour.omitSecretOnRegister = true;
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('client_secret');
    expect(answer.body.error_description).toContain('removed the client again');
    expect(curity.clientCount()).toBe(0);
  });

  it('logs the orphan by client id when the removal fails too', async () => {
    curity.behaviour.omitSecretOnRegister = true;
    curity.inject('delete', { status: 500, body: { error: 'server_error' } });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(curity.clientCount()).toBe(1);
    const [orphan] = bridge.output.lines().filter((line) => String(line.message).startsWith('Orphaned client'));
    expect(orphan?.client_id).toEqual(expect.any(String));
    const orphanId = orphan?.client_id as string;
    expect(answer.body.error_description).toContain(orphanId);
    // Never recorded, so never the bridge's to touch again: deleting it is the operator's job.
    expect((await remove(orphanId)).status).toBe(204);
    expect(curity.managementCallsFor(orphanId)).toEqual([`DELETE /token-service/oauth-registration/${orphanId}`]);
    curity.removeClient(orphanId);
  });

  it('waits out a short Retry-After and registers once', async () => {
    curity.inject('register', { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '1' } });
    const answer = await create();
    expect(answer.status).toBe(201);
    expect(curity.clientCount()).toBe(1);
    expect((await remove(answer.body.client_id as string)).status).toBe(204);
  });

  it('answers 503 at once when Curity asks for a wait beyond the deadline', async () => {
    curity.inject('register', { status: 429, body: { error: 'too_many_requests' }, headers: { 'retry-after': '120' } });
    const started = Date.now();
    const answer = await create();
    expect(answer.status).toBe(503);
    expect(answer.body.error_description).toContain('rate-limiting');
    // Bounded by the decision, not by the 120 s wait: generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(curity.clientCount()).toBe(0);
  });

  it("tells the admin that Curity refused the bridge's client credentials", async () => {
    curity.behaviour.refuseBridgeCredentials = true;
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('credentials');
    expect(answer.body.error_description).toContain('invalid_client');
    expect(curity.clientCount()).toBe(0);
  });

  it("answers 400 when Curity refuses a redirect URI: the developer's input", async () => {
    curity.inject('register', {
      status: 400,
      body: { error: 'invalid_redirect_uri', error_description: 'The redirect URI is not allowed' },
    });
    const answer = await create({ ...createBody, grant_types: ['authorization_code'] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_redirect_uri');
    expect(curity.clientCount()).toBe(0);
  });

  it('answers 504 when Curity hangs', async () => {
    curity.inject('register', 'hang');
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(answer.body.error).toBe('idp_timeout');
  });

  it('renews a dcrm token Curity no longer accepts', async () => {
    const created = await create();
    curity.revokeTokens();
    const rotated = await callBridge(bridgeUrl, 'POST', `/${created.body.client_id}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    handedOut.push(rotated.body.client_secret as string);
    expect((await remove(created.body.client_id as string)).status).toBe(204);
  });

  it('answers 404 for an unknown client and 204 for deleting it, without asking Curity', async () => {
    const unknown = '0a6c7a52-2f00-4d38-9a5c-4d7e7b6c1a11';
    expect((await callBridge(bridgeUrl, 'POST', `/${unknown}/new-secret`, { key: KEY })).status).toBe(404);
    expect((await remove(unknown)).status).toBe(204);
    expect(curity.managementCallsFor(unknown)).toEqual([]);
  });

  it('answers 404 and 204 for a client it created that Curity no longer holds, and forgets it', async () => {
    const clientId = (await create()).body.client_id as string;
    curity.removeClient(clientId);

    expect((await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY })).status).toBe(404);
    expect((await remove(clientId)).status).toBe(204);
    expect((await remove(clientId)).status).toBe(204);
    // The first delete learnt from Curity's 404 and removed the record; the retry asked nobody.
    expect(curity.managementCallsFor(clientId)).toEqual([
      `GET /token-service/oauth-registration/${clientId}`,
      `DELETE /token-service/oauth-registration/${clientId}`,
    ]);
  });

  it('never takes a 401 for "gone": the delete answers 502 saying what to check and delete by hand', async () => {
    const created = await create();
    const clientId = created.body.client_id as string;
    // Curity refuses the dcrm token, and again after the bridge renewed it.
    const refused = { status: 401, body: { error: 'invalid_token' }, headers: { 'www-authenticate': 'Bearer' } };
    curity.inject('delete', refused, refused);

    const answer = await remove(clientId);

    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    expect(answer.body.error_description).toContain('401');
    expect(answer.body.error_description).toContain(`delete client ${clientId} in Curity by hand`);
    expect(curity.clientCount()).toBe(1);
    expect((await remove(clientId)).status).toBe(204);
    expect(curity.clientCount()).toBe(0);
  });

  it('answers 502 when Curity answers 401 about a client it lost: not documented as "no such client"', async () => {
    const clientId = (await create()).body.client_id as string;
    curity.removeClient(clientId);
    curity.behaviour.unknownClientWithDcrm = 401;

    expect((await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY })).status).toBe(502);
    expect((await remove(clientId)).status).toBe(502);
    // The record stays until Curity says the client is gone.
    curity.behaviour.unknownClientWithDcrm = 404;
    expect((await remove(clientId)).status).toBe(204);
  });

  // Regression (issue 9, finding 1): the ownership check used to be a management read, and Curity
  // issues a new secret on every one, so a rotate or delete naming another party's client changed its secret.
  it('sends nothing about a client the bridge did not register (its secret stays valid), nor about its own', async () => {
    const foreign = curity.addForeignClient({ konnect_managed_by: 'konnect-dcr-bridge' });
    const logsFrom = bridge.output.lines().length;

    const rotated = await callBridge(bridgeUrl, 'POST', `/${foreign.clientId}/new-secret`, { key: KEY });
    expect([rotated.status, rotated.body.error]).toEqual([404, 'client_not_found']);
    expect(rotated.text).not.toMatch(/client_secret/);
    expect((await remove(foreign.clientId)).status).toBe(204);
    const updated = await hook(foreign.clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://elsewhere.example.com/callback'],
    });
    expect([updated.status, updated.body.error]).toEqual([404, 'client_not_found']);
    expect(
      (await hook(foreign.clientId, { event_type: 'add_registration', api_product_version_id: 'v1' })).status,
    ).toBe(404);
    // Not even a read: the mark (planted here) proves nothing, and Curity's secret is the one it had.
    expect(curity.managementCallsFor(foreign.clientId)).toEqual([]);
    expect(curity.findClient(foreign.clientId)).toBeDefined();
    expect((await requestToken(curity.tokenEndpoint, foreign.clientId, foreign.secret)).status).toBe(200);

    const own = curity.bridgeClient.id;
    const beforeOwn = curity.calls.length;
    expect((await callBridge(bridgeUrl, 'POST', `/${own}/new-secret`, { key: KEY })).status).toBe(404);
    expect((await hook(own, { event_type: 'add_registration', api_product_version_id: 'v1' })).status).toBe(404);
    expect((await remove(own)).status).toBe(204);
    expect(curity.calls.slice(beforeOwn)).toEqual([]);

    const refusals = bridge.output
      .lines()
      .slice(logsFrom)
      .filter((line) => line.message === 'Refused to act on a client the bridge did not create');
    expect(refusals.map((line) => [line.level, line.client_id, line.reason])).toEqual([
      ...Array(4).fill(['WARN', foreign.clientId, 'not created by the bridge']),
      ['WARN', own, "the bridge's own credentials"],
      ['WARN', own, "the bridge's own credentials"],
      ['WARN', own, "the bridge's own credentials"],
    ]);
    expect(String(refusals[0]?.basis)).toContain('no record');
  });

  it("manages a client Curity stored without the bridge's mark: the mark only informs, the record decides", async () => {
    curity.behaviour.dropCustomProperties = true;
    const logsFrom = bridge.output.lines().length;
    const answer = await create();
    expect(answer.status).toBe(201);
    const clientId = answer.body.client_id as string;
    expect(curity.findClient(clientId)).not.toHaveProperty('konnect_managed_by');
    const warning = bridge.output
      .lines()
      .slice(logsFrom)
      .find((line) => String(line.message).includes("did not keep the bridge's mark"));
    expect([warning?.level, warning?.client_id, warning?.property]).toEqual(['WARN', clientId, 'konnect_managed_by']);

    const rotated = await callBridge(bridgeUrl, 'POST', `/${clientId}/new-secret`, { key: KEY });
    expect(rotated.status).toBe(200);
    handedOut.push(rotated.body.client_secret as string);
    expect((await remove(clientId)).status).toBe(204);
    expect(curity.findClient(clientId)).toBeUndefined();
  });

  it('never logs an issued secret, a token or the bridge credentials', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Client created');
    expect(logs).toContain('Client deleted');
    const secrets = [...handedOut, ...curity.issuedSecrets(), KEY];
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
