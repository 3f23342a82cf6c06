import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { MAX_IDP_TIMEOUT_MS as RUNTIME_MAX_IDP_TIMEOUT_MS } from '../../functions/bridge/bridge-config';
import { ANSWER_MARGIN_MS } from '../../functions/bridge/request-budget';
import { NO_SUCH_ROUTE, SERVED_ROUTES } from '../../functions/bridge/served-routes';
import { IDP_TYPES } from '../../functions/idp/create-idp-adapter';
import { COMPENSATION_TIMEOUT_MS } from '../../functions/idp/idp-adapter';
import { VERIFICATION_RECORD_KEY } from '../../functions/store/verification-ledger';
import {
  API_GATEWAY_INTEGRATION_TIMEOUT_S,
  MAX_IDP_TIMEOUT_MS,
  MAX_LAMBDA_TIMEOUT_S,
  TIMEOUT_HEADROOM_MS,
} from '../../lib/bridge-function';
import type { BridgeStackProps } from '../../lib/bridge-stack';
import { needsRegistrationStore } from '../../lib/idp-settings';
import {
  actionsOf,
  type CfnResource,
  environment,
  IMPORTED_SECRET_ARN,
  only,
  policyStatements,
  resources,
  type Statement,
  synth,
  synthStack,
} from './synth';

/** "POST /{clientId}/new-secret" for a method, by walking ParentId up to the root resource. */
function route(template: Template, method: CfnResource): string {
  const resources = template.findResources('AWS::ApiGateway::Resource') as Record<string, CfnResource>;
  const parts: string[] = [];
  let id = method.Properties.ResourceId;
  while (id.Ref) {
    const resource = resources[id.Ref] as CfnResource;
    parts.unshift(resource.Properties.PathPart);
    id = resource.Properties.ParentId;
  }
  expect(id).toEqual({ 'Fn::GetAtt': [expect.any(String), 'RootResourceId'] });
  return `${method.Properties.HttpMethod} /${parts.join('/')}`;
}

describe('BridgeStack API', () => {
  const template = synth();

  it('serves exactly the four DCR routes and the three multiple-credentials routes, unauthenticated at the gateway', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as CfnResource[];
    const served = [
      'DELETE /{clientId}',
      'POST /',
      'POST /{clientId}/event-hook',
      'POST /{clientId}/new-secret',
      'GET /{clientId}/secrets',
      'POST /{clientId}/secrets',
      'DELETE /{clientId}/secrets/{secretId}',
    ];
    expect(methods.map((m) => route(template, m)).sort()).toEqual(served.sort());
    expect([...SERVED_ROUTES].sort()).toEqual(served.sort());
    for (const method of methods) {
      // The bridge checks X-API-KEY itself; API Gateway must neither demand nor consume it.
      expect(method.Properties.ApiKeyRequired).not.toBe(true);
      expect(method.Properties.AuthorizationType).toBe('NONE');
      expect(method.Properties.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
    }
    // {clientId}, new-secret, event-hook, secrets, {secretId}
    template.resourceCountIs('AWS::ApiGateway::Resource', 5);
    template.resourceCountIs('AWS::ApiGateway::ApiKey', 0);
    template.resourceCountIs('AWS::ApiGateway::UsagePlan', 0);
  });

  it('is a regional REST API deployed to stage prod, owning no account-wide CloudWatch role', () => {
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
      ApiKeySourceType: Match.absent(),
    });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod' });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('lets only the prod stage invoke the function, one permission per route', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission')) as CfnResource[];
    expect(permissions).toHaveLength(7);
    for (const permission of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
      const sourceArn = JSON.stringify(permission.Properties.SourceArn);
      expect(sourceArn).toContain('ApiRestApiDeploymentStageprod');
      expect(sourceArn).not.toContain('test-invoke-stage');
    }
  });

  it('answers gateway-level rejections in the contract error shape', () => {
    // 404, throttled, WAF, missing key, and the defaults (the source allow-list adds a sixth).
    template.resourceCountIs('AWS::ApiGateway::GatewayResponse', 6);
    const notFound = Object.values(
      template.findResources('AWS::ApiGateway::GatewayResponse', {
        Properties: { ResponseType: 'MISSING_AUTHENTICATION_TOKEN' },
      }),
    ) as CfnResource[];
    expect(notFound).toHaveLength(1);
    expect(notFound[0]?.Properties.StatusCode).toBe('404');
    const template404 = notFound[0]?.Properties.ResponseTemplates['application/json'] as string;
    // A mapping template: "$" or "#" would be read as Velocity.
    expect(template404).not.toMatch(/[$#]/);
    expect(JSON.parse(template404)).toEqual({
      error: 'not_found',
      error_description:
        'No such route. The bridge serves POST /, DELETE /{clientId}, POST /{clientId}/new-secret, ' +
        'POST /{clientId}/event-hook, GET /{clientId}/secrets, POST /{clientId}/secrets, ' +
        'DELETE /{clientId}/secrets/{secretId}.',
    });
    // The local server answers the same body (bin/local/start-local-bridge.ts).
    expect(JSON.parse(template404)).toEqual(NO_SUCH_ROUTE);
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_4XX',
      ResponseTemplates: {
        'application/json': '{"error":"invalid_request","error_description":$context.error.messageString}',
      },
    });
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'DEFAULT_5XX',
      ResponseTemplates: {
        'application/json': '{"error":"server_error","error_description":$context.error.messageString}',
      },
    });
  });
});

