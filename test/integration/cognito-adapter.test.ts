import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeCognito } from '../fakes/cognito-fake';
import { type CognitoBridge, startCognitoBridge } from '../support/cognito-bridge';
import type { TestBridge } from '../support/local-bridge';

const KEY = 'cognito_adapter_key_0001';
const IDP_TIMEOUT_MS = 3000;
const WRITES = [
  'CreateUserPoolClient',
  'UpdateUserPoolClient',
  'DeleteUserPoolClient',
  'AddUserPoolClientSecret',
  'DeleteUserPoolClientSecret',
];

const createBody = {
  client_name: 'Payments App',
  redirect_uris: [],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read', 'write'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

const claimsOf = (token: unknown) =>
  JSON.parse(Buffer.from(String(token).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

describe('Konnect → bridge → Cognito (the fake Cognito API over HTTP, the real SDK)', () => {
  let cognito: FakeCognito;
  let bridge: TestBridge;
  let target: CognitoBridge;

  beforeAll(async () => {
    // Only the SDK's own variables: nothing in bin/local knows about Cognito.
    target = await startCognitoBridge(KEY, { IDP_TIMEOUT_MS: String(IDP_TIMEOUT_MS) });
    ({ cognito, bridge } = target);
  });

  afterAll(() => target?.stop());

  beforeEach(() => cognito.reset());

  const create = (body: Record<string, unknown> = createBody) => target.create(body);
  const rotate = (clientId: string) => target.rotate(clientId);
  const hook = (clientId: string, json: Record<string, unknown>) => target.hook(clientId, json);
  const remove = (clientId: string) => target.remove(clientId);
  const writesSeen = () => cognito.operations().filter((operation) => WRITES.includes(operation));
  const errorLines = () => bridge.output.lines().filter((line) => line.level === 'ERROR');

  it('runs create → token → rotate → redirect update → registrations → delete → token refused', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    expect(created.body.client_secret_expires_at).toBe(0);
    expect(cognito.client(clientId)?.settings).toMatchObject({
      ClientName: expect.stringMatching(/^Payments App dcr-bridge\.[0-9a-f]{8}$/),
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [cognito.scope('read'), cognito.scope('write')],
      AllowedOAuthFlowsUserPoolClient: true,
    });

    // The token works, with the requested scopes, and carries the client id Konnect's strategy checks.
    const token = await cognito.requestToken(clientId, firstSecret, {
      scope: `${cognito.scope('read')} ${cognito.scope('write')}`,
    });
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.access_token)).toMatchObject({
      client_id: clientId,
      iss: cognito.issuer,
      scope: expect.stringContaining(cognito.scope('write')),
    });
    expect((await cognito.requestToken(clientId, firstSecret, { scope: cognito.scope('admin') })).status).toBe(400);

    const rotated = await rotate(clientId);
    expect(rotated.status).toBe(200);
    const secondSecret = rotated.body.client_secret as string;
    expect(secondSecret).not.toBe(firstSecret);
    expect((await cognito.requestToken(clientId, firstSecret)).status).not.toBe(200);
    expect((await cognito.requestToken(clientId, secondSecret)).status).toBe(200);
    expect(cognito.client(clientId)?.secretIds).toHaveLength(1);

    // A client credentials client has no callback URLs: the update is acknowledged, Cognito not called.
    const before = cognito.client(clientId)?.settings;
    const callsBefore = cognito.operations().length;
    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/cb'],
    });
    expect(updated.status).toBe(200);
    expect(cognito.operations().length).toBe(callsBefore);
    expect(cognito.client(clientId)?.settings).toEqual(before);
    expect((await cognito.requestToken(clientId, secondSecret)).status).toBe(200);

    for (const event_type of ['add_registration', 'remove_registration']) {
      const registration = await hook(clientId, { event_type, api_product_version_id: 'v1', audience: 'payments' });
      expect(registration.status).toBe(200);
    }

    expect((await remove(clientId)).status).toBe(204);
    expect(cognito.client(clientId)).toBeUndefined();
    expect((await cognito.requestToken(clientId, secondSecret)).status).not.toBe(200);
    // The record went with it: a second delete calls Cognito no more.
    const callsBeforeDelete = cognito.operations().length;
    expect((await remove(clientId)).status).toBe(204);
    expect(cognito.operations().length).toBe(callsBeforeDelete);
    expect(bridge.output.text()).not.toContain(firstSecret);
    expect(bridge.output.text()).not.toContain(secondSecret);
  });

  it('makes a client credentials client when Konnect also asks for authorization_code, and says so once', async () => {
    const linesBefore = bridge.output.lines().length;
    const newLines = (prefix: string) =>
      bridge.output
        .lines()
        .slice(linesBefore)
        .filter((line) => String(line.message).startsWith(prefix));
    const created = await create({
      ...createBody,
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      redirect_uris: ['https://payments.example.com/cb'],
      scopes: ['openid', 'read'],
    });
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    const settings = cognito.client(clientId)?.settings;
    expect(settings).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: [cognito.scope('read')],
      AllowedOAuthFlowsUserPoolClient: true,
    });
    expect(settings?.CallbackURLs).toBeUndefined();
    expect(settings?.SupportedIdentityProviders).toBeUndefined();

    // The credentials Konnect hands the developer work with the client credentials grant.
    const token = await cognito.requestToken(clientId, created.body.client_secret as string);
    expect(token.status).toBe(200);
    expect(claimsOf(token.body.access_token)).toMatchObject({ client_id: clientId, scope: cognito.scope('read') });

    expect(newLines('Not granted')).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: expect.stringContaining('IDP_COGNITO_OAUTH_FLOW=client_credentials'),
        not_granted_grants: ['authorization_code', 'refresh_token'],
        not_granted_scopes: ['openid'],
      }),
    ]);

    cognito.reset();
    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/cb'],
    });
    expect(updated.status).toBe(200);
    expect(cognito.operations()).toEqual([]);
    expect(cognito.client(clientId)?.settings).toEqual(settings);
    expect(newLines('Redirect URIs not applied')).toEqual([
      expect.objectContaining({ level: 'INFO', client_id: clientId }),
    ]);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('refuses a client it did not create on every route, with no write at Cognito', async () => {
    const foreign = cognito.seedClient({
      ClientName: 'Someone else dcr-bridge.00000000',
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: [cognito.scope('read')],
    });
    const before = cognito.client(foreign.clientId);

    expect((await rotate(foreign.clientId)).status).toBe(404);
    expect(
      (await hook(foreign.clientId, { event_type: 'update_application', redirect_uris: ['https://evil.example/cb'] }))
        .status,
    ).toBe(404);
    expect(
      (await hook(foreign.clientId, { event_type: 'add_registration', api_product_version_id: 'v1' })).status,
    ).toBe(404);
    expect((await remove(foreign.clientId)).status).toBe(204);

    expect(cognito.operations()).toEqual([]);
    expect(cognito.client(foreign.clientId)).toEqual(before);
    expect((await cognito.requestToken(foreign.clientId, foreign.clientSecret)).status).toBe(200);
  });

  it('rides out brief throttling, and answers lasting throttling with 503 within the deadline', async () => {
    cognito.throttle('CreateUserPoolClient', 2);
    const created = await create();
    expect(created.status).toBe(201);
    expect(cognito.operations().filter((operation) => operation === 'CreateUserPoolClient')).toHaveLength(3);
    expect((await remove(created.body.client_id as string)).status).toBe(204);

    cognito.reset();
    const clientsBefore = cognito.clients().length;
    cognito.throttle('CreateUserPoolClient', 100);
    const startedAt = Date.now();
    const throttled = await create();
    expect(throttled.status).toBe(503);
    expect(throttled.body.error_description).toContain('rate-limiting the bridge');
    expect(Date.now() - startedAt).toBeLessThan(IDP_TIMEOUT_MS);
    // A throttled create made nothing: nothing to look for, nothing left.
    expect(cognito.operations()).not.toContain('ListUserPoolClients');
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });

  it('answers the new secret when the old one cannot be deleted, reports it, and removes it at the next rotation', async () => {
    const created = await create();
    const clientId = created.body.client_id as string;
    const firstSecret = created.body.client_secret as string;
    cognito.inject('DeleteUserPoolClientSecret', { type: 'InternalErrorException' });

    const rotated = await rotate(clientId);
    expect(rotated.status).toBe(200);
    const secondSecret = rotated.body.client_secret as string;
    expect((await cognito.requestToken(clientId, secondSecret)).status).toBe(200);
    expect(cognito.client(clientId)?.secretIds).toHaveLength(2);
    expect(errorLines()).toContainEqual(
      expect.objectContaining({
        message: expect.stringMatching(/^Stale client secret at Cognito/),
        client_id: clientId,
        stale_id: expect.any(String),
      }),
    );

    const again = await rotate(clientId);
    expect(again.status).toBe(200);
    const thirdSecret = again.body.client_secret as string;
    expect(cognito.client(clientId)?.secretIds).toHaveLength(1);
    expect((await cognito.requestToken(clientId, firstSecret)).status).not.toBe(200);
    expect((await cognito.requestToken(clientId, secondSecret)).status).not.toBe(200);
    expect((await cognito.requestToken(clientId, thirdSecret)).status).toBe(200);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('removes a client Cognito created although the create failed, found by its name', async () => {
    const clientsBefore = cognito.clients().length;
    cognito.failAfterEffect('CreateUserPoolClient');
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('the bridge removed it again');
    expect(cognito.operations()).toEqual(['CreateUserPoolClient', 'ListUserPoolClients', 'DeleteUserPoolClient']);
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });

  it('does the same when the create’s connection is dropped after it took effect', async () => {
    const clientsBefore = cognito.clients().length;
    cognito.inject('CreateUserPoolClient', { afterEffect: true, mode: 'drop' });
    const answer = await create();
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(answer.body.error_description).toContain('the bridge removed it again');
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });

  it('answers a create that hangs past the deadline with 504 in time, and removes what it made', async () => {
    const clientsBefore = cognito.clients().length;
    cognito.inject('CreateUserPoolClient', { afterEffect: true, mode: 'hang' });
    const startedAt = Date.now();
    const answer = await create();
    expect(answer.status).toBe(504);
    expect(Date.now() - startedAt).toBeLessThan(IDP_TIMEOUT_MS + 3000);
    expect(answer.body.error_description).toContain('the bridge removed it again');
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });

  it('reports the possible orphan by name when it cannot look, so nothing is left unsaid', async () => {
    cognito.failAfterEffect('CreateUserPoolClient');
    cognito.inject('ListUserPoolClients', { type: 'InternalErrorException', times: Number.POSITIVE_INFINITY });
    const answer = await create();
    expect(answer.status).toBe(502);
    expect(answer.body.error_description).toContain('could not check');
    const [line] = errorLines().filter((entry) => String(entry.message).startsWith('Orphaned client possible'));
    const suffix = String(line?.client_name_suffix);
    const orphan = cognito.clients().find((client) => client.settings.ClientName?.endsWith(suffix));
    expect(orphan).toBeDefined();
    cognito.clearFaults();
    // Never recorded: the bridge will not touch it, an operator deletes it by the logged name.
    expect((await remove(orphan?.clientId as string)).status).toBe(204);
    expect(cognito.client(orphan?.clientId as string)).toBeDefined();
  });

  it('answers a refused scope as the developer’s error, with nothing created', async () => {
    const clientsBefore = cognito.clients().length;
    const answer = await create({ ...createBody, scopes: ['unknown'] });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/^scopes: /);
    expect(cognito.clients()).toHaveLength(clientsBefore);
    expect(writesSeen()).toEqual(['CreateUserPoolClient']);
  });

  it('keeps Konnect’s secret working after an add whose answer was lost, until a new one is answered', async () => {
    const created = await create();
    const clientId = created.body.client_id as string;
    const konnects = created.body.client_secret as string;
    // The add takes effect, its answer never comes, and the bridge cannot remove what it made.
    cognito.inject('AddUserPoolClientSecret', { afterEffect: true, mode: 'hang' });
    cognito.inject('DeleteUserPoolClientSecret', { type: 'InternalErrorException' });
    expect((await rotate(clientId)).status).toBe(504);
    expect(cognito.client(clientId)?.secretIds).toHaveLength(2);
    expect(errorLines()).toContainEqual(
      expect.objectContaining({ message: expect.stringMatching(/^Stale client secret possible/), client_id: clientId }),
    );
    expect((await cognito.requestToken(clientId, konnects)).status).toBe(200);

    // The next rotation removes the unanswered (newer) secret, not Konnect's, and then fails to add.
    cognito.clearFaults();
    cognito.throttle('AddUserPoolClientSecret', 100);
    expect((await rotate(clientId)).status).toBe(503);
    expect((await cognito.requestToken(clientId, konnects)).status).toBe(200);
    expect(cognito.client(clientId)?.secretIds).toHaveLength(1);

    cognito.clearFaults();
    const rotated = await rotate(clientId);
    expect(rotated.status).toBe(200);
    expect((await cognito.requestToken(clientId, rotated.body.client_secret as string)).status).toBe(200);
    expect((await cognito.requestToken(clientId, konnects)).status).not.toBe(200);
    expect(cognito.client(clientId)?.secretIds).toHaveLength(1);
    expect((await remove(clientId)).status).toBe(204);
  });

  it('finds a create Cognito commits after the connection dropped, by looking again after a short wait', async () => {
    const clientsBefore = cognito.clients().length;
    cognito.inject('CreateUserPoolClient', { afterEffect: true, mode: 'drop', delayEffectMs: 300 });
    const answer = await create();
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(answer.body.error_description).toContain('the bridge removed it again');
    expect(cognito.operations()).toEqual([
      'CreateUserPoolClient',
      'ListUserPoolClients',
      'ListUserPoolClients',
      'DeleteUserPoolClient',
    ]);
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });
});
