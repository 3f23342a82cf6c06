import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
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
});