describe('BridgeStack function', () => {
  it('is the only Lambda function, Node 24 on ARM, timeout = IdP deadline + 4 s', () => {
    const template = synth();
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1769,
      Timeout: 12,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^BridgeLogGroup') } },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('gets its settings, and only the set ones, through the environment', () => {
    const template = synth();
    expect(environment(template)).toEqual({
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_SERVICE_NAME: 'DcrBridge',
      POWERTOOLS_METRICS_NAMESPACE: 'DcrBridge',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
      POWERTOOLS_TRACE_ENABLED: 'false',
      IDP_TIMEOUT_MS: '8000',
      IDP_TYPE: 'generic',

      KONNECT_API_KEY_SECRET_ARN: { Ref: expect.stringMatching(/^KonnectApiKey/) },
      IDP_CREDENTIALS_SECRET_ARN: { Ref: expect.stringMatching(/^IdpCredentials/) },
      REGISTRATION_TABLE_NAME: { Ref: expect.stringMatching(/^RegistrationTable/) },
    });
  });

  it('passes the optional IdP settings when given', () => {
    const template = synth({
      idpType: 'keycloak',
      idpIssuer: 'https://idp.example.com/realms/dev',
      idpRegistrationEndpoint: 'https://idp.example.com/realms/dev/clients-registrations/openid-connect',
      idpTokenEndpoint: 'https://idp.example.com/realms/dev/protocol/openid-connect/token',
      idpInitialTokenScope: 'dcr',
      idpSecretRotation: 'update',
      idpTimeoutMs: 5000,
      logRetentionDays: RetentionDays.ONE_WEEK,
    });
    expect(environment(template)).toMatchObject({
      IDP_TYPE: 'keycloak',
      IDP_ISSUER: 'https://idp.example.com/realms/dev',
      IDP_REGISTRATION_ENDPOINT: 'https://idp.example.com/realms/dev/clients-registrations/openid-connect',
      IDP_TOKEN_ENDPOINT: 'https://idp.example.com/realms/dev/protocol/openid-connect/token',
      IDP_INITIAL_TOKEN_SCOPE: 'dcr',
      IDP_SECRET_ROTATION: 'update',
      IDP_TIMEOUT_MS: '5000',
    });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: 9 });
    // Both log groups, the bridge's and the access log, follow logRetentionDays.
    expect(
      Object.values(template.findResources('AWS::Logs::LogGroup')).map((g) => g.Properties.RetentionInDays),
    ).toEqual([7, 7]);
  });

  it('rounds the timeout up to whole seconds, keeping at least 4 s of headroom', () => {
    synth({ idpTimeoutMs: 8500 }).hasResourceProperties('AWS::Lambda::Function', { Timeout: 13 });
  });

  // Finding 6 (issue 9): idpTimeoutMs 25000 made the Lambda timeout 29 s, API Gateway's own
  // integration timeout, so a slow request got API Gateway's bare 504 instead of the bridge's answer.
  it("caps the timeout so the function answers at least 3 s before API Gateway's 29 s", () => {
    expect(MAX_IDP_TIMEOUT_MS).toBe(22_000);
    expect(MAX_LAMBDA_TIMEOUT_S).toBe(26);
    expect(API_GATEWAY_INTEGRATION_TIMEOUT_S - MAX_LAMBDA_TIMEOUT_S).toBeGreaterThanOrEqual(3);
    const template = synth({ idpTimeoutMs: MAX_IDP_TIMEOUT_MS });
    template.hasResourceProperties('AWS::Lambda::Function', { Timeout: MAX_LAMBDA_TIMEOUT_S });
    expect(environment(template).IDP_TIMEOUT_MS).toBe('22000');
    // The integration keeps API Gateway's default (29 s), which the margin is measured against.
    for (const [, method] of resources(template, 'AWS::ApiGateway::Method')) {
      expect(method.Properties.Integration.TimeoutInMillis).toBeUndefined();
    }
  });

  it("agrees with the function's own budget: the same maximum, and headroom for compensation and the answer", () => {
    expect(MAX_IDP_TIMEOUT_MS).toBe(RUNTIME_MAX_IDP_TIMEOUT_MS);
    expect(TIMEOUT_HEADROOM_MS).toBe(COMPENSATION_TIMEOUT_MS + ANSWER_MARGIN_MS);
  });

  it.each([25_000, 22_001, 499, 8000.5])('refuses idpTimeoutMs %d', (idpTimeoutMs) => {
    expect(() => synth({ idpTimeoutMs })).toThrow(/idpTimeoutMs must be an integer from 500 to 22000/);
  });
});

