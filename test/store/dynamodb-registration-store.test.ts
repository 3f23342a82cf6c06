import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dynalite from 'dynalite';
import { DynamoDbRegistrationStore } from '../../functions/store/dynamodb-registration-store';
import { RegistrationConflictError } from '../../functions/store/registration-store';
import { describeRegistrationStoreContract } from './registration-store-contract';

const tableName = 'registrations';
let server: Server;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
});

afterAll(async () => {
  // Drop the SDK's keep-alive sockets first, or the server waits on them while closing.
  client?.destroy();
  await new Promise<void>((resolve, reject) =>
    server ? server.close((err) => (err ? reject(err) : resolve())) : resolve(),
  );
});

describeRegistrationStoreContract('DynamoDbRegistrationStore', () => new DynamoDbRegistrationStore(tableName, client));

describe('DynamoDbRegistrationStore (DynamoDB specifics)', () => {
  const secret = 'rat-must-never-appear-in-errors';

  it('stores the documented attribute layout', async () => {
    const store = new DynamoDbRegistrationStore(tableName, client);
    await store.create({
      clientId: 'layout-client',
      registrationClientUri: 'https://idp.example.com/register/layout-client',
      registrationAccessToken: secret,
    });

    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { clientId: { S: 'layout-client' } } }),
    );

    expect(Item).toEqual({
      clientId: { S: 'layout-client' },
      registrationClientUri: { S: 'https://idp.example.com/register/layout-client' },
      registrationAccessToken: { S: secret },
      version: { N: '1' },
      updatedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
    });
  });

  it('stores an ownership record without token or version', async () => {
    const store = new DynamoDbRegistrationStore(tableName, client);
    await store.recordOwnership('owned-layout-client');

    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { clientId: { S: 'owned-layout-client' } } }),
    );

    expect(Item).toEqual({
      clientId: { S: 'owned-layout-client' },
      recordKind: { S: 'ownership' },
      updatedAt: { S: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) },
    });
  });

  it('keeps a lease as a number attribute, and removes it on release', async () => {
    const store = new DynamoDbRegistrationStore(tableName, client);
    await store.create({
      clientId: 'lease-layout-client',
      registrationClientUri: 'https://idp.example.com/register/lease-layout-client',
      registrationAccessToken: secret,
    });
    const key = { clientId: { S: 'lease-layout-client' } };

    await store.lease('lease-layout-client', 1, 1_900_000_000_000);
    const leased = (await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item;
    await store.release('lease-layout-client', 2);
    const released = (await client.send(new GetItemCommand({ TableName: tableName, Key: key }))).Item;

    expect(leased).toMatchObject({ leasedUntil: { N: '1900000000000' }, version: { N: '2' } });
    expect(released).not.toHaveProperty('leasedUntil');
    expect(released).toMatchObject({ registrationAccessToken: { S: secret }, version: { N: '3' } });
  });

  describe('propagates SDK errors other than a lost condition, without the token', () => {
    const missingTable = () => new DynamoDbRegistrationStore('no-such-table', client);
    const operations: Array<[string, () => Promise<unknown>]> = [
      [
        'create',
        () =>
          missingTable().create({
            clientId: 'c1',
            registrationClientUri: 'https://idp.example.com/register/c1',
            registrationAccessToken: secret,
          }),
      ],
      [
        'replaceAccessToken',
        () =>
          missingTable().replaceAccessToken('c1', 1, {
            registrationAccessToken: secret,
            registrationClientUri: 'https://idp.example.com/register/c1',
          }),
      ],
      ['lease', () => missingTable().lease('c1', 1, 1_900_000_000_000)],
      ['release', () => missingTable().release('c1', 1)],
      ['get', () => missingTable().get('c1')],
      ['recordOwnership', () => missingTable().recordOwnership('c1')],
      ['isOwned', () => missingTable().isOwned('c1')],
      ['delete', () => missingTable().delete('c1')],
    ];

    it.each(operations)('%s', async (_name, run) => {
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(RegistrationConflictError);
      expect((error as Error).name).toBe('ResourceNotFoundException');
      expect((error as Error).message).not.toContain(secret);
    });
  });
});
