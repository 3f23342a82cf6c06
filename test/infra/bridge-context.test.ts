import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { bridgeStackPropsFromContext } from '../../lib/bridge-context';
import { DEFAULT_STACK_NAME, stackLabel, stackNameFromContext } from '../../lib/stack-name';

/** Valid context values for the keys that need a particular shape (others get a string). */
const CONTEXT_SAMPLES: Record<string, unknown> = {
  idpSettings: '{}',
  idpSecretRotation: 'none',
  idpTimeoutMs: 8000,
  logRetentionDays: 30,
  logLevel: 'INFO',
  tracing: true,
  tracingSubsegments: false,
  reservedConcurrency: 1,
  provisionedConcurrency: 0,
  memorySize: 1769,
  throttlingRateLimit: 1,
  throttlingBurstLimit: 1,
  wafEnabled: true,
  wafRateLimit: 100,
  allowedSourceCidrs: '203.0.113.0/24',
  alarmPeriodMinutes: 5,
  serverErrorAlarmThreshold: 1,
  idpErrorRatioAlarmPercent: 10,
  idpErrorRatioAlarmMinimumRequests: 5,
  authFailureAlarmThreshold: 1,
  lambdaErrorAlarmThreshold: 1,
  throttleAlarmThreshold: 1,
  durationAlarmPercentOfTimeout: 80,
  konnectRegion: 'eu',
  konnectProviderRemoval: 'retain',
  konnectKeyRotationDays: 90,
  konnectAdoptProvider: false,
  cognitoUserPool: 'create',
  cognitoScopes: 'read,write',
  apiGatewayCloudWatchRole: false,
};

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
        logLevel: 'debug',
        tracing: 'false',
        tracingSubsegments: 'true',
        reservedConcurrency: '5',
        provisionedConcurrency: '2',
        memorySize: '1024',
        throttlingRateLimit: '2.5',
        throttlingBurstLimit: 5,
        wafEnabled: true,
        wafRateLimit: '100',
        allowedSourceCidrs: '203.0.113.0/24, 2001:db8::/64',
        domainName: 'dcr.example.com',
        certificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc',
        encryptionKey: 'create',
        alarmEmail: 'ops@example.com',
        alarmTopicArn: 'arn:aws:sns:eu-central-1:111122223333:ops',
        alarmPeriodMinutes: '10',
        serverErrorAlarmThreshold: '2',
        idpErrorRatioAlarmPercent: '12.5',
        idpErrorRatioAlarmMinimumRequests: '3',
        authFailureAlarmThreshold: 7,
        lambdaErrorAlarmThreshold: '3',
        throttleAlarmThreshold: '4',
        durationAlarmPercentOfTimeout: '75',
        konnectRegion: 'sg',
        konnectApiUrl: 'https://eu.api.konghq.com/v2',
        konnectTokenSecretArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:konnect-AbCdEf',
        konnectProviderName: 'partners',
        konnectIssuer: 'https://example.okta.com/oauth2/default',
        konnectProviderRemoval: 'destroy',
        konnectKeyRotationDays: '90',
        konnectAdoptProvider: 'true',
        cognitoUserPool: 'create',
        cognitoDomainPrefix: 'acme-partners',
        cognitoResourceServer: 'https://orders.example.com',
        cognitoScopes: 'orders.read, orders.write',
        apiGatewayCloudWatchRole: 'true',
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
      logLevel: 'DEBUG',
      tracing: false,
      tracingSubsegments: true,
      reservedConcurrency: 5,
      provisionedConcurrency: 2,
      memorySize: 1024,
      throttlingRateLimit: 2.5,
      throttlingBurstLimit: 5,
      wafEnabled: true,
      wafRateLimit: 100,
      allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/64'],
      domainName: 'dcr.example.com',
      certificateArn: 'arn:aws:acm:eu-central-1:111122223333:certificate/abc',
      encryptionKey: 'create',
      alarmEmail: 'ops@example.com',
      alarmTopicArn: 'arn:aws:sns:eu-central-1:111122223333:ops',
      alarmPeriodMinutes: 10,
      serverErrorAlarmThreshold: 2,
      idpErrorRatioAlarmPercent: 12.5,
      idpErrorRatioAlarmMinimumRequests: 3,
      authFailureAlarmThreshold: 7,
      lambdaErrorAlarmThreshold: 3,
      throttleAlarmThreshold: 4,
      durationAlarmPercentOfTimeout: 75,
      konnectRegion: 'sg',
      konnectApiUrl: 'https://eu.api.konghq.com/v2',
      konnectTokenSecretArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:konnect-AbCdEf',
      konnectProviderName: 'partners',
      konnectIssuer: 'https://example.okta.com/oauth2/default',
      konnectProviderRemoval: 'destroy',
      konnectKeyRotationDays: 90,
      konnectAdoptProvider: true,
      cognitoUserPool: 'create',
      cognitoDomainPrefix: 'acme-partners',
      cognitoResourceServer: 'https://orders.example.com',
      cognitoScopes: ['orders.read', 'orders.write'],
      apiGatewayCloudWatchRole: true,
    });
  });

  it('has a context key for every stack prop', () => {
    // A prop without a context key could not be set with `cdk deploy -c`.
    const source = readFileSync(new URL('../../lib/bridge-stack-props.ts', import.meta.url), 'utf8');
    const props = [...source.matchAll(/^\s+readonly (\w+)\?:/gm)].map((m) => m[1]);
    const keys = [...source.matchAll(/\* Context `(\w+)`/g)].map((m) => m[1]);
    expect(props.length).toBeGreaterThan(30);
    expect(keys).toEqual(props);
    const read = Object.keys(
      fromContext(Object.fromEntries(props.map((name) => [name as string, CONTEXT_SAMPLES[name as string] ?? 'x']))),
    );
    expect(read.sort()).toEqual([...props].sort());
  });

  it.each([
    [{ idpTimeoutMs: 'soon' }, /idpTimeoutMs must be an integer/],
    [{ idpTimeoutMs: 499 }, /idpTimeoutMs must be between 500 and 22000/],
    // Lambda timeout (deadline + 4 s) must end well before API Gateway's 29 s integration timeout.
    [{ idpTimeoutMs: 22001 }, /idpTimeoutMs must be between 500 and 22000/],
    [{ idpTimeoutMs: '25000' }, /idpTimeoutMs must be between 500 and 22000/],
    [{ idpErrorRatioAlarmMinimumRequests: '2.5' }, /idpErrorRatioAlarmMinimumRequests must be an integer/],
    [{ logRetentionDays: 31 }, /logRetentionDays must be a CloudWatch Logs retention/],
    [{ idpSecretRotation: 'sometimes' }, /idpSecretRotation must be one of none, read, update/],
    [{ idpIssuer: 42 }, /idpIssuer must be a string/],
    [{ idpSettings: '{not json' }, /idpSettings must be a JSON object/],
    [{ idpSettings: { IDP_X: 1 } }, /idpSettings must be a JSON object of string values/],
    [{ logLevel: 'verbose' }, /logLevel must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT/],
    [{ tracing: 'yes' }, /tracing must be true or false/],
    [{ wafEnabled: 1 }, /wafEnabled must be true or false/],
    [{ reservedConcurrency: '2.5' }, /reservedConcurrency must be an integer/],
    [{ throttlingRateLimit: 'fast' }, /throttlingRateLimit must be a number/],
    [
      { allowedSourceCidrs: '["203.0.113.0/24"' },
      /allowedSourceCidrs must be a JSON array of strings or a comma-separated list/,
    ],
    [{ allowedSourceCidrs: [1] }, /allowedSourceCidrs must be a JSON array of strings/],
    [{ konnectRegion: 'EU' }, /konnectRegion must be one of us, eu, au, me, in, sg, got EU/],
    [{ konnectProviderRemoval: 'delete' }, /konnectProviderRemoval must be one of retain, destroy/],
    [{ konnectKeyRotationDays: 'quarterly' }, /konnectKeyRotationDays must be an integer/],
    [{ cognitoUserPool: 'existing' }, /cognitoUserPool must be create/],
  ])('rejects %j', (context, message) => {
    expect(() => fromContext(context)).toThrow(message);
  });

  it('reads idpSettings from a -c JSON string or a cdk.json object', () => {
    const settings = { IDP_OKTA_ORG_URL: 'https://acme.okta.com' };
    expect(fromContext({ idpSettings: JSON.stringify(settings) }).idpSettings).toEqual(settings);
    expect(fromContext({ idpSettings: settings }).idpSettings).toEqual(settings);
  });
});

