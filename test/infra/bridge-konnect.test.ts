import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import type { BridgeStackProps } from '../../lib/bridge-stack';
import { ACCEPT_DELAY_MS } from '../../lib/konnect-key-rotation';
import {
  CERTIFICATE_ARN,
  type CfnJson,
  environment,
  KONNECT_PROPS,
  KONNECT_TOKEN_ARN,
  logicalId,
  only,
  policyStatements,
  resources,
  synth,
  synthStack,
} from './synth';

const CONNECTED: BridgeStackProps = { konnectRegion: 'eu', konnectTokenSecretArn: KONNECT_TOKEN_ARN };
const GENERIC = { idpIssuer: 'https://idp.example.com' };

const ref = (template: Template, type: string, prefix: string) => ({ Ref: logicalId(template, type, prefix) });
/** The stack's UUID: the third part of arn:…:stack/<name>/<uuid>, 36 characters, a valid Konnect label value. */
const STACK_UUID = { 'Fn::Select': [2, { 'Fn::Split': ['/', { Ref: 'AWS::StackId' }] }] };
const arnOf = (template: Template, type: string, prefix: string) => ({
  'Fn::GetAtt': [logicalId(template, type, prefix), 'Arn'],
});

/** An Fn::Join with only literals and these placeholders left, as one string. */
function joined(value: CfnJson): string {
  if (typeof value === 'string') return value;
  const [, parts] = value['Fn::Join'] as [string, CfnJson[]];
  return parts
    .map((part) => {
      if (typeof part === 'string') return part;
      if (JSON.stringify(part) === JSON.stringify(STACK_UUID)) return '<stack-uuid>';
      if (part.Ref === 'AWS::Region') return '<aws-region>';
      if (part.Ref === 'AWS::URLSuffix') return '<url-suffix>';
      if (String(part.Ref).startsWith('KonnectApiKey')) return '<key-secret-arn>';
      if (String(part.Ref).startsWith('ApiRestApiDeploymentStage')) return '<stage>';
      if (String(part.Ref).startsWith('ApiRestApi')) return '<api-id>';
      throw new Error(`unexpected part ${JSON.stringify(part)}`);
    })
    .join('');
}

function output(template: Template, name: string): { Value: CfnJson; Description: string } {
  const found = template.findOutputs(name)[name];
  if (!found) throw new Error(`no output ${name}`);
  return found as { Value: CfnJson; Description: string };
}

function command(template: Template): string {
  return joined(output(template, 'ConnectKonnectCommand').Value);
}

function providerProperties(template: Template): Record<string, CfnJson> {
  const [, resource] = only(template, 'Custom::KonnectDcrProvider');
  return resource.Properties;
}

describe('Konnect wiring absent by default', () => {
  const template = synth();

  it('creates no custom resource, rotation, Konnect function or Konnect output but the command', () => {
    template.resourceCountIs('Custom::KonnectDcrProvider', 0);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.resourceCountIs('AWS::IAM::Role', 1);
    expect(template.findOutputs('KonnectDcrProviderId')).toEqual({});
  });

  it('prints the connect-konnect command with placeholders for what the stack does not know', () => {
    // The generic adapter without an issuer or IDP_SECRET_ROTATION: placeholders, and refresh off.
    expect(command(template)).toBe(
      "npm run connect-konnect -- --konnect-region '<us|eu|au|me|in|sg>' --name DcrBridge --stack-label DcrBridge --owner <stack-uuid> " +
        '--url https://<api-id>.execute-api.<aws-region>.<url-suffix>/<stage> --key-secret-id <key-secret-arn> ' +
        "--issuer '<IdP issuer>' --disable-refresh-secret --region <aws-region>",
    );
  });

  it('fills in the region, provider name and issuer it is given, without connecting', () => {
    const given = synth({
      ...GENERIC,
      idpSecretRotation: 'update',
      konnectRegion: 'au',
      konnectProviderName: 'Partner portal',
      domainName: 'dcr.example.com',
      certificateArn: CERTIFICATE_ARN,
    });
    given.resourceCountIs('Custom::KonnectDcrProvider', 0);
    expect(command(given)).toBe(
      "npm run connect-konnect -- --konnect-region au --name 'Partner portal' --stack-label DcrBridge --owner <stack-uuid> --url https://dcr.example.com " +
        '--key-secret-id <key-secret-arn> --issuer https://idp.example.com --region <aws-region>',
    );
  });

  it('uses --konnect-url for an explicit API URL', () => {
    expect(command(synth({ ...GENERIC, konnectApiUrl: 'https://sg.api.konghq.com/v2' }))).toContain(
      ' --konnect-url https://sg.api.konghq.com/v2 --name DcrBridge --stack-label DcrBridge --owner <stack-uuid> ',
    );
  });

  it('never names the token: the command reads it from KONNECT_TOKEN', () => {
    const printed = output(synth({ ...GENERIC, ...CONNECTED }), 'ConnectKonnectCommand');
    expect(JSON.stringify(printed.Value)).not.toMatch(/token/i);
    expect(printed.Description).toContain('KONNECT_TOKEN');
  });
});

