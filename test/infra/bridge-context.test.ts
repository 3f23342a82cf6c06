import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { bridgeStackPropsFromContext } from '../../lib/bridge-context';

function fromContext(context: Record<string, unknown>) {
  return bridgeStackPropsFromContext(new App({ context }).node);
}

describe('bridgeStackPropsFromContext', () => {
  it('leaves every setting to the stack defaults when no context is given', () => {
    expect(Object.values(fromContext({})).every((v) => v === undefined)).toBe(true);
  });

  it('reads every key, accepting numbers as CLI strings or JSON numbers', () => {
    expect(
      fromContext({
        idpType: 'okta',
        idpIssuer: 'https://example.okta.com',
        idpRegistrationEndpoint: 'https://example.okta.com/oauth2/v1/clients',
        idpTokenEndpoint: 'https://example.okta.com/oauth2/v1/token',
        idpInitialTokenScope: 'okta.clients.register',
        idpSecretRotation: 'read',
        idpCredentialsSecretArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:idp-AbCdEf',
        idpTimeoutMs: '5000',
        logRetentionDays: 90,
      }),
    ).toEqual({
      idpType: 'okta',
      idpIssuer: 'https://example.okta.com',
      idpRegistrationEndpoint: 'https://example.okta.com/oauth2/v1/clients',
      idpTokenEndpoint: 'https://example.okta.com/oauth2/v1/token',
      idpInitialTokenScope: 'okta.clients.register',
      idpSecretRotation: 'read',
      idpCredentialsSecretArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:idp-AbCdEf',
      idpTimeoutMs: 5000,
      logRetentionDays: 90,
    });
  });

  it.each([
    [{ idpTimeoutMs: 'soon' }, /idpTimeoutMs must be an integer/],
    [{ idpTimeoutMs: 499 }, /idpTimeoutMs must be between 500 and 25000/],
    // Lambda timeout (deadline + 4 s) must stay under API Gateway's 29 s integration timeout.
    [{ idpTimeoutMs: 26000 }, /idpTimeoutMs must be between/],
    [{ logRetentionDays: 31 }, /logRetentionDays must be a CloudWatch Logs retention/],
    [{ idpSecretRotation: 'sometimes' }, /idpSecretRotation must be one of none, read, update/],
    [{ idpIssuer: 42 }, /idpIssuer must be a string/],
    [{ idpSettings: '{not json' }, /idpSettings must be a JSON object/],
    [{ idpSettings: { IDP_X: 1 } }, /idpSettings must be a JSON object of string values/],
  ])('rejects %j', (context, message) => {
    expect(() => fromContext(context)).toThrow(message);
  });

  it('reads idpSettings from a -c JSON string or a cdk.json object', () => {
    const settings = { IDP_OKTA_ORG_URL: 'https://acme.okta.com' };
    expect(fromContext({ idpSettings: JSON.stringify(settings) }).idpSettings).toEqual(settings);
    expect(fromContext({ idpSettings: settings }).idpSettings).toEqual(settings);
  });
});
