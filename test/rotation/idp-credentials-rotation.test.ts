import { setTimeout } from 'node:timers/promises';
import {
  GetSecretValueCommand,
  type GetSecretValueCommandInput,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { loadBridgeDependencies } from '../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { type CapturedOutput, captureOutput } from '../support/captured-output';
import { apiGatewayEvent, lambdaContext } from '../unit/support/api-gateway';
import { FakeDcrServer } from '../unit/support/fake-dcr-server';

const IDP_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:idp-credentials-AbCdEf';
const KEY = 'konnect_key_for_idp_rotation_0001';
const FIRST_TOKEN = 'initial-access-token-first-0123456789';
const SECOND_TOKEN = 'initial-access-token-second-9876543210';

describe('IdP credentials secret: a change applies without a redeploy', () => {
  let idpSecret = JSON.stringify({ initial_access_token: FIRST_TOKEN });
  const secretsManager = mockClient(SecretsManagerClient);
  let idp: FakeDcrServer;
  let output: CapturedOutput;

  beforeAll(async () => {
    secretsManager.on(GetSecretValueCommand).callsFake((input: GetSecretValueCommandInput) => {
      if (input.SecretId !== IDP_SECRET_ARN) throw new Error('unexpected secret');
      return { ARN: IDP_SECRET_ARN, SecretString: idpSecret };
    });
    idp = await FakeDcrServer.start();
    output = captureOutput();
  });

  afterAll(async () => {
    output?.restore();
    secretsManager.restore();
    await idp?.close();
  });

  it('registers with the new initial access token once the credentials cache has expired, in the same container', async () => {
    // One container for the whole test, with a one-second credentials cache.
    const handler = createBridgeHandler(() =>
      loadBridgeDependencies({
        IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
        IDP_CREDENTIALS_SECRET_ARN: IDP_SECRET_ARN,
        IDP_CREDENTIALS_CACHE_TTL_SECONDS: '1',
        KONNECT_API_KEYS: KEY,
      }),
    );
    const create = async () => {
      const event = apiGatewayEvent({
        resource: '/',
        httpMethod: 'POST',
        headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'Rotation App', grant_types: ['client_credentials'] }),
      });
      return (await handler(event, lambdaContext())).statusCode;
    };
    const lastRegistrationAuthorization = () =>
      idp.requests.filter((request) => request.method === 'POST' && request.url === '/register').at(-1)?.headers
        .authorization;

    idp.behaviour.acceptedInitialTokens = new Set([FIRST_TOKEN]);
    expect(await create()).toBe(201);
    expect(lastRegistrationAuthorization()).toBe(`Bearer ${FIRST_TOKEN}`);

    // The operator issues a new token at the IdP, revokes the old one, and updates the secret.
    idp.behaviour.acceptedInitialTokens = new Set([SECOND_TOKEN]);
    idpSecret = JSON.stringify({ initial_access_token: SECOND_TOKEN });
    await setTimeout(1500);

    expect(await create()).toBe(201);
    expect(lastRegistrationAuthorization()).toBe(`Bearer ${SECOND_TOKEN}`);
    expect(secretsManager.commandCalls(GetSecretValueCommand).length).toBeGreaterThanOrEqual(2);
    expect(output.text()).not.toContain(FIRST_TOKEN);
    expect(output.text()).not.toContain(SECOND_TOKEN);
  });
});