describe('stackNameFromContext', () => {
  const read = (context: Record<string, unknown>) => stackNameFromContext(new App({ context }).node);

  it('defaults to the name every deployment had before stack names', () => {
    expect(read({})).toBe('DcrBridge');
    expect(DEFAULT_STACK_NAME).toBe('DcrBridge');
  });

  it.each(['dcr-okta-partners', 'DcrEntraInternal', 'a', `a${'b'.repeat(127)}`])('accepts %s', (name) => {
    expect(read({ stackName: name })).toBe(name);
  });

  it.each([
    ['a digit first', '1bridge'],
    ['an underscore', 'dcr_bridge'],
    ['a dot', 'dcr.bridge'],
    ['a space', 'dcr bridge'],
    ['129 characters', `a${'b'.repeat(128)}`],
    ['a hyphen first', '-bridge'],
  ])('refuses a name with %s', (_case, name) => {
    expect(() => read({ stackName: name })).toThrow(/stackName must be a CloudFormation stack name/);
  });

  it('refuses a stackName that is no string', () => {
    expect(() => read({ stackName: 42 })).toThrow(/context stackName must be a string/);
  });

  it('makes a Konnect label value of any stack name (1-63 characters, alphanumeric at both ends)', () => {
    expect(stackLabel('dcr-okta-partners')).toBe('dcr-okta-partners');
    expect(stackLabel('bridge-')).toBe('bridge');
    const long = stackLabel(`a${'-b'.repeat(40)}`);
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^[a-z0-9A-Z]([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$/);
  });
});
