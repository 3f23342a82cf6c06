// Floor B plus what a generic-adapter create also does with the SDK: one PutItem of the
// registration record through @aws-sdk/client-dynamodb, after the registration. Not a target's
// floor; it shows how much of the bridge's cold start the second SDK client accounts for.
// Bundled like secret-floor-entry.mjs. argv and env as there, plus REGISTRATION_TABLE_NAME.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { postRegistration, reportAndExit } from './http-floor.mjs';

const [endpoint, token] = process.argv.slice(2);
const secret = await new SecretsManagerClient({}).send(
  new GetSecretValueCommand({ SecretId: process.env.KONNECT_API_KEY_SECRET_ARN }),
);
if (!secret.SecretString) throw new Error('The key secret has no value.');
const status = await postRegistration(endpoint, token);
await new DynamoDBClient({}).send(
  new PutItemCommand({
    TableName: process.env.REGISTRATION_TABLE_NAME,
    Item: { clientId: { S: `floor-${process.pid}-${Date.now()}` }, version: { N: '1' } },
    ConditionExpression: 'attribute_not_exists(clientId)',
  }),
);
reportAndExit(status);
