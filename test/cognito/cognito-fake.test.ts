import {
  AddUserPoolClientSecretCommand,
  type CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type FakeCognito, startFakeCognito } from '../fakes/cognito-fake';
import { failure, sdkFor } from './cognito-fake-support';

describe('Cognito fake: app-client API through the real SDK client', () => {
  let fake: FakeCognito;
  let sdk: CognitoIdentityProviderClient;
  let pool: string;

  const m2m = (extra: Partial<CreateUserPoolClientCommandInput> = {}): CreateUserPoolClientCommandInput => ({
    UserPoolId: pool,
    ClientName: 'Payments App dcr-bridge.0a1b2c3d',
    GenerateSecret: true,
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['client_credentials'],
    AllowedOAuthScopes: [fake.scope('read'), fake.scope('write')],
    ...extra,
  });
  const create = async (extra: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const { UserPoolClient } = await sdk.send(new CreateUserPoolClientCommand(m2m(extra)));
    return { clientId: UserPoolClient?.ClientId as string, clientSecret: UserPoolClient?.ClientSecret as string };
  };
  const describeClient = async (clientId: string) =>
    (await sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }))).UserPoolClient;

  beforeAll(async () => {
    fake = await startFakeCognito();
    sdk = sdkFor(fake);
    pool = fake.userPoolId;
  });
  afterEach(() => {
    const log = JSON.stringify(fake.requests);
    for (const secret of fake.issuedSecrets()) expect(log).not.toContain(secret);
    fake.reset();
    fake.setAppClientQuota(1000);
    fake.setRateLimits({});
  });
  afterAll(async () => {
    sdk.destroy();
    await fake.close();
  });

  describe('CreateUserPoolClient and DescribeUserPoolClient', () => {
    it('creates a confidential client credentials client and describes it with its defaults', async () => {
      const { clientId, clientSecret } = await create();
      expect(clientId).toMatch(/^[a-z0-9]{26}$/);
      expect(clientSecret).toMatch(/^[a-z0-9]{52}$/);
      const described = await describeClient(clientId);
      expect(described).toMatchObject({
        UserPoolId: pool,
        ClientId: clientId,
        ClientName: 'Payments App dcr-bridge.0a1b2c3d',
        ClientSecret: clientSecret,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['https://api.example.com/read', 'https://api.example.com/write'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
        EnableTokenRevocation: true,
        PreventUserExistenceErrors: 'LEGACY',
        RefreshTokenValidity: 30,
        AuthSessionValidity: 3,
      });
      expect(described?.CreationDate).toBeInstanceOf(Date);
      expect(described?.CallbackURLs).toBeUndefined();
      expect(fake.operations()).toEqual(['CreateUserPoolClient', 'DescribeUserPoolClient']);
      expect(fake.requests[0]).toEqual({ operation: 'CreateUserPoolClient', status: 200, clientId });
    });

    it('creates a code flow client with callback URLs (https, or http only for localhost)', async () => {
      const { clientId } = await create({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', fake.scope('read')],
        CallbackURLs: ['https://app.example.com/callback', 'http://localhost:8080/cb', 'myapp://callback'],
        DefaultRedirectURI: 'https://app.example.com/callback',
        SupportedIdentityProviders: ['COGNITO'],
      });
      expect(fake.client(clientId)?.settings).toMatchObject({
        AllowedOAuthFlows: ['code'],
        CallbackURLs: ['https://app.example.com/callback', 'http://localhost:8080/cb', 'myapp://callback'],
        DefaultRedirectURI: 'https://app.example.com/callback',
      });
    });

    it.each([
      ['a name with characters outside [\\w\\s+=,.@-]', { ClientName: 'Payments/App' }, 'InvalidParameterException'],
      ['a name over 128 characters', { ClientName: 'a'.repeat(129) }, 'InvalidParameterException'],
      [
        'client_credentials with code',
        { AllowedOAuthFlows: ['client_credentials', 'code'], CallbackURLs: ['https://a.example.com/cb'] },
        'InvalidOAuthFlowException',
      ],
      ['client_credentials without a secret', { GenerateSecret: false }, 'InvalidOAuthFlowException'],
      ['client_credentials with openid', { AllowedOAuthScopes: ['openid'] }, 'InvalidOAuthFlowException'],
      [
        'a scope no resource server has',
        { AllowedOAuthScopes: ['https://api.example.com/delete'] },
        'ScopeDoesNotExistException',
      ],
      [
        'a scope of an unknown resource server',
        { AllowedOAuthScopes: ['https://other.example.com/read'] },
        'ScopeDoesNotExistException',
      ],
      ['AllowedOAuthFlowsUserPoolClient without flows', { AllowedOAuthFlows: [] }, 'InvalidParameterException'],
      [
        'code flow without callback URLs',
        { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'] },
        'InvalidParameterException',
      ],
      [
        'an http callback URL to a remote host',
        { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: ['http://app.example.com/cb'] },
        'InvalidParameterException',
      ],
      [
        'a callback URL with a fragment',
        { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: ['https://app.example.com/cb#x'] },
        'InvalidParameterException',
      ],
      [
        'a relative callback URL',
        { AllowedOAuthFlows: ['code'], AllowedOAuthScopes: ['openid'], CallbackURLs: ['/cb'] },
        'InvalidParameterException',
      ],
      [
        'a DefaultRedirectURI not among the callback URLs',
        {
          AllowedOAuthFlows: ['code'],
          AllowedOAuthScopes: ['openid'],
          CallbackURLs: ['https://a.example.com/cb'],
          DefaultRedirectURI: 'https://b.example.com/cb',
        },
        'InvalidParameterException',
      ],
      ['an unknown identity provider', { SupportedIdentityProviders: ['Google'] }, 'InvalidParameterException'],
      ['a custom secret shorter than 24 characters', { ClientSecret: 'short' }, 'InvalidParameterException'],
    ] as [string, Partial<CreateUserPoolClientCommandInput>, string][])(
      'refuses %s: %s',
      async (_case, extra, type) => {
        const before = fake.clients().length;
        const error = await failure(sdk.send(new CreateUserPoolClientCommand(m2m(extra))));
        expect(error).toMatchObject({ name: type, status: 400 });
        expect(fake.clients()).toHaveLength(before);
      },
    );

    it('answers ResourceNotFoundException (400, as API_CreateUserPoolClient’s Errors list it) for another user pool and for an unknown client', async () => {
      const otherPool = await failure(
        sdk.send(new CreateUserPoolClientCommand(m2m({ UserPoolId: 'eu-central-1_Other' }))),
      );
      expect(otherPool).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
      const unknown = await failure(describeClient('nosuchclient0000000000000'));
      expect(unknown).toMatchObject({
        name: 'ResourceNotFoundException',
        status: 400,
        message: 'User pool client nosuchclient0000000000000 does not exist.',
      });
    });

    it('answers LimitExceededException once the pool holds its quota of app clients', async () => {
      fake.setAppClientQuota(fake.clients().length);
      const error = await failure(create());
      expect(error).toMatchObject({ name: 'LimitExceededException', status: 400 });
    });
  });

  describe('UpdateUserPoolClient', () => {
    it('resets every setting the request leaves out to its default, and keeps name and secrets', async () => {
      const { clientId, clientSecret } = await create({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', fake.scope('read')],
        CallbackURLs: ['https://app.example.com/cb'],
        LogoutURLs: ['https://app.example.com/bye'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        AccessTokenValidity: 2,
        TokenValidityUnits: { AccessToken: 'hours' },
        EnableTokenRevocation: false,
      });
      await sdk.send(
        new UpdateUserPoolClientCommand({
          UserPoolId: pool,
          ClientId: clientId,
          CallbackURLs: ['https://new.example.com/cb'],
        }),
      );
      const described = await describeClient(clientId);
      expect(described).toMatchObject({
        ClientName: 'Payments App dcr-bridge.0a1b2c3d',
        ClientSecret: clientSecret,
        CallbackURLs: ['https://new.example.com/cb'],
        AllowedOAuthFlowsUserPoolClient: false,
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
        AccessTokenValidity: 60,
        EnableTokenRevocation: true,
      });
      expect(described?.AllowedOAuthFlows).toBeUndefined();
      expect(described?.AllowedOAuthScopes).toBeUndefined();
      expect(described?.LogoutURLs).toBeUndefined();
    });

    it('keeps every setting when the update sends back the whole description with new callback URLs', async () => {
      const { clientId } = await create({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', fake.scope('read')],
        CallbackURLs: ['https://app.example.com/cb'],
        DefaultRedirectURI: 'https://app.example.com/cb',
        LogoutURLs: ['https://app.example.com/bye'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        SupportedIdentityProviders: ['COGNITO'],
      });
      const before = fake.client(clientId)?.settings;
      const {
        ClientSecret: _secret,
        CreationDate: _c,
        LastModifiedDate: _m,
        ClientType: _t,
        ...current
      } = (await describeClient(clientId)) ?? {};
      await sdk.send(
        new UpdateUserPoolClientCommand({
          ...current,
          UserPoolId: pool,
          ClientId: clientId,
          CallbackURLs: ['https://app.example.com/cb', 'https://app.example.com/cb2'],
        }),
      );
      expect(fake.client(clientId)?.settings).toEqual({
        ...before,
        CallbackURLs: ['https://app.example.com/cb', 'https://app.example.com/cb2'],
      });
    });

    it('validates as create does and leaves the client unchanged when it refuses', async () => {
      const { clientId } = await create();
      const before = fake.client(clientId)?.settings;
      const error = await failure(
        sdk.send(
          new UpdateUserPoolClientCommand({
            ...m2m(),
            ClientId: clientId,
            AllowedOAuthScopes: [fake.scope('nope')],
          }),
        ),
      );
      expect(error).toMatchObject({ name: 'ScopeDoesNotExistException', status: 400 });
      expect(fake.client(clientId)?.settings).toEqual(before);
    });
  });

  describe('ListUserPoolClients', () => {
    it('pages with MaxResults and NextToken until every client is listed', async () => {
      for (let index = 0; index < 7; index += 1) await create({ ClientName: `paged ${index}` });
      const seen: string[] = [];
      let nextToken: string | undefined;
      let pages = 0;
      do {
        const page = await sdk.send(
          new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 3, NextToken: nextToken }),
        );
        expect(page.UserPoolClients?.length).toBeLessThanOrEqual(3);
        for (const client of page.UserPoolClients ?? []) {
          expect(client).toEqual({ ClientId: expect.any(String), UserPoolId: pool, ClientName: expect.any(String) });
          seen.push(client.ClientId as string);
        }
        nextToken = page.NextToken;
        pages += 1;
      } while (nextToken);
      expect(seen.sort()).toEqual(
        fake
          .clients()
          .map((client) => client.clientId)
          .sort(),
      );
      expect(pages).toBe(Math.ceil(seen.length / 3));
    });

    it('refuses MaxResults above 60 and an unknown NextToken', async () => {
      expect(
        await failure(sdk.send(new ListUserPoolClientsCommand({ UserPoolId: pool, MaxResults: 61 }))),
      ).toMatchObject({
        name: 'InvalidParameterException',
      });
      expect(
        await failure(sdk.send(new ListUserPoolClientsCommand({ UserPoolId: pool, NextToken: 'not-a-token' }))),
      ).toMatchObject({ name: 'InvalidParameterException' });
    });
  });

  describe('client secrets', () => {
    it('adds a second secret, lists ids without values, refuses a third, and both secrets work', async () => {
      const { clientId, clientSecret } = await create();
      const { ClientSecretDescriptor: added } = await sdk.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId }),
      );
      expect(added?.ClientSecretId).toMatch(new RegExp(`^${clientId}--\\d+$`));
      expect(added?.ClientSecretValue).toMatch(/^[a-z0-9]{52}$/);
      expect(added?.ClientSecretCreateDate).toBeInstanceOf(Date);
      const listed = await sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: clientId }));
      expect(listed.ClientSecrets).toHaveLength(2);
      for (const secret of listed.ClientSecrets ?? []) {
        expect(Object.keys(secret).sort()).toEqual(['ClientSecretCreateDate', 'ClientSecretId']);
      }
      expect((await fake.requestToken(clientId, clientSecret)).status).toBe(200);
      expect((await fake.requestToken(clientId, added?.ClientSecretValue as string)).status).toBe(200);
      const third = await failure(
        sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId })),
      );
      expect(third).toMatchObject({ name: 'LimitExceededException', status: 400 });
      expect(fake.secretValues(clientId)).toHaveLength(2);
    });

    it('does not return the value of a secret the caller chose', async () => {
      const { clientId } = await create();
      const chosen = 'Chosen_secret_value_0123456789';
      const { ClientSecretDescriptor } = await sdk.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecret: chosen }),
      );
      expect(ClientSecretDescriptor?.ClientSecretValue).toBeUndefined();
      expect(fake.secretValues(clientId)).toContain(chosen);
    });

    it('deletes the old secret (then refused at the token endpoint) but never the last one', async () => {
      const { clientId, clientSecret } = await create();
      const [oldId] = fake.client(clientId)?.secretIds ?? [];
      const { ClientSecretDescriptor } = await sdk.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId }),
      );
      await sdk.send(
        new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecretId: oldId }),
      );
      expect(await fake.requestToken(clientId, clientSecret)).toEqual({
        status: 400,
        body: { error: 'invalid_client' },
      });
      expect((await fake.requestToken(clientId, ClientSecretDescriptor?.ClientSecretValue as string)).status).toBe(200);
      const last = await failure(
        sdk.send(
          new DeleteUserPoolClientSecretCommand({
            UserPoolId: pool,
            ClientId: clientId,
            ClientSecretId: ClientSecretDescriptor?.ClientSecretId,
          }),
        ),
      );
      expect(last).toMatchObject({ name: 'InvalidParameterException', status: 400 });
      const unknown = await failure(
        sdk.send(
          new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecretId: oldId }),
        ),
      );
      expect(unknown).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
      expect(fake.client(clientId)?.secretIds).toEqual([ClientSecretDescriptor?.ClientSecretId]);
    });

    it('shows the newest secret in DescribeUserPoolClient (a guess) and refuses a secret for a public client', async () => {
      const { clientId } = await create();
      const { ClientSecretDescriptor } = await sdk.send(
        new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId }),
      );
      expect((await describeClient(clientId))?.ClientSecret).toBe(ClientSecretDescriptor?.ClientSecretValue);
      const publicClient = await create({
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: false,
        AllowedOAuthFlows: undefined,
        AllowedOAuthScopes: undefined,
      });
      const error = await failure(
        sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: publicClient.clientId })),
      );
      expect(error).toMatchObject({ name: 'InvalidParameterException' });
    });
  });

  describe('DeleteUserPoolClient', () => {
    it('deletes the client: described as not found, its secret refused', async () => {
      const { clientId, clientSecret } = await create();
      await sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }));
      expect(await failure(describeClient(clientId))).toMatchObject({ name: 'ResourceNotFoundException' });
      expect(await fake.requestToken(clientId, clientSecret)).toEqual({
        status: 400,
        body: { error: 'invalid_client' },
      });
      const again = await failure(sdk.send(new DeleteUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId })));
      expect(again).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
    });
  });

  describe('throttling and faults', () => {
    it('answers TooManyRequestsException (400, as the API reference lists it) above a category rate', async () => {
      const { clientId } = await create();
      fake.setRateLimits({ UserPoolClientRead: 2 });
      await describeClient(clientId);
      await describeClient(clientId);
      expect(await failure(describeClient(clientId))).toMatchObject({ name: 'TooManyRequestsException', status: 400 });
      // The other category has its own rate.
      await sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId }));
    });

    it('throttles the next calls of one operation; the SDK retries them by itself', async () => {
      const { clientId } = await create();
      fake.throttle('DescribeUserPoolClient');
      expect(await failure(describeClient(clientId))).toMatchObject({ name: 'TooManyRequestsException', status: 400 });
      const retrying = sdkFor(fake, { maxAttempts: 3 });
      try {
        fake.throttle('DescribeUserPoolClient', 2);
        const described = await retrying.send(
          new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }),
        );
        expect(described.UserPoolClient?.ClientId).toBe(clientId);
        expect(fake.requests.slice(-3).map((entry) => entry.status)).toEqual([400, 400, 200]);
      } finally {
        retrying.destroy();
      }
    });

    it('fails after the effect: the client exists though the caller saw InternalErrorException', async () => {
      const before = fake.clients().length;
      fake.failAfterEffect('CreateUserPoolClient');
      const error = await failure(create({ ClientName: 'lost answer dcr-bridge.deadbeef' }));
      expect(error).toMatchObject({ name: 'InternalErrorException', status: 500 });
      expect(fake.clients()).toHaveLength(before + 1);
      expect(fake.requests.at(-1)).toMatchObject({
        operation: 'CreateUserPoolClient',
        status: 500,
        clientId: expect.any(String),
      });
    });

    it('drops the connection after the effect, or fails a secret delete before it', async () => {
      const { clientId } = await create();
      fake.inject('AddUserPoolClientSecret', { afterEffect: true, mode: 'drop' });
      await expect(
        sdk.send(new AddUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId })),
      ).rejects.toThrow();
      expect(fake.secretValues(clientId)).toHaveLength(2);
      const [oldId] = fake.client(clientId)?.secretIds ?? [];
      fake.inject('DeleteUserPoolClientSecret', { type: 'InternalErrorException' });
      const error = await failure(
        sdk.send(
          new DeleteUserPoolClientSecretCommand({ UserPoolId: pool, ClientId: clientId, ClientSecretId: oldId }),
        ),
      );
      expect(error).toMatchObject({ name: 'InternalErrorException', status: 500 });
      expect(fake.secretValues(clientId)).toHaveLength(2);
    });

    it('hangs a call until the caller gives up', async () => {
      const { clientId } = await create();
      fake.inject('DescribeUserPoolClient', { mode: 'hang' });
      const call = sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: pool, ClientId: clientId }), {
        abortSignal: AbortSignal.timeout(200),
      });
      await expect(call).rejects.toThrow();
      expect(fake.requests.at(-1)).toMatchObject({ operation: 'DescribeUserPoolClient', status: 0, errorType: 'hang' });
    });

    it('answers an injected AccessDeniedException with its 403', async () => {
      const { clientId } = await create();
      fake.inject('ListUserPoolClientSecrets', { type: 'AccessDeniedException', message: 'not allowed' });
      const error = await failure(
        sdk.send(new ListUserPoolClientSecretsCommand({ UserPoolId: pool, ClientId: clientId })),
      );
      expect(error).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    });
  });

  it('seeds a foreign client without an API call', () => {
    const { clientId, clientSecret } = fake.seedClient({ ClientName: 'HR portal' });
    expect(fake.client(clientId)?.settings.ClientName).toBe('HR portal');
    expect(fake.secretValues(clientId)).toEqual([clientSecret]);
    expect(fake.requests).toEqual([]);
  });
});
