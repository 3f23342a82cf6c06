import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbRegistrationStore } from '../../functions/store/dynamodb-registration-store';
import { RegistrationConflictError } from '../../functions/store/registration-store';

// What dynalite cannot show: it always reads consistently, and its errors are real SDK classes.
describe('DynamoDbRegistrationStore (request shape)', () => {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const store = new DynamoDbRegistrationStore('registrations', client);

  beforeEach(() => {
    mock.reset();
  });

  it('reads with ConsistentRead so a just-replaced token is seen', async () => {
    mock.on(GetItemCommand).resolves({});

    await store.get('c1');

    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'registrations',
      Key: { clientId: { S: 'c1' } },
      ConsistentRead: true,
    });
  });

  it('records ownership with one conditional PutItem and checks it with a consistent GetItem', async () => {
    mock.on(PutItemCommand).resolves({});
    mock.on(GetItemCommand).resolves({ Item: { clientId: { S: 'c1' }, recordKind: { S: 'ownership' } } });

    await store.recordOwnership('c1');
    expect(await store.isOwned('c1')).toBe(true);

    expect(mock.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'registrations',
      Item: { clientId: { S: 'c1' }, recordKind: { S: 'ownership' } },
      ConditionExpression: 'attribute_not_exists(clientId)',
    });
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({
      Key: { clientId: { S: 'c1' } },
      ConsistentRead: true,
    });
    // No RAT record comes out of it: a RAT user finds nothing to act with.
    expect(await store.get('c1')).toBeUndefined();
  });

  it('maps a conditional failure by error name, not by class identity', async () => {
    const foreign = Object.assign(new Error('The conditional request failed'), {
      name: 'ConditionalCheckFailedException',
    });
    mock.on(UpdateItemCommand).rejects(foreign);

    await expect(
      store.replaceAccessToken('c1', 1, {
        registrationAccessToken: 'rat-x',
        registrationClientUri: 'https://idp.example.com/register/c1',
      }),
    ).rejects.toBeInstanceOf(RegistrationConflictError);
  });

  it('keeps the verification pointer in one item, updated only by UpdateItem (the IAM grant of store-less adapters)', async () => {
    mock.on(UpdateItemCommand).resolves({ Attributes: { verificationClientId: { S: 'previous' } } });

    expect(await store.replaceVerificationClient('latest')).toBe('previous');

    expect(mock.calls()).toHaveLength(1);
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: 'registrations',
      Key: { clientId: { S: '#konnect-verification' } },
      ExpressionAttributeValues: expect.objectContaining({ ':latest': { S: 'latest' } }),
      ReturnValues: 'UPDATED_OLD',
    });
  });
});

describe('DynamoDbRegistrationStore lease requests', () => {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  const store = new DynamoDbRegistrationStore('registrations', client);
  const item = {
    clientId: { S: 'c1' },
    registrationClientUri: { S: 'https://idp.example.com/register/c1' },
    registrationAccessToken: { S: 'rat-x' },
    version: { N: '2' },
  };

  beforeEach(() => {
    mock.reset();
  });

  it('takes a lease with one conditional write on the version, aliasing every name', async () => {
    mock.on(UpdateItemCommand).resolves({ Attributes: { ...item, leasedUntil: { N: '1900000000000' } } });

    const leased = await store.lease('c1', 1, 1_900_000_000_000);

    expect(leased.leasedUntil).toBe(1_900_000_000_000);
    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#version = :expected',
      UpdateExpression: 'SET #leasedUntil = :until, #version = #version + :one, #updatedAt = :now',
      ExpressionAttributeNames: { '#version': 'version', '#updatedAt': 'updatedAt', '#leasedUntil': 'leasedUntil' },
      ExpressionAttributeValues: { ':expected': { N: '1' }, ':until': { N: '1900000000000' }, ':one': { N: '1' } },
    });
  });

  it('releases with a REMOVE, conditional on the holder’s version', async () => {
    mock.on(UpdateItemCommand).resolves({ Attributes: item });

    await store.release('c1', 3);

    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toMatchObject({
      ConditionExpression: '#version = :expected',
      UpdateExpression: 'SET #version = #version + :one, #updatedAt = :now REMOVE #leasedUntil',
      ExpressionAttributeValues: { ':expected': { N: '3' } },
    });
  });

  it('keeps the lease when the holder replaces the token (no REMOVE in the update)', async () => {
    mock.on(UpdateItemCommand).resolves({ Attributes: item });

    await store.replaceAccessToken('c1', 2, {
      registrationAccessToken: 'rat-y',
      registrationClientUri: 'https://idp.example.com/register/c1',
    });

    const input = mock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toBe(
      'SET #token = :token, #uri = :uri, #version = #version + :one, #updatedAt = :now',
    );
  });

  it('maps a lost lease race to RegistrationConflictError', async () => {
    mock
      .on(UpdateItemCommand)
      .rejects(Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' }));

    await expect(store.lease('c1', 1, 1_900_000_000_000)).rejects.toBeInstanceOf(RegistrationConflictError);
  });
});