describe('BridgeStack secrets', () => {
  it('generates the Konnect key (alphanumeric, 48 chars) and never puts it in the template', () => {
    const template = synth();
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
      SecretString: Match.absent(),
    });
    // No dynamic reference would expose the value in outputs or resource properties.
    expect(JSON.stringify(template.toJSON())).not.toContain('{{resolve:secretsmanager');
    template.hasOutput('KonnectApiKeySecretArn', { Value: { Ref: Match.stringLikeRegexp('^KonnectApiKey') } });
  });

  it('creates an empty IdP credentials secret for the operator to fill, naming the JSON fields', () => {
    const template = synth();
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      SecretString: '{}',
      Description: Match.stringLikeRegexp('"client_id","client_secret","initial_access_token"'),
    });
    template.hasOutput('IdpCredentialsSecretArn', { Value: { Ref: Match.stringLikeRegexp('^IdpCredentials') } });
  });

  it('uses an existing IdP credentials secret when its ARN is given', () => {
    const template = synth({ idpCredentialsSecretArn: IMPORTED_SECRET_ARN });
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(environment(template).IDP_CREDENTIALS_SECRET_ARN).toBe(IMPORTED_SECRET_ARN);
    template.hasOutput('IdpCredentialsSecretArn', { Value: IMPORTED_SECRET_ARN });
    const secretStatement = policyStatements(template).find((s) =>
      actionsOf(s).includes('secretsmanager:GetSecretValue'),
    );
    expect(secretStatement?.Resource).toEqual(
      expect.arrayContaining([IMPORTED_SECRET_ARN, { Ref: expect.stringMatching(/^KonnectApiKey/) }]),
    );
  });
});

