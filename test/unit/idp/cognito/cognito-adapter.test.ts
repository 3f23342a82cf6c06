import {
  AddUserPoolClientSecretCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  DeleteUserPoolClientCommand,
  DeleteUserPoolClientSecretCommand,
  DescribeUserPoolClientCommand,
  InternalErrorException,
  InvalidParameterException,
  ListUserPoolClientSecretsCommand,
  ListUserPoolClientsCommand,
  ResourceNotFoundException,
  ScopeDoesNotExistException,
  TooManyRequestsException,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { HttpClient } from '../../../../functions/commons/http-client';
import { cognitoAdapter } from '../../../../functions/idp/cognito/cognito-factory';
import { cognitoSettings } from '../../../../functions/idp/cognito/cognito-settings';
import { type NewClient, operationWithin } from '../../../../functions/idp/idp-adapter';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const POOL = 'eu-central-1_Pool1';
const $metadata = { httpStatusCode: 400 };
const settings = cognitoSettings.parse({
  IDP_COGNITO_USER_POOL_ID: POOL,
  IDP_COGNITO_RESOURCE_SERVER: 'https://api.example.com',
  IDP_COGNITO_DEFAULT_SCOPES: 'read',
});

const newClient: NewClient = {
  clientName: 'Payments App',
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: { applicationId: 'app-1' },
};

/** A memory store whose ownership calls fail on demand, as a DynamoDB outage would. */
class FlakyLedger extends MemoryRegistrationStore {
  readonly failing = new Set<'recordOwnership' | 'isOwned' | 'delete'>();

  override async recordOwnership(clientId: string) {
    if (this.failing.has('recordOwnership')) throw new Error('store down');
    return super.recordOwnership(clientId);
  }

  override async isOwned(clientId: string) {
    if (this.failing.has('isOwned')) throw new Error('store down');
    return super.isOwned(clientId);
  }
}

const cognito = mockClient(CognitoIdentityProviderClient);
const WRITES = [
  'CreateUserPoolClientCommand',
  'UpdateUserPoolClientCommand',
  'DeleteUserPoolClientCommand',
  'AddUserPoolClientSecretCommand',
  'DeleteUserPoolClientSecretCommand',
];
const writeCount = () => cognito.calls().filter((call) => WRITES.includes(call.args[0].constructor.name)).length;

describe('CognitoAdapter (SDK mocked)', () => {
  const output = captureOutputPerTest();
  let store: FlakyLedger;

  beforeEach(() => {
    cognito.reset();
    store = new FlakyLedger();
  });
  afterAll(() => cognito.restore());

  const adapter = (oauthFlow: 'client_credentials' | 'code' = 'client_credentials') =>
    cognitoAdapter.create(
      { ...settings, oauthFlow },
      {
        http: new HttpClient({ idpName: 'cognito', callTimeoutMs: 2000 }),
        credentials: async () => ({}),
        store: () => store,
      },
    );
  const created = (clientId = 'client1', secret = 'first-secret-0123456789') =>
    cognito.on(CreateUserPoolClientCommand).resolves({
      UserPoolClient: { ClientId: clientId, ClientSecret: secret, CreationDate: new Date(1_700_000_000_000) },
    });

  describe('createClient', () => {
    it('creates a client credentials app client, records it, and answers its secret', async () => {
      created();
      const issued = await adapter().createClient(newClient, operationWithin(2000));

      expect(issued).toEqual({
        clientId: 'client1',
        clientSecret: 'first-secret-0123456789',
        clientIdIssuedAt: 1_700_000_000,
        clientSecretExpiresAt: 0,
      });
      expect(await store.isOwned('client1')).toBe(true);
      const [call] = cognito.commandCalls(CreateUserPoolClientCommand);
      expect(call?.args[0].input).toMatchObject({
        UserPoolId: POOL,
        ClientName: expect.stringMatching(/^Payments App dcr-bridge\.[0-9a-f]{8}$/),
        GenerateSecret: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['https://api.example.com/read'],
      });
      expect(output.text()).not.toContain('first-secret-0123456789');
    });

    it('makes a client credentials client of a code-flow request by default, saying so in one line', async () => {
      created();
      await adapter().createClient(
        {
          ...newClient,
          grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
          redirectUris: ['https://app/cb'],
        },
        operationWithin(2000),
      );
      const input = cognito.commandCalls(CreateUserPoolClientCommand)[0]?.args[0].input;
      expect(input).toMatchObject({ AllowedOAuthFlows: ['client_credentials'] });
      expect(input).not.toHaveProperty('CallbackURLs');
      const notGranted = output.lines().filter((line) => String(line.message).startsWith('Not granted'));
      expect(notGranted).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: expect.stringContaining('IDP_COGNITO_OAUTH_FLOW=client_credentials'),
          not_granted_grants: ['authorization_code', 'refresh_token'],
        }),
      ]);
    });

    it('says nothing of grants when Konnect asked for client credentials alone', async () => {
      created();
      await adapter().createClient(newClient, operationWithin(2000));
      expect(output.lines().filter((line) => String(line.message).startsWith('Not granted'))).toEqual([]);
    });

    it('makes code-flow clients with IDP_COGNITO_OAUTH_FLOW=code', async () => {
      created();
      await adapter('code').createClient(
        { ...newClient, grantTypes: ['client_credentials', 'authorization_code'], redirectUris: ['https://app/cb'] },
        operationWithin(2000),
      );
      expect(cognito.commandCalls(CreateUserPoolClientCommand)[0]?.args[0].input).toMatchObject({
        AllowedOAuthFlows: ['code'],
        CallbackURLs: ['https://app/cb'],
        SupportedIdentityProviders: ['COGNITO'],
      });
    });

    it('refuses a code-flow client without redirect URIs before any call', async () => {
      const error = await bridgeErrorOf(adapter('code').createClient(newClient, operationWithin(2000)));
      expect(error).toMatchObject({ statusCode: 400, error: 'invalid_client_metadata' });
      expect(error.description).toMatch(/^redirect_uris: .*IDP_COGNITO_OAUTH_FLOW/);
      expect(cognito.calls()).toHaveLength(0);
    });

    it('refuses scopes it cannot map before any call', async () => {
      const bare = cognitoAdapter.create(
        cognitoSettings.parse({
          IDP_COGNITO_USER_POOL_ID: POOL,
          IDP_COGNITO_DEFAULT_SCOPES: 'https://api.example.com/read',
        }),
        {
          http: new HttpClient({ idpName: 'cognito', callTimeoutMs: 2000 }),
          credentials: async () => ({}),
          store: () => store,
        },
      );
      const error = await bridgeErrorOf(bare.createClient(newClient, operationWithin(2000)));
      expect(error.statusCode).toBe(400);
      expect(cognito.calls()).toHaveLength(0);
    });

    it('answers Cognito’s refusal of the developer’s scopes as 400, and looks for nothing', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(new ScopeDoesNotExistException({ message: 'Invalid scope', $metadata }));
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error).toMatchObject({ statusCode: 400, error: 'invalid_client_metadata' });
      expect(error.description).toMatch(/^scopes: /);
      expect(cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(0);
    });

    it('answers a refusal of the admin’s default scopes as 502 naming the setting, not as the developer’s 400', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(new ScopeDoesNotExistException({ message: 'Invalid scope', $metadata }));
      const error = await bridgeErrorOf(adapter().createClient({ ...newClient, scopes: [] }, operationWithin(2000)));
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('IDP_COGNITO_DEFAULT_SCOPES');
      expect(cognito.commandCalls(CreateUserPoolClientCommand)[0]?.args[0].input.AllowedOAuthScopes).toEqual([
        'https://api.example.com/read',
      ]);
    });

    it('after a create that got no answer and is not listed, looks again, then reports a possible orphan', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] });
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.statusCode).toBe(502);
      expect(cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(2);
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: expect.stringMatching(/^Orphaned client possible/),
          client_name_suffix: expect.stringMatching(/^dcr-bridge\.[0-9a-f]{8}$/),
        }),
      );
      expect(output.text()).toContain('"OrphanedClients":1');
    });

    it('after a 5xx answer and an empty list, takes the create as not made (one look, INFO)', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(new InternalErrorException({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
      cognito.on(ListUserPoolClientsCommand).resolves({ UserPoolClients: [] });
      await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(1);
      expect(output.lines().filter((line) => line.level === 'ERROR')).toEqual([]);
    });

    it('answers missing AWS credentials with 502 naming the Lambda role, and looks for nothing', async () => {
      cognito.on(CreateUserPoolClientCommand).rejects(
        Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      );
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('Lambda role');
      expect(cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(0);
      expect(output.lines().filter((line) => line.level === 'ERROR')).toEqual([]);
    });

    it('removes the client again when the bridge cannot record it', async () => {
      created();
      cognito.on(DeleteUserPoolClientCommand).resolves({});
      store.failing.add('recordOwnership');
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.statusCode).toBe(503);
      expect(error.description).toContain('removed it again');
      expect(cognito.commandCalls(DeleteUserPoolClientCommand)[0]?.args[0].input).toEqual({
        UserPoolId: POOL,
        ClientId: 'client1',
      });
    });

    it('reports an orphan when neither recording nor removing works', async () => {
      created();
      cognito.on(DeleteUserPoolClientCommand).rejects(new InternalErrorException({ message: 'down', $metadata }));
      store.failing.add('recordOwnership');
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.description).toContain('delete client client1 in Cognito');
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: expect.stringMatching(/^Orphaned client/),
          client_id: 'client1',
        }),
      );
    });

    it('finds, by the name marker, a client created by a create that failed with a 5xx, and removes it', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(new InternalErrorException({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
      cognito.on(ListUserPoolClientsCommand).callsFake((input: { NextToken?: string }) => {
        const [call] = cognito.commandCalls(CreateUserPoolClientCommand);
        const name = call?.args[0].input.ClientName;
        return input.NextToken
          ? { UserPoolClients: [{ ClientId: 'lost1', ClientName: name }] }
          : {
              UserPoolClients: [{ ClientId: 'other', ClientName: 'Payments App dcr-bridge.00000000' }],
              NextToken: 'p2',
            };
      });
      cognito.on(DeleteUserPoolClientCommand).resolves({});
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain('the bridge removed it again');
      expect(cognito.commandCalls(DeleteUserPoolClientCommand).map((call) => call.args[0].input.ClientId)).toEqual([
        'lost1',
      ]);
      expect(await store.isOwned('lost1')).toBe(false);
    });

    it('reports a possible orphan by its name when it cannot look', async () => {
      cognito
        .on(CreateUserPoolClientCommand)
        .rejects(new InternalErrorException({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
      cognito.on(ListUserPoolClientsCommand).rejects(new InternalErrorException({ message: 'down', $metadata }));
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(2000)));
      expect(error.description).toContain('could not check');
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: expect.stringMatching(/^Orphaned client possible/),
          client_name_suffix: expect.stringMatching(/^dcr-bridge\.[0-9a-f]{8}$/),
        }),
      );
    });

    it('retries throttling within the deadline, then answers 503 without looking for a client', async () => {
      cognito.on(CreateUserPoolClientCommand).rejects(new TooManyRequestsException({ message: 'slow', $metadata }));
      const startedAt = Date.now();
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(3000)));
      expect(error.statusCode).toBe(503);
      expect(error.description).toContain('rate-limiting the bridge');
      expect(cognito.commandCalls(CreateUserPoolClientCommand)).toHaveLength(3);
      expect(cognito.commandCalls(ListUserPoolClientsCommand)).toHaveLength(0);
      expect(Date.now() - startedAt).toBeLessThan(3000);
    });

    it('does not wait for a throttling retry that would not fit the deadline', async () => {
      cognito.on(CreateUserPoolClientCommand).rejects(new TooManyRequestsException({ message: 'slow', $metadata }));
      const error = await bridgeErrorOf(adapter().createClient(newClient, operationWithin(600)));
      expect(error.statusCode).toBe(503);
      expect(cognito.commandCalls(CreateUserPoolClientCommand)).toHaveLength(1);
    });
  });

  describe('clients the bridge did not create', () => {
    it('refuses every route without a single Cognito call', async () => {
      const foreign = 'foreign1';
      const context = operationWithin(2000);
      for (const call of [
        adapter().rotateSecret(foreign, context),
        adapter().updateRedirectUris(foreign, ['https://x/cb'], context),
        adapter('code').updateRedirectUris(foreign, ['https://x/cb'], context),
        adapter().addRegistration({ clientId: foreign, apiProductVersionId: 'v1' }, operationWithin(2000)),
        adapter().removeRegistration({ clientId: foreign, apiProductVersionId: 'v1' }, operationWithin(2000)),
      ]) {
        expect((await bridgeErrorOf(call)).statusCode).toBe(404);
      }
      await adapter().deleteClient(foreign, context);
      expect(cognito.calls()).toHaveLength(0);
      expect(
        output.lines().filter((line) => line.message === 'Refused to act on a client the bridge did not create'),
      ).toHaveLength(6);
    });

    it('answers 503 when the record cannot be read, and calls nothing', async () => {
      store.failing.add('isOwned');
      expect((await bridgeErrorOf(adapter().deleteClient('client1', operationWithin(2000)))).statusCode).toBe(503);
      expect(cognito.calls()).toHaveLength(0);
    });
  });

  describe('deleteClient', () => {
    it('deletes an owned client, then its record', async () => {
      await store.recordOwnership('client1');
      cognito.on(DeleteUserPoolClientCommand).resolves({});
      await adapter().deleteClient('client1', operationWithin(2000));
      expect(cognito.commandCalls(DeleteUserPoolClientCommand)).toHaveLength(1);
      expect(await store.isOwned('client1')).toBe(false);
    });

    it('takes a client Cognito no longer has as deleted', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(DeleteUserPoolClientCommand)
        .rejects(new ResourceNotFoundException({ message: 'User pool client client1 does not exist.', $metadata }));
      await adapter().deleteClient('client1', operationWithin(2000));
      expect(await store.isOwned('client1')).toBe(false);
    });

    it('keeps the record when the not-found names something else than this client (a secret, another client)', async () => {
      await store.recordOwnership('client1');
      for (const message of ['Client secret client1--1 does not exist.', 'User pool client other1 does not exist.']) {
        cognito.on(DeleteUserPoolClientCommand).rejects(new ResourceNotFoundException({ message, $metadata }));
        const error = await bridgeErrorOf(adapter().deleteClient('client1', operationWithin(2000)));
        expect(error.statusCode).toBe(502);
        expect(await store.isOwned('client1')).toBe(true);
      }
    });

    it('keeps the record when the user pool itself is not found', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(DeleteUserPoolClientCommand)
        .rejects(new ResourceNotFoundException({ message: `User pool ${POOL} does not exist.`, $metadata }));
      const error = await bridgeErrorOf(adapter().deleteClient('client1', operationWithin(2000)));
      expect(error.statusCode).toBe(502);
      expect(await store.isOwned('client1')).toBe(true);
    });
  });

  describe('rotateSecret', () => {
    const secret = (id: string, at: number) => ({ ClientSecretId: id, ClientSecretCreateDate: new Date(at) });

    it('adds a secret, then deletes the previous one', async () => {
      await store.recordOwnership('client1');
      cognito.on(ListUserPoolClientSecretsCommand).resolves({ ClientSecrets: [secret('client1--1', 1)] });
      cognito.on(AddUserPoolClientSecretCommand).resolves({
        ClientSecretDescriptor: { ClientSecretId: 'client1--2', ClientSecretValue: 'second-secret-0123456789' },
      });
      cognito.on(DeleteUserPoolClientSecretCommand).resolves({});

      const rotated = await adapter().rotateSecret('client1', operationWithin(2000));
      expect(rotated).toEqual({
        clientId: 'client1',
        clientSecret: 'second-secret-0123456789',
        clientSecretExpiresAt: 0,
      });
      expect(cognito.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'ListUserPoolClientSecretsCommand',
        'AddUserPoolClientSecretCommand',
        'DeleteUserPoolClientSecretCommand',
      ]);
      expect(cognito.commandCalls(DeleteUserPoolClientSecretCommand)[0]?.args[0].input.ClientSecretId).toBe(
        'client1--1',
      );
    });

    it('first deletes what an earlier rotation left, keeping the newest', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .resolves({ ClientSecrets: [secret('client1--5', 5), secret('client1--1', 1)] });
      cognito.on(AddUserPoolClientSecretCommand).resolves({
        ClientSecretDescriptor: { ClientSecretId: 'client1--9', ClientSecretValue: 'third-secret-0123456789' },
      });
      cognito.on(DeleteUserPoolClientSecretCommand).resolves({});

      await adapter().rotateSecret('client1', operationWithin(2000));
      expect(cognito.calls().map((call) => call.args[0].constructor.name)).toEqual([
        'ListUserPoolClientSecretsCommand',
        'DeleteUserPoolClientSecretCommand',
        'AddUserPoolClientSecretCommand',
        'DeleteUserPoolClientSecretCommand',
      ]);
      expect(
        cognito.commandCalls(DeleteUserPoolClientSecretCommand).map((call) => call.args[0].input.ClientSecretId),
      ).toEqual(['client1--1', 'client1--5']);
    });

    it('answers the new secret and reports the old one when its deletion fails', async () => {
      await store.recordOwnership('client1');
      cognito.on(ListUserPoolClientSecretsCommand).resolves({ ClientSecrets: [secret('client1--1', 1)] });
      cognito.on(AddUserPoolClientSecretCommand).resolves({
        ClientSecretDescriptor: { ClientSecretId: 'client1--2', ClientSecretValue: 'second-secret-0123456789' },
      });
      cognito.on(DeleteUserPoolClientSecretCommand).rejects(new InternalErrorException({ message: 'down', $metadata }));

      const rotated = await adapter().rotateSecret('client1', operationWithin(2000));
      expect(rotated.clientSecret).toBe('second-secret-0123456789');
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: expect.stringMatching(/^Stale client secret at Cognito/),
          client_id: 'client1',
          stale_id: 'client1--1',
        }),
      );
      expect(output.text()).not.toContain('second-secret-0123456789');
    });

    it('keeps the secret Konnect holds when it is the older of two (an add whose answer was lost)', async () => {
      await store.recordOwnership('client1');
      // What the bridge notes before each add: client1--1 was answered to Konnect.
      await store.recordOwnership('answered-secret#client1--1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .resolves({ ClientSecrets: [secret('client1--1', 1), secret('client1--5', 5)] });
      cognito.on(AddUserPoolClientSecretCommand).rejects(new TooManyRequestsException({ message: 'slow', $metadata }));
      cognito.on(DeleteUserPoolClientSecretCommand).resolves({});

      expect((await bridgeErrorOf(adapter().rotateSecret('client1', operationWithin(600)))).statusCode).toBe(503);
      // The unanswered newer one went; Konnect's stays until a new one is answered.
      expect(
        cognito.commandCalls(DeleteUserPoolClientSecretCommand).map((call) => call.args[0].input.ClientSecretId),
      ).toEqual(['client1--5']);
    });

    it('after an add that may have taken effect without an answer, lists again and deletes the unknown secret', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .resolvesOnce({ ClientSecrets: [secret('client1--1', 1)] })
        .resolves({ ClientSecrets: [secret('client1--1', 1), secret('client1--2', 2)] });
      cognito
        .on(AddUserPoolClientSecretCommand)
        .rejects(new InternalErrorException({ message: 'oops', $metadata: { httpStatusCode: 500 } }));
      cognito.on(DeleteUserPoolClientSecretCommand).resolves({});

      expect((await bridgeErrorOf(adapter().rotateSecret('client1', operationWithin(2000)))).statusCode).toBe(502);
      expect(
        cognito.commandCalls(DeleteUserPoolClientSecretCommand).map((call) => call.args[0].input.ClientSecretId),
      ).toEqual(['client1--2']);
      expect(output.lines().filter((line) => line.level === 'ERROR')).toEqual([]);
    });

    it('reports the unknown secret (ERROR and metric) when it cannot list again', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .resolvesOnce({ ClientSecrets: [secret('client1--1', 1)] })
        .rejects(new InternalErrorException({ message: 'down', $metadata: { httpStatusCode: 500 } }));
      cognito.on(AddUserPoolClientSecretCommand).resolves({ ClientSecretDescriptor: { ClientSecretId: 'client1--2' } });

      expect((await bridgeErrorOf(adapter().rotateSecret('client1', operationWithin(2000)))).statusCode).toBe(502);
      expect(output.lines()).toContainEqual(
        expect.objectContaining({
          level: 'ERROR',
          message: expect.stringMatching(/^Stale client secret possible at Cognito/),
          known_ids: ['client1--1'],
        }),
      );
      expect(output.text()).toContain('"StaleClientSecrets":1');
    });

    it('takes a stale secret that is already gone as deleted', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .resolves({ ClientSecrets: [secret('client1--1', 1), secret('client1--5', 5)] });
      cognito
        .on(DeleteUserPoolClientSecretCommand)
        .rejects(new ResourceNotFoundException({ message: 'Client secret client1--1 does not exist.', $metadata }));
      cognito.on(AddUserPoolClientSecretCommand).resolves({
        ClientSecretDescriptor: { ClientSecretId: 'client1--9', ClientSecretValue: 'third-secret-0123456789' },
      });
      const rotated = await adapter().rotateSecret('client1', operationWithin(2000));
      expect(rotated.clientSecret).toBe('third-secret-0123456789');
      expect(output.lines().filter((line) => line.level === 'ERROR')).toEqual([]);
    });

    it('answers 404 for a recorded client Cognito no longer has', async () => {
      await store.recordOwnership('client1');
      cognito
        .on(ListUserPoolClientSecretsCommand)
        .rejects(new ResourceNotFoundException({ message: 'User pool client client1 does not exist.', $metadata }));
      expect((await bridgeErrorOf(adapter().rotateSecret('client1', operationWithin(2000)))).statusCode).toBe(404);
    });
  });

  describe('updateRedirectUris', () => {
    const codeClient = {
      UserPoolId: POOL,
      ClientId: 'client1',
      ClientName: 'Payments App dcr-bridge.00000000',
      AllowedOAuthFlows: ['code' as const],
      AllowedOAuthScopes: ['openid'],
      AllowedOAuthFlowsUserPoolClient: true,
      CallbackURLs: ['https://app/old'],
      EnableTokenRevocation: true,
      AccessTokenValidity: 5,
    };
    const notApplied = () =>
      output.lines().filter((line) => String(line.message).startsWith('Redirect URIs not applied'));

    it('changes nothing at Cognito for client credentials clients (the default), and logs it', async () => {
      await store.recordOwnership('client1');
      await adapter().updateRedirectUris('client1', ['https://app/new'], operationWithin(2000));
      expect(cognito.calls()).toHaveLength(0);
      expect(notApplied()).toEqual([
        expect.objectContaining({
          level: 'INFO',
          message: expect.stringContaining('IDP_COGNITO_OAUTH_FLOW'),
          client_id: 'client1',
          redirect_uri_count: 1,
        }),
      ]);
    });

    it('sends back the described client with the new callback URLs (code mode)', async () => {
      await store.recordOwnership('client1');
      cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: codeClient });
      cognito.on(UpdateUserPoolClientCommand).resolves({});
      await adapter('code').updateRedirectUris('client1', ['https://app/new'], operationWithin(2000));
      expect(cognito.commandCalls(UpdateUserPoolClientCommand)[0]?.args[0].input).toEqual({
        UserPoolId: POOL,
        ClientId: 'client1',
        ClientName: 'Payments App dcr-bridge.00000000',
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid'],
        AllowedOAuthFlowsUserPoolClient: true,
        CallbackURLs: ['https://app/new'],
        EnableTokenRevocation: true,
        AccessTokenValidity: 5,
      });
    });

    it('leaves a client credentials client made before code mode as it is', async () => {
      await store.recordOwnership('client1');
      cognito.on(DescribeUserPoolClientCommand).resolves({
        UserPoolClient: { ...codeClient, AllowedOAuthFlows: ['client_credentials'], CallbackURLs: undefined },
      });
      await adapter('code').updateRedirectUris('client1', ['https://app/new'], operationWithin(2000));
      expect(writeCount()).toBe(0);
      expect(notApplied()).toHaveLength(1);
    });

    it('refuses to take every callback URL from a code-flow client, without a write', async () => {
      await store.recordOwnership('client1');
      cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: codeClient });
      const error = await bridgeErrorOf(adapter('code').updateRedirectUris('client1', [], operationWithin(2000)));
      expect(error).toMatchObject({ statusCode: 400, description: expect.stringMatching(/^redirect_uris: /) });
      expect(writeCount()).toBe(0);
    });

    it('answers a refused callback URL as 400 naming redirect_uris', async () => {
      await store.recordOwnership('client1');
      cognito.on(DescribeUserPoolClientCommand).resolves({ UserPoolClient: codeClient });
      cognito
        .on(UpdateUserPoolClientCommand)
        .rejects(new InvalidParameterException({ message: 'Invalid CallbackURLs', $metadata }));
      const error = await bridgeErrorOf(
        adapter('code').updateRedirectUris('client1', ['http://x/cb'], operationWithin(2000)),
      );
      expect(error).toMatchObject({ statusCode: 400, description: expect.stringMatching(/^redirect_uris: /) });
    });
  });

  it('acknowledges API registrations of its own clients without a Cognito call', async () => {
    await store.recordOwnership('client1');
    await adapter().addRegistration({ clientId: 'client1', apiProductVersionId: 'v1' }, operationWithin(2000));
    await adapter().removeRegistration({ clientId: 'client1', apiProductVersionId: 'v1' }, operationWithin(2000));
    expect(cognito.calls()).toHaveLength(0);
    expect(writeCount()).toBe(0);
  });
});
