import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { mayHaveReachedIdp } from '../../../../functions/commons/http-client';
import { CognitoApi } from '../../../../functions/idp/cognito/cognito-api';
import { CognitoServiceError } from '../../../../functions/idp/cognito/cognito-error';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const cognito = mockClient(sdk.CognitoIdentityProviderClient);

describe('CognitoApi', () => {
  const output = captureOutputPerTest();
  beforeEach(() => {
    cognito.reset();
  });
  afterAll(() => cognito.restore());

  it('loads the SDK on the first call only, never when built', async () => {
    const loadSdk = jest.fn(async () => sdk);
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1', loadSdk });
    expect(loadSdk).not.toHaveBeenCalled();
    cognito.on(sdk.ListUserPoolClientSecretsCommand).resolves({ ClientSecrets: [] });
    await api.listSecrets('c1', operationWithin(1000));
    await api.listSecrets('c1', operationWithin(1000));
    expect(loadSdk).toHaveBeenCalledTimes(1);
  });

  it('loads again after a failed load', async () => {
    const loadSdk = jest
      .fn<() => Promise<typeof sdk>>()
      .mockRejectedValueOnce(new Error('broken'))
      .mockResolvedValue(sdk);
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1', loadSdk });
    cognito.on(sdk.DeleteUserPoolClientCommand).resolves({});
    await expect(api.deleteClient('c1', operationWithin(1000))).rejects.toThrow('broken');
    await api.deleteClient('c1', operationWithin(1000));
    expect(loadSdk).toHaveBeenCalledTimes(2);
  });

  it('passes the deadline to the SDK and answers 504 at the deadline, whatever the SDK does', async () => {
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1' });
    cognito.on(sdk.DescribeUserPoolClientCommand).callsFake(() => new Promise(() => {}));
    const send = jest.spyOn(sdk.CognitoIdentityProviderClient.prototype, 'send');
    const startedAt = Date.now();
    const error = await bridgeErrorOf(api.describeClient('c1', operationWithin(300)));
    const signal = (send.mock.calls[0]?.[1] as { abortSignal?: AbortSignal } | undefined)?.abortSignal;
    send.mockRestore();
    expect(error.statusCode).toBe(504);
    expect(Date.now() - startedAt).toBeLessThan(1000);
    expect(signal?.aborted).toBe(true);
    // It may have reached Cognito: a create in this state is looked for.
    expect(mayHaveReachedIdp(error)).toBe(true);
  });

  it('sends nothing once the deadline has passed', async () => {
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1' });
    const context = operationWithin(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const error = await bridgeErrorOf(api.deleteClient('c1', context));
    expect(error.statusCode).toBe(504);
    expect(mayHaveReachedIdp(error)).toBe(false);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('turns service errors into CognitoServiceError and a refused connection into a 502 that sent nothing', async () => {
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1' });
    cognito
      .on(sdk.DeleteUserPoolClientCommand)
      .rejects(new sdk.AccessDeniedException({ message: 'denied', $metadata: { httpStatusCode: 403 } }));
    await expect(api.deleteClient('c1', operationWithin(1000))).rejects.toBeInstanceOf(CognitoServiceError);
    cognito.on(sdk.DeleteUserPoolClientCommand).rejects(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));
    const error = await bridgeErrorOf(api.deleteClient('c1', operationWithin(1000)));
    expect(error.statusCode).toBe(502);
    expect(mayHaveReachedIdp(error)).toBe(false);
  });

  it('answers missing AWS credentials as a 502 that sent nothing, naming the Lambda role', async () => {
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1' });
    cognito
      .on(sdk.CreateUserPoolClientCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    const error = await bridgeErrorOf(api.createClient({ ClientName: 'x' }, operationWithin(1000)));
    expect(error.statusCode).toBe(502);
    expect(error.description).toMatch(/no AWS credentials .*Lambda role/);
    expect(mayHaveReachedIdp(error)).toBe(false);
  });

  it('records the latency of each attempt, not the throttling waits between them', async () => {
    const api = new CognitoApi({ userPoolId: 'eu-central-1_P', region: 'eu-central-1' });
    cognito
      .on(sdk.DeleteUserPoolClientCommand)
      .rejectsOnce(new sdk.TooManyRequestsException({ message: 'slow', $metadata: { httpStatusCode: 400 } }))
      .resolves({});
    const startedAt = Date.now();
    await api.deleteClient('c1', operationWithin(5000));
    const waited = Date.now() - startedAt;
    const latencies = output.lines().flatMap((line) => (typeof line.IdpLatency === 'number' ? [line.IdpLatency] : []));
    expect(latencies).toHaveLength(2);
    expect(waited).toBeGreaterThan(200);
    for (const latency of latencies) expect(latency).toBeLessThan(waited / 2);
  });
});