describe('Konnect DCR provider custom resource', () => {
  const template = synth({ ...GENERIC, ...CONNECTED });

  it('passes what the provider needs, with the stack name as provider name and label', () => {
    const properties = providerProperties(template);
    expect({ ...properties, ServiceToken: undefined, DcrBaseUrl: joined(properties.DcrBaseUrl) }).toEqual({
      ServiceToken: undefined,
      KonnectApiUrl: 'https://eu.api.konghq.com/v2',
      ProviderName: 'DcrBridge',
      DcrBaseUrl: 'https://<api-id>.execute-api.<aws-region>.<url-suffix>/<stage>',
      Issuer: 'https://idp.example.com',
      DisableRefreshSecret: 'true',
      RemoveOnDelete: 'false',
      StackLabel: 'DcrBridge',
      // The provider's dcr-bridge-owner label: this stack changes and deletes only its own provider.
      Owner: STACK_UUID,
      Adopt: 'false',
    });
    // The same URL as the output Konnect's admins see.
    expect(properties.DcrBaseUrl).toEqual(output(template, 'DcrBaseUrl').Value);
    expect(properties.ServiceToken).toEqual(
      arnOf(template, 'AWS::Lambda::Function', 'KonnectProviderframeworkonEvent'),
    );
  });

  it('adopts a same-named provider without owner label only with konnectAdoptProvider', () => {
    expect(providerProperties(synth({ ...GENERIC, ...CONNECTED, konnectAdoptProvider: true })).Adopt).toBe('true');
  });

  it('outputs the provider id Konnect gave', () => {
    template.hasOutput('KonnectDcrProviderId', {
      Value: { 'Fn::GetAtt': [logicalId(template, 'Custom::KonnectDcrProvider', 'KonnectProvider'), 'ProviderId'] },
    });
  });

  it('runs after the stage, the bridge, its permissions and grants: Konnect verifies through them', () => {
    const [, resource] = only(template, 'Custom::KonnectDcrProvider');
    const dependsOn = (resource as unknown as { DependsOn: string[] }).DependsOn;
    const expected = [
      logicalId(template, 'AWS::ApiGateway::Stage', 'ApiRestApiDeploymentStage'),
      logicalId(template, 'AWS::Lambda::Function', 'BridgeFunction'),
      logicalId(template, 'AWS::IAM::Policy', 'BridgeRoleDefaultPolicy'),
      ...resources(template, 'AWS::Lambda::Permission')
        .map(([id]) => id)
        .filter((id) => id.startsWith('ApiRestApi')),
    ];
    expect(expected.length).toBeGreaterThan(3);
    expect(dependsOn).toEqual(expect.arrayContaining(expected));
  });

  it('follows the adapter for disable_refresh_secret: on only where the bridge cannot rotate a secret', () => {
    const refresh = (props: BridgeStackProps) =>
      providerProperties(synth({ ...CONNECTED, ...props })).DisableRefreshSecret;
    expect(refresh(GENERIC)).toBe('true');
    expect(refresh({ ...GENERIC, idpSecretRotation: 'none' })).toBe('true');
    expect(refresh({ ...GENERIC, idpSecretRotation: 'update' })).toBe('false');
    expect(refresh({ ...GENERIC, idpSettings: { IDP_SECRET_ROTATION: 'read' } })).toBe('false');
    expect(refresh({ idpType: 'curity', idpIssuer: 'https://idsvr.example.com/oauth/v2/oauth-anonymous' })).toBe(
      'false',
    );
    expect(
      refresh({
        idpType: 'okta',
        idpSettings: { IDP_OKTA_ORG_URL: 'https://acme.okta.com' },
        konnectIssuer: 'https://acme.okta.com/oauth2/default',
      }),
    ).toBe('false');
  });

  it('deletes the Konnect provider with the stack only with konnectProviderRemoval destroy', () => {
    expect(
      providerProperties(synth({ ...GENERIC, ...CONNECTED, konnectProviderRemoval: 'retain' })).RemoveOnDelete,
    ).toBe('false');
    expect(
      providerProperties(synth({ ...GENERIC, ...CONNECTED, konnectProviderRemoval: 'destroy' })).RemoveOnDelete,
    ).toBe('true');
  });

  it('takes konnectProviderName, konnectApiUrl and konnectIssuer over the defaults', () => {
    const properties = providerProperties(
      synth({
        ...GENERIC,
        konnectTokenSecretArn: KONNECT_TOKEN_ARN,
        konnectApiUrl: 'https://me.api.konghq.com/v2',
        konnectProviderName: 'Partner portal',
        konnectIssuer: 'https://tokens.example.com',
      }),
    );
    expect(properties).toMatchObject({
      KonnectApiUrl: 'https://me.api.konghq.com/v2',
      ProviderName: 'Partner portal',
      Issuer: 'https://tokens.example.com',
    });
  });

  it.each<[string, BridgeStackProps, string]>([
    [
      'generic: IDP_ISSUER',
      { idpSettings: { IDP_ISSUER: 'https://idp.example.com/realm' } },
      'https://idp.example.com/realm',
    ],
    [
      'curity: IDP_ISSUER',
      { idpType: 'curity', idpIssuer: 'https://idsvr.example.com/oauth/v2/oauth-anonymous' },
      'https://idsvr.example.com/oauth/v2/oauth-anonymous',
    ],
    [
      'keycloak: the realm URL',
      {
        idpType: 'keycloak',
        idpSettings: { IDP_KEYCLOAK_URL: 'https://sso.example.com/', IDP_KEYCLOAK_REALM: 'portal' },
      },
      'https://sso.example.com/realms/portal',
    ],
    [
      'auth0: the tenant URL with the trailing slash',
      { idpType: 'auth0', idpSettings: { IDP_AUTH0_DOMAIN: 'acme.eu.auth0.com' } },
      'https://acme.eu.auth0.com/',
    ],
  ])('derives the issuer from the IdP settings (%s)', (_name, props, issuer) => {
    expect(providerProperties(synth({ ...CONNECTED, ...props })).Issuer).toBe(issuer);
  });

  it.each<[string, BridgeStackProps]>([
    ['okta', { idpType: 'okta', idpSettings: { IDP_OKTA_ORG_URL: 'https://acme.okta.com' } }],
    ['entra', { idpType: 'entra', idpSettings: { IDP_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' } }],
    ['generic with a registration endpoint only', { idpRegistrationEndpoint: 'https://idp.example.com/register' }],
  ])('asks for konnectIssuer where the settings do not say (%s)', (_name, props) => {
    expect(() => synth({ ...CONNECTED, ...props })).toThrow(/konnectIssuer is required with idpType=/);
    // Without the custom resource the command carries a placeholder instead.
    expect(command(synth(props))).toContain("--issuer '<IdP issuer>'");
  });

  it('warns that Konnect verifies through the custom domain, whose DNS must exist before the deploy', () => {
    const { stack } = synthStack({
      ...GENERIC,
      ...CONNECTED,
      domainName: 'dcr.example.com',
      certificateArn: CERTIFICATE_ARN,
    });
    Annotations.fromStack(stack).hasWarning('/DcrBridge', Match.stringLikeRegexp('through https://dcr.example.com'));
    expect(providerProperties(Template.fromStack(stack)).DcrBaseUrl).toBe('https://dcr.example.com');
  });
});

describe('least privilege of the Konnect functions', () => {
  it('lets the custom resource handler read only the Konnect token and the Konnect key', () => {
    const template = synth({ ...GENERIC, ...CONNECTED });
    expect(policyStatements(template, 'KonnectProviderOnEventRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(template, 'AWS::Logs::LogGroup', 'KonnectProviderOnEventLogGroup'),
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: [KONNECT_TOKEN_ARN, ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey')],
      },
    ]);
  });

  it('lets the provider framework only log and invoke that handler, without managed policies', () => {
    const template = synth({ ...GENERIC, ...CONNECTED });
    const handler = arnOf(template, 'AWS::Lambda::Function', 'KonnectProviderOnEventFunction');
    expect(policyStatements(template, 'KonnectProviderFrameworkRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(template, 'AWS::Logs::LogGroup', 'KonnectProviderFrameworkLogGroup'),
      },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: [handler, { 'Fn::Join': ['', [handler, ':*']] }] },
      { Effect: 'Allow', Action: 'lambda:GetFunction', Resource: handler },
    ]);
    for (const [, role] of resources(template, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      expect(role.Properties.Policies).toBeUndefined();
    }
  });

  it("lets the rotation function do Secrets Manager's four rotation calls on the key, and read the token", () => {
    const template = synth({ ...GENERIC, ...KONNECT_PROPS });
    expect(policyStatements(template, 'KonnectKeyRotationRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: arnOf(template, 'AWS::Logs::LogGroup', 'KonnectKeyRotationLogGroup'),
      },
      {
        Effect: 'Allow',
        Action: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        Resource: ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey'),
      },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: KONNECT_TOKEN_ARN },
    ]);
  });

  it('adds the stack key for the key secret alone, through Secrets Manager, with encryptionKey', () => {
    const template = synth({ ...GENERIC, ...KONNECT_PROPS, encryptionKey: 'create' });
    const keySecret = ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey');
    const kms = (rolePrefix: string) =>
      policyStatements(template, rolePrefix).filter((s) => JSON.stringify(s.Action).includes('kms:'));
    const condition = {
      StringEquals: {
        'kms:ViaService': {
          'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }]],
        },
        'kms:EncryptionContext:SecretARN': keySecret,
      },
    };
    const key = arnOf(template, 'AWS::KMS::Key', 'EncryptionKey');
    expect(kms('KonnectProviderOnEventRole')).toEqual([
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key, Condition: condition },
    ]);
    expect(kms('KonnectKeyRotationRole')).toEqual([
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key, Condition: condition },
    ]);
    expect(kms('KonnectProviderFrameworkRole')).toEqual([]);
    // Their log groups are encrypted with it, like the bridge's.
    for (const [, group] of resources(template, 'AWS::Logs::LogGroup')) expect(group.Properties.KmsKeyId).toEqual(key);
  });

  it('lets only Secrets Manager invoke the rotation function, on behalf of this account and for the key secret', () => {
    const template = synth({ ...GENERIC, ...KONNECT_PROPS });
    const rotation = arnOf(template, 'AWS::Lambda::Function', 'KonnectKeyRotationFunction');
    const permissions = resources(template, 'AWS::Lambda::Permission').filter(
      ([, p]) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify(rotation),
    );
    expect(permissions.map(([, p]) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: rotation,
        Principal: 'secretsmanager.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey'),
      },
    ]);
  });

  it('keeps the token value out of the template: only its ARN, in two variables and two policies', () => {
    const template = synth({ ...GENERIC, ...KONNECT_PROPS });
    const text = JSON.stringify(template.toJSON());
    expect(text).not.toContain('resolve:secretsmanager');
    expect(text.split(KONNECT_TOKEN_ARN).length - 1).toBe(4);
    expect(environment(template, 'KonnectProviderOnEventFunction').KONNECT_TOKEN_SECRET_ARN).toBe(KONNECT_TOKEN_ARN);
    expect(environment(template, 'KonnectKeyRotationFunction').KONNECT_TOKEN_SECRET_ARN).toBe(KONNECT_TOKEN_ARN);
    // The bridge itself never gets the token.
    expect(JSON.stringify(policyStatements(template))).not.toContain(KONNECT_TOKEN_ARN);
    expect(JSON.stringify(environment(template))).not.toContain(KONNECT_TOKEN_ARN);
  });
});