describe('BridgeStack registration table', () => {
  it.each(IDP_TYPES)('exists for %s, named in the environment and the outputs', (idpType) => {
    // Cognito's grant names its user pool: it cannot synthesize without one.
    const idpSettings = idpType === 'cognito' ? { IDP_COGNITO_USER_POOL_ID: 'eu-central-1_AbC123' } : undefined;
    const template = synth({ idpType, idpSettings });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    expect(environment(template).REGISTRATION_TABLE_NAME).toEqual({ Ref: expect.stringMatching(/^RegistrationTable/) });
    template.hasOutput('RegistrationTableName', { Value: { Ref: Match.stringLikeRegexp('^RegistrationTable') } });
  });

  it('is kept by RFC 7592 adapters with per-client tokens, not by management-API adapters', () => {
    expect(needsRegistrationStore('generic', {})).toBe(true);
    for (const idpType of ['okta', 'auth0', 'entra', 'keycloak'] as const) {
      expect(needsRegistrationStore(idpType, {})).toBe(false);
    }
  });

  it('says in its output what it holds', () => {
    const description = (props: BridgeStackProps) =>
      synth(props).findOutputs('RegistrationTableName').RegistrationTableName?.Description as string;
    expect(description({})).toMatch(/registration access tokens/);
    expect(description({})).toContain(VERIFICATION_RECORD_KEY);
    expect(description({ idpType: 'okta' })).not.toMatch(/registration access tokens/);
    expect(description({ idpType: 'okta' })).toMatch(new RegExp(`one item, ${VERIFICATION_RECORD_KEY}: .*Verify`));
  });

  // Finding 7 (issue 9): the table was only retained on stack deletion; a delete-table call
  // (console, CLI) could still drop the only registration access tokens.
  it('is keyed by clientId, on demand, encrypted, with PITR, retained and deletion-protected', () => {
    const template = synth();
    const [, table] = only(template, 'AWS::DynamoDB::Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      SSESpecification: { SSEEnabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });
});

/** The function's statements on DynamoDB. */
const tableStatementsOf = (template: Template) =>
  policyStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));

const TABLE_ARN = { 'Fn::GetAtt': [expect.stringMatching(/^RegistrationTable/), 'Arn'] };

describe('BridgeStack registration table access', () => {
  it.each(IDP_TYPES.filter((idpType) => !needsRegistrationStore(idpType, {})))(
    'lets %s update only the verification pointer item',
    (idpType) => {
      expect(tableStatementsOf(synth({ idpType }))).toEqual([
        {
          Effect: 'Allow',
          Action: 'dynamodb:UpdateItem',
          Resource: TABLE_ARN,
          Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['#konnect-verification'] } },
        },
      ]);
      expect(VERIFICATION_RECORD_KEY).toBe('#konnect-verification');
    },
  );

  it.each([
    ['generic', {}],
    [
      'curity in rat mode',
      { idpType: 'curity', idpSettings: { IDP_ISSUER: 'https://curity.example.com', IDP_CURITY_MANAGEMENT: 'rat' } },
    ],
    // The record of each client it created is its proof of ownership (the dcrm token reaches every client).
    ['curity in dcrm mode', { idpType: 'curity', idpSettings: { IDP_ISSUER: 'https://curity.example.com' } }],
  ] as Array<[string, BridgeStackProps]>)(
    'lets %s, which keeps per-client records, use every item it stores',
    (_name, props) => {
      const [statement, ...others] = tableStatementsOf(synth(props));
      expect(others).toEqual([]);
      // UpdateItem covers the verification pointer too (UpdateItem with ReturnValues UPDATED_OLD).
      expect([...actionsOf(statement as Statement)].sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      expect(statement?.Resource).toEqual(TABLE_ARN);
      expect(statement?.Condition).toBeUndefined();
    },
  );

  it('gives Curity the same item grant in both management modes', () => {
    const curity = (mode: string) =>
      tableStatementsOf(
        synth({
          idpType: 'curity',
          idpSettings: { IDP_ISSUER: 'https://curity.example.com', IDP_CURITY_MANAGEMENT: mode },
        }),
      ).flatMap(actionsOf);
    expect(curity('rat')).toHaveLength(4);
    expect(curity('dcrm')).toEqual(curity('rat'));
  });
});

describe('BridgeStack permissions', () => {
  it('grants its log group, X-Ray, secret reads on the two secrets and item access on the table, nothing else', () => {
    const statements = policyStatements(synth());
    const byService = (prefix: string) => statements.filter((s) => actionsOf(s).some((a) => a.startsWith(prefix)));

    const logStatements = byService('logs:');
    expect(logStatements).toHaveLength(1);
    expect(actionsOf(logStatements[0] as Statement).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(logStatements[0]?.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^BridgeLogGroup/), 'Arn'] });

    const xrayStatements = byService('xray:');
    expect(xrayStatements).toHaveLength(1);
    expect(actionsOf(xrayStatements[0] as Statement).sort()).toEqual([
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);

    const secretStatements = byService('secretsmanager:');
    expect(secretStatements).toHaveLength(1);
    expect(actionsOf(secretStatements[0] as Statement).sort()).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    expect(secretStatements[0]?.Resource).toEqual(
      expect.arrayContaining([
        { Ref: expect.stringMatching(/^KonnectApiKey/) },
        { Ref: expect.stringMatching(/^IdpCredentials/) },
      ]),
    );
    expect(secretStatements[0]?.Resource).toHaveLength(2);

    const tableStatements = byService('dynamodb:');
    expect(tableStatements).toHaveLength(1);
    expect([...actionsOf(tableStatements[0] as Statement)].sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(tableStatements[0]?.Resource).toEqual(TABLE_ARN);

    // Nothing but these four statements.
    expect(statements).toHaveLength(4);
  });

  it('uses its own role without AWS managed policies', () => {
    const template = synth();
    const [, fn] = only(template, 'AWS::Lambda::Function');
    const roleId = fn.Properties.Role['Fn::GetAtt'][0];
    const role = template.toJSON().Resources[roleId] as CfnResource;
    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }),
    ]);
  });
});

