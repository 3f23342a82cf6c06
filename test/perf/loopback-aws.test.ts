import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  LOOPBACK_AWS_ENV,
  type LoopbackDynamoDb,
  type LoopbackSecretsManager,
  startLoopbackDynamoDb,
  startLoopbackSecretsManager,
} from './bench/loopback-aws';

const SAVED = { ...process.env };

/**
 * The benchmark's stand-ins for Secrets Manager and DynamoDB, reached as the deployed bundle
 * reaches them: the real SDK clients, configured only by the environment (endpoint overrides,
 * dummy credentials and region).
 */
describe('loopback AWS for the benchmark', () => {
  let secrets: LoopbackSecretsManager;
  let dynamoDb: LoopbackDynamoDb;

  beforeAll(async () => {
    secrets = await startLoopbackSecretsManager({ 'bench/key': 'bench_key_0123456789' });
    dynamoDb = await startLoopbackDynamoDb('bench-registrations');
    Object.assign(process.env, LOOPBACK_AWS_ENV, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    });
  });

  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in SAVED)) delete process.env[name];
    Object.assign(process.env, SAVED);
    await Promise.all([secrets?.close(), dynamoDb?.close()]);
  });

  it('answers GetSecretValue by ARN to the SDK client', async () => {
    const client = new SecretsManagerClient({});
    const answer = await client.send(new GetSecretValueCommand({ SecretId: secrets.arns['bench/key'] }));
    client.destroy();
    expect(answer).toMatchObject({
      ARN: secrets.arns['bench/key'],
      Name: 'bench/key',
      SecretString: 'bench_key_0123456789',
    });
    expect(secrets.reads()).toBe(1);
  });

  it('answers an unknown secret as Secrets Manager does', async () => {
    const client = new SecretsManagerClient({});
    await expect(client.send(new GetSecretValueCommand({ SecretId: 'missing' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    client.destroy();
  });

  it('holds the registration table, keyed by clientId', async () => {
    const client = new DynamoDBClient({});
    await client.send(new PutItemCommand({ TableName: dynamoDb.tableName, Item: { clientId: { S: 'c1' } } }));
    const { Item } = await client.send(
      new GetItemCommand({ TableName: dynamoDb.tableName, Key: { clientId: { S: 'c1' } } }),
    );
    client.destroy();
    expect(Item).toEqual({ clientId: { S: 'c1' } });
  });
});