describe('Konnect functions', () => {
  const template = synth({ ...GENERIC, ...KONNECT_PROPS, logRetentionDays: 90 });

  it('run the handlers the functions side exports, on Node 24 ARM, with the stack service name', () => {
    const fn = (prefix: string) => only(template, 'AWS::Lambda::Function', prefix)[1].Properties;
    expect(fn('KonnectProviderOnEventFunction')).toMatchObject({
      Handler: 'index.onEvent',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: {
          KONNECT_TOKEN_SECRET_ARN: KONNECT_TOKEN_ARN,
          KONNECT_API_KEY_SECRET_ARN: ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey'),
          POWERTOOLS_SERVICE_NAME: 'DcrBridge',
        },
      },
    });
    expect(fn('KonnectKeyRotationFunction')).toMatchObject({
      Handler: 'index.handler',
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Environment: {
        Variables: {
          KONNECT_TOKEN_SECRET_ARN: KONNECT_TOKEN_ARN,
          KONNECT_API_URL: 'https://eu.api.konghq.com/v2',
          KONNECT_PROVIDER_NAME: 'DcrBridge',
          KONNECT_PROVIDER_OWNER: STACK_UUID,
          ACCEPT_DELAY_MS: String(ACCEPT_DELAY_MS),
          POWERTOOLS_SERVICE_NAME: 'DcrBridge',
        },
      },
    });
    // Past the bridge's forced key refresh interval (10 s).
    expect(ACCEPT_DELAY_MS).toBeGreaterThan(10_000);
  });

  it('log to their own groups with the stack retention, no CDK log retention helper', () => {
    const groups = resources(template, 'AWS::Logs::LogGroup');
    expect(groups.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'ApiAccessLog',
      'BridgeLogGroup',
      'KonnectKeyRotationLogGroup',
      'KonnectProviderFrameworkLogGroup',
      'KonnectProviderOnEventLogGroup',
    ]);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(90);
    // Every function, the provider framework's too, logs to a group of the stack.
    for (const [, fn] of resources(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.LoggingConfig.LogGroup).toEqual({ Ref: expect.stringMatching(/LogGroup[0-9A-F]{8}$/) });
    }
    template.resourceCountIs('Custom::LogRetention', 0);
  });
});