describe('BridgeStack synth warnings', () => {
  const warnings = (props: BridgeStackProps) =>
    Annotations.fromStack(synthStack(props).stack).findWarning('*', Match.stringLikeRegexp('IDP_ISSUER'));

  it('warns when the adapter would refuse its settings at cold start', () => {
    expect(warnings({})).toHaveLength(1);
    expect(warnings({ idpIssuer: 'https://idp.example.com' })).toHaveLength(0);
    expect(warnings({ idpSettings: { IDP_ISSUER: 'https://idp.example.com' } })).toHaveLength(0);
  });
});

describe('BridgeStack IdP settings', () => {
  it('passes idpSettings to the function environment', () => {
    const template = synth({ idpType: 'generic', idpSettings: { IDP_ISSUER: 'https://idp.example.com', IDP_X: 'y' } });
    expect(environment(template)).toMatchObject({ IDP_ISSUER: 'https://idp.example.com', IDP_X: 'y' });
  });

  it.each([
    ['IDP_CLIENT_SECRET', /credential/],
    ['IDP_API_TOKEN', /credential/],
    ['IDP_TYPE', /set by the stack/],
    ['SOMETHING_ELSE', /not an IDP_\* setting/],
  ])('refuses %s in idpSettings', (name, message) => {
    expect(() => synth({ idpSettings: { [name]: 'value' } })).toThrow(message);
  });

  it('refuses an unknown idpType', () => {
    expect(() => synth({ idpType: 'pingfederate' })).toThrow(/idpType must be one of/);
  });
});

describe('BridgeStack outputs', () => {
  it('gives the Konnect DCR base URL as the stage URL without a trailing slash', () => {
    const template = synth();
    const outputs = template.findOutputs('*');
    expect(Object.keys(outputs).sort()).toEqual(
      [
        'BridgeLogGroupName',
        'ConnectKonnectCommand',
        'DashboardName',
        'DcrBaseUrl',
        'IdpCredentialsSecretArn',
        'KonnectApiKeySecretArn',
        'RegistrationTableName',
      ].sort(),
    );
    const parts = outputs.DcrBaseUrl?.Value['Fn::Join'][1] as unknown[];
    expect(parts[0]).toBe('https://');
    expect(parts.at(-2)).toBe('/');
    expect(parts.at(-1)).toEqual({ Ref: expect.stringMatching(/^ApiRestApiDeploymentStageprod/) });
  });
});

describe('BridgeStack bundling', () => {
  // The one test that runs esbuild for real: the asset must build from functions/bridge/index.ts.
  it('bundles the bridge into an ESM asset with source map and require shim', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dcr-bridge-cdk-'));
    try {
      const { app, stack } = synthStack({}, { bundle: true, outdir });
      app.synth();
      const [, fn] = only(Template.fromStack(stack), 'AWS::Lambda::Function');
      const assetPath = (fn as unknown as { Metadata: Record<string, string> }).Metadata['aws:asset:path'];
      expect(assetPath).toBeDefined();
      const assetDir = join(outdir, assetPath as string);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith('import { createRequire }')).toBe(true);
      expect(bundle).toMatch(/export\s*\{[^}]*\bhandler\b/);
      // The runtime's AWS SDK v3 is used, not bundled: it stays an import.
      expect(bundle).toMatch(/from\s*"@aws-sdk\//);
      expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
      // CDK passed the deployment's defines to esbuild: the map lists every bundled source
      // (issue 10): the deployed adapter only, and no X-Ray SDK without tracingSubsegments.
      const { sources } = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      const adapters = new Set(sources.map((source) => source.match(/functions\/idp\/([a-z0-9]+)\//)?.[1]));
      expect(adapters.has('generic')).toBe(true);
      for (const other of ['okta', 'auth0', 'entra', 'curity', 'keycloak', 'cognito']) {
        expect(adapters.has(other)).toBe(false);
      }
      // The Cognito SDK client is bundled for cognito only (test/infra/bridge-cognito.test.ts).
      expect(sources.filter((source) => source.includes('@aws-sdk/'))).toEqual([]);
      expect(sources.filter((source) => /aws-xray-sdk-core|cls-hooked|powertools\/tracer/.test(source))).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
