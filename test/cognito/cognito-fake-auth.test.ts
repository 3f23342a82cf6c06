import { createPublicKey, verify } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  ListUserPoolClientsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { type FakeCognito, startFakeCognito } from '../fakes/cognito-fake';
import { claims, failure, sdkFor } from './cognito-fake-support';

describe('Cognito fake: request signing and the token endpoint', () => {
  let fake: FakeCognito;
  let sdk: CognitoIdentityProviderClient;

  const create = async (extra: Partial<CreateUserPoolClientCommandInput> = {}) => {
    const { UserPoolClient } = await sdk.send(
      new CreateUserPoolClientCommand({
        UserPoolId: fake.userPoolId,
        ClientName: 'Token test',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: [fake.scope('read'), fake.scope('write')],
        ...extra,
      }),
    );
    return { clientId: UserPoolClient?.ClientId as string, clientSecret: UserPoolClient?.ClientSecret as string };
  };

  beforeAll(async () => {
    fake = await startFakeCognito();
    sdk = sdkFor(fake);
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    sdk.destroy();
    await fake.close();
  });

  describe('SigV4', () => {
    const list = (client: CognitoIdentityProviderClient) =>
      client.send(new ListUserPoolClientsCommand({ UserPoolId: fake.userPoolId, MaxResults: 60 }));
    const withCredentials = async (credentials: FakeCognito['credentials']) => {
      const client = sdkFor(fake, { credentials });
      try {
        return await failure(list(client));
      } finally {
        client.destroy();
      }
    };

    it("accepts the SDK's own signature with the dummy credentials", async () => {
      await expect(list(sdk)).resolves.toMatchObject({ UserPoolClients: expect.any(Array) });
    });

    it('refuses a signature made with another secret key: InvalidSignatureException (400)', async () => {
      const error = await withCredentials({ ...fake.credentials, secretAccessKey: 'not-the-secret' });
      expect(error).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
      expect(error.message).toContain('signature we calculated does not match');
      expect(error.message).not.toContain('not-the-secret');
    });

    it('refuses an unknown access key or session token: UnrecognizedClientException (400)', async () => {
      for (const credentials of [
        { ...fake.credentials, accessKeyId: 'AKIAUNKNOWNUNKNOWN00' },
        { ...fake.credentials, sessionToken: 'another-session-token' },
      ]) {
        expect(await withCredentials(credentials)).toMatchObject({
          name: 'UnrecognizedClientException',
          status: 400,
          message: 'The security token included in the request is invalid.',
        });
      }
    });

    it('refuses a request signed for another region', async () => {
      const client = new CognitoIdentityProviderClient({
        endpoint: fake.endpoint,
        region: 'us-east-1',
        credentials: fake.credentials,
        maxAttempts: 1,
      });
      try {
        expect(await failure(list(client))).toMatchObject({ name: 'InvalidSignatureException', status: 400 });
      } finally {
        client.destroy();
      }
    });

    it('refuses an unsigned request and names no operation it does not serve', async () => {
      const response = await fetch(fake.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.ListUserPoolClients',
        },
        body: JSON.stringify({ UserPoolId: fake.userPoolId }),
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(await response.json()).toEqual({
        __type: 'MissingAuthenticationTokenException',
        message: 'Missing Authentication Token',
      });
      expect(fake.requests).toEqual([
        { operation: 'ListUserPoolClients', status: 400, errorType: 'MissingAuthenticationTokenException' },
      ]);
    });

    it('serves a client configured only through the environment fake.env() gives', async () => {
      const saved = { ...process.env };
      Object.assign(process.env, fake.env());
      delete process.env.AWS_PROFILE;
      const client = new CognitoIdentityProviderClient({ maxAttempts: 1 });
      try {
        await expect(list(client)).resolves.toMatchObject({ UserPoolClients: expect.any(Array) });
        expect(fake.requests.at(-1)).toMatchObject({ operation: 'ListUserPoolClients', status: 200 });
      } finally {
        client.destroy();
        process.env = saved;
      }
    });
  });

  describe('POST /oauth2/token', () => {
    it('issues an RS256 access token with client_id, scope, token_use and the pool issuer (Basic auth)', async () => {
      const { clientId, clientSecret } = await create();
      const { status, body } = await fake.requestToken(clientId, clientSecret, { scope: fake.scope('read') });
      expect(status).toBe(200);
      expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) });
      const token = String(body.access_token);
      expect(claims(token)).toMatchObject({
        client_id: clientId,
        sub: clientId,
        token_use: 'access',
        scope: 'https://api.example.com/read',
        iss: `https://cognito-idp.${fake.region}.amazonaws.com/${fake.userPoolId}`,
      });
      const jwks = (await (await fetch(fake.jwksUri)).json()) as { keys: Record<string, unknown>[] };
      const [encodedHeader, encodedPayload, signature] = token.split('.') as [string, string, string];
      const header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as {
        kid: string;
        alg: string;
      };
      expect(header.alg).toBe('RS256');
      const jwk = jwks.keys.find((key) => key.kid === header.kid);
      const key = createPublicKey({ key: jwk as never, format: 'jwk' });
      expect(
        verify('sha256', Buffer.from(`${encodedHeader}.${encodedPayload}`), key, Buffer.from(signature, 'base64url')),
      ).toBe(true);
    });

    it('accepts client_id and client_secret in the body, and gives every allowed scope when none is asked', async () => {
      const { clientId, clientSecret } = await create();
      const { status, body } = await fake.requestToken(clientId, clientSecret, { auth: 'post' });
      expect(status).toBe(200);
      expect(claims(body.access_token).scope).toBe('https://api.example.com/read https://api.example.com/write');
    });

    it.each([
      ['an unknown client', 'invalid_client'],
      ['a wrong secret', 'invalid_client'],
      ['a scope the client is not allowed', 'invalid_scope'],
      ['a scope no resource server has', 'invalid_scope'],
      ['a code flow client', 'unauthorized_client'],
    ])('answers 400 for %s: %s', async (problem, error) => {
      const m2m = await create();
      const code = await create({
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: [fake.scope('read')],
        CallbackURLs: ['https://app.example.com/cb'],
      });
      const [clientId, secret, scope] = {
        'an unknown client': ['nosuchclient', m2m.clientSecret, undefined],
        'a wrong secret': [m2m.clientId, 'wrong-secret', undefined],
        'a scope the client is not allowed': [m2m.clientId, m2m.clientSecret, fake.scope('admin')],
        'a scope no resource server has': [m2m.clientId, m2m.clientSecret, fake.scope('nope')],
        'a code flow client': [code.clientId, code.clientSecret, undefined],
      }[problem] as [string, string, string | undefined];
      expect(await fake.requestToken(clientId, secret, { scope })).toEqual({ status: 400, body: { error } });
      expect(fake.requests.at(-1)).toMatchObject({ operation: 'Token', status: 400, errorType: error });
    });

    it('answers invalid_grant for flows stored without AllowedOAuthFlowsUserPoolClient, as Cognito does', async () => {
      const { clientId, clientSecret } = await create({ AllowedOAuthFlowsUserPoolClient: false });
      expect(fake.client(clientId)?.settings).toMatchObject({
        AllowedOAuthFlowsUserPoolClient: false,
        AllowedOAuthFlows: ['client_credentials'],
      });
      expect(await fake.requestToken(clientId, clientSecret)).toEqual({
        status: 400,
        body: { error: 'invalid_grant' },
      });
    });

    it('answers unsupported_grant_type and invalid_request as the token endpoint documents them', async () => {
      const post = (body: string, type = 'application/x-www-form-urlencoded') =>
        fetch(fake.tokenEndpoint, { method: 'POST', headers: { 'content-type': type }, body }).then(
          async (response) => ({
            status: response.status,
            body: await response.json(),
          }),
        );
      expect(await post('grant_type=password&username=a&password=b')).toEqual({
        status: 400,
        body: { error: 'unsupported_grant_type' },
      });
      expect(await post('client_id=x')).toEqual({ status: 400, body: { error: 'invalid_request' } });
      expect(await post('{"grant_type":"client_credentials"}', 'application/json')).toEqual({
        status: 400,
        body: { error: 'invalid_request' },
      });
    });

    it('can fail the token endpoint on demand', async () => {
      const { clientId, clientSecret } = await create();
      fake.inject('Token', { type: 'server_error', status: 503 });
      expect(await fake.requestToken(clientId, clientSecret)).toEqual({ status: 503, body: { error: 'server_error' } });
      expect((await fake.requestToken(clientId, clientSecret)).status).toBe(200);
    });
  });
});