describe('scheduled Konnect key rotation', () => {
  const template = synth({ ...GENERIC, ...KONNECT_PROPS, alarmEmail: 'ops@example.com' });

  it('rotates the key secret every konnectKeyRotationDays with the rotation function, not at once', () => {
    const [, schedule] = only(template, 'AWS::SecretsManager::RotationSchedule');
    expect(schedule.Properties).toEqual({
      SecretId: ref(template, 'AWS::SecretsManager::Secret', 'KonnectApiKey'),
      RotationLambdaARN: arnOf(template, 'AWS::Lambda::Function', 'KonnectKeyRotationFunction'),
      RotationRules: { ScheduleExpression: 'rate(90 days)' },
      RotateImmediatelyOnUpdate: false,
    });
  });

  it('waits for the Konnect provider and for its permission and role policy', () => {
    const [, schedule] = only(template, 'AWS::SecretsManager::RotationSchedule');
    expect((schedule as unknown as { DependsOn: string[] }).DependsOn).toEqual(
      expect.arrayContaining([
        logicalId(template, 'Custom::KonnectDcrProvider', 'KonnectProvider'),
        logicalId(template, 'AWS::Lambda::Permission', 'KonnectKeyRotationFunctionInvokedBySecretsManager'),
        logicalId(template, 'AWS::IAM::Policy', 'KonnectKeyRotationRoleDefaultPolicy'),
      ]),
    );
  });

  it('raises an alarm on any failed rotation step, to the alarm topic, and shows it on the dashboard', () => {
    const [alarmId, alarm] = only(template, 'AWS::CloudWatch::Alarm', 'KonnectKeyRotationErrors');
    const topic = ref(template, 'AWS::SNS::Topic', 'AlarmTopic');
    expect(alarm.Properties).toMatchObject({
      AlarmName: 'DcrBridge-KonnectKeyRotationErrors',
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [
        { Name: 'FunctionName', Value: ref(template, 'AWS::Lambda::Function', 'KonnectKeyRotationFunction') },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      // No invocation is no news: the alarm stays raised until a rotation invocation succeeds.
      TreatMissingData: 'ignore',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(alarm.Properties.AlarmDescription).toMatch(/Both keys stay accepted/);
    const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
    expect(JSON.stringify(dashboard.Properties.DashboardBody)).toContain(alarmId);
  });

  it('has no rotation without konnectKeyRotationDays', () => {
    synth({ ...GENERIC, ...CONNECTED }).resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });
});

describe('Konnect props that cannot work fail the synth', () => {
  it.each<[string, BridgeStackProps, RegExp]>([
    [
      'rotation without a token',
      { ...GENERIC, konnectRegion: 'eu', konnectKeyRotationDays: 30 },
      /konnectKeyRotationDays needs konnectTokenSecretArn/,
    ],
    [
      'removal without a token',
      { ...GENERIC, konnectProviderRemoval: 'destroy' },
      /konnectProviderRemoval needs konnectTokenSecretArn/,
    ],
    [
      'adoption without a token',
      { ...GENERIC, konnectAdoptProvider: true },
      /konnectAdoptProvider needs konnectTokenSecretArn/,
    ],
    [
      'a token without a region',
      { ...GENERIC, konnectTokenSecretArn: KONNECT_TOKEN_ARN },
      /konnectTokenSecretArn needs konnectRegion/,
    ],
    [
      'region and URL',
      { ...GENERIC, konnectRegion: 'eu', konnectApiUrl: 'https://eu.api.konghq.com/v2' },
      /konnectRegion or konnectApiUrl, not both/,
    ],
    [
      'an unknown region',
      { ...GENERIC, konnectRegion: 'xx' as 'eu' },
      /konnectRegion must be one of us, eu, au, me, in, sg/,
    ],
    [
      'an http API URL',
      { ...GENERIC, konnectApiUrl: 'http://127.0.0.1:8080/v2' },
      /konnectApiUrl must be an https URL/,
    ],
    [
      'an API URL with a query',
      { ...GENERIC, konnectApiUrl: 'https://eu.api.konghq.com/v2?x=1' },
      /konnectApiUrl: the Konnect API URL must not carry/,
    ],
    [
      'a partial token ARN',
      {
        ...CONNECTED,
        ...GENERIC,
        konnectTokenSecretArn: 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:konnect/token',
      },
      /complete ARN/,
    ],
    ['a token name', { ...CONNECTED, ...GENERIC, konnectTokenSecretArn: 'konnect/token' }, /complete ARN/],
    ['0 rotation days', { ...GENERIC, ...KONNECT_PROPS, konnectKeyRotationDays: 0 }, /integer from 1 to 1000, got 0/],
    [
      '1001 rotation days',
      { ...GENERIC, ...KONNECT_PROPS, konnectKeyRotationDays: 1001 },
      /integer from 1 to 1000, got 1001/,
    ],
    [
      'fractional rotation days',
      { ...GENERIC, ...KONNECT_PROPS, konnectKeyRotationDays: 1.5 },
      /integer from 1 to 1000/,
    ],
    [
      'an http issuer',
      { ...GENERIC, ...CONNECTED, konnectIssuer: 'http://idp.example.com' },
      /konnectIssuer must be an https URL/,
    ],
    [
      'an issuer over 256 characters',
      { ...GENERIC, ...CONNECTED, konnectIssuer: `https://idp.example.com/${'a'.repeat(240)}` },
      /at most 256 characters/,
    ],
    [
      'an empty provider name',
      { ...GENERIC, konnectProviderName: ' ' },
      /konnectProviderName must be 1 to 256 characters/,
    ],
  ])('%s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('Konnect function bundles', () => {
  // Runs esbuild for real on both entries: they must bundle as ESM with the bridge's options.
  it('bundle the custom resource handler and the rotation handler, each exporting its handler', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dcr-bridge-konnect-'));
    try {
      const { app, stack } = synthStack({ ...GENERIC, ...KONNECT_PROPS }, { bundle: true, outdir });
      app.synth();
      const template = Template.fromStack(stack);
      for (const [prefix, exported] of [
        ['KonnectProviderOnEventFunction', 'onEvent'],
        ['KonnectKeyRotationFunction', 'handler'],
      ] as const) {
        const [, fn] = only(template, 'AWS::Lambda::Function', prefix);
        const assetPath = (fn as unknown as { Metadata: Record<string, string> }).Metadata['aws:asset:path'];
        const assetDir = join(outdir, assetPath as string);
        const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
        expect(bundle.startsWith('import { createRequire }')).toBe(true);
        expect(bundle).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${exported}\\b`));
        expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
