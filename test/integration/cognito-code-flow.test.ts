import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { FakeCognito } from '../fakes/cognito-fake';
import { type CognitoBridge, startCognitoBridge } from '../support/cognito-bridge';
import type { TestBridge } from '../support/local-bridge';

const KEY = 'cognito_code_flow_key_0001';

const createBody = {
  client_name: 'Payments Web',
  redirect_uris: ['https://payments.example.com/cb', 'https://payments.example.com/other'],
  grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
  scopes: ['openid', 'read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developer_id: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

// A bridge reads its settings at cold start: code mode gets its own file (and bridge).
describe('Konnect → bridge → Cognito with IDP_COGNITO_OAUTH_FLOW=code', () => {
  let cognito: FakeCognito;
  let bridge: TestBridge;
  let target: CognitoBridge;

  beforeAll(async () => {
    target = await startCognitoBridge(KEY, { IDP_COGNITO_OAUTH_FLOW: 'code', IDP_TIMEOUT_MS: '3000' });
    ({ cognito, bridge } = target);
  });

  afterAll(() => target?.stop());

  beforeEach(() => cognito.reset());

  const create = (body: Record<string, unknown> = createBody) => target.create(body);
  const hook = (clientId: string, json: Record<string, unknown>) => target.hook(clientId, json);
  const remove = (clientId: string) => target.remove(clientId);

  it('makes a code-flow client with the callback URLs, and a redirect update keeps every other setting', async () => {
    const created = await create();
    expect(created.status).toBe(201);
    const clientId = created.body.client_id as string;
    const before = cognito.client(clientId)?.settings;
    expect(before).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', cognito.scope('read')],
      CallbackURLs: ['https://payments.example.com/cb', 'https://payments.example.com/other'],
      SupportedIdentityProviders: ['COGNITO'],
      EnableTokenRevocation: true,
      PreventUserExistenceErrors: 'ENABLED',
    });
    // The admin's choice: such a client has no client credentials grant, and the log says so.
    expect((await cognito.requestToken(clientId, created.body.client_secret as string)).body.error).toBe(
      'unauthorized_client',
    );
    expect(bridge.output.lines()).toContainEqual(
      expect.objectContaining({
        level: 'INFO',
        message: expect.stringContaining('IDP_COGNITO_OAUTH_FLOW=code'),
        not_granted_grants: ['client_credentials'],
      }),
    );

    const updated = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://payments.example.com/v2/cb'],
    });
    expect(updated.status).toBe(200);
    expect(cognito.operations()).toEqual(['CreateUserPoolClient', 'DescribeUserPoolClient', 'UpdateUserPoolClient']);
    expect(cognito.client(clientId)?.settings).toEqual({
      ...before,
      CallbackURLs: ['https://payments.example.com/v2/cb'],
    });

    // Longer than Cognito's 1,024 characters (the bridge takes 2,000): the developer's input, answered as such.
    const refused = await hook(clientId, {
      event_type: 'update_application',
      redirect_uris: [`https://payments.example.com/${'a'.repeat(1100)}`],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error_description).toMatch(/^redirect_uris: /);
    expect(cognito.client(clientId)?.settings.CallbackURLs).toEqual(['https://payments.example.com/v2/cb']);
    expect((await remove(clientId)).status).toBe(204);
    expect(cognito.client(clientId)).toBeUndefined();
  });

  it('refuses a create without redirect_uris, naming the field and the setting, with nothing created', async () => {
    const clientsBefore = cognito.clients().length;
    const answer = await create({ ...createBody, grant_types: ['client_credentials', 'bearer'], redirect_uris: [] });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(answer.body.error_description).toMatch(/^redirect_uris: .*IDP_COGNITO_OAUTH_FLOW/);
    expect(cognito.operations()).toEqual([]);
    expect(cognito.clients()).toHaveLength(clientsBefore);
  });

  it('refuses a redirect update of a client it did not create, with no call at Cognito', async () => {
    const foreign = cognito.seedClient({
      ClientName: 'Someone else',
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid'],
      CallbackURLs: ['https://someone.example/cb'],
    });
    const answer = await hook(foreign.clientId, {
      event_type: 'update_application',
      redirect_uris: ['https://evil.example/cb'],
    });
    expect(answer.status).toBe(404);
    expect(cognito.operations()).toEqual([]);
    expect(cognito.client(foreign.clientId)?.settings.CallbackURLs).toEqual(['https://someone.example/cb']);
  });
});
