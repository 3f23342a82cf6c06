import { describe, expect, it } from '@jest/globals';
import { type App, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import type { BridgeStackProps } from '../../lib/bridge-stack';
import {
  actionsOf,
  CERTIFICATE_ARN,
  type CfnResource,
  EVERYTHING_PROPS,
  FULL_PROPS,
  IMPORTED_SECRET_ARN,
  logicalId,
  only,
  policyStatements,
  resources,
  type Statement,
  synth,
  synthStack,
  validationViolations,
} from './synth';

const IMPORTED_KEY_ARN = 'arn:aws:kms:eu-central-1:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/** The stacks every security assertion runs on: defaults, all features, and the variants in between. */
const VARIANTS: Array<[string, BridgeStackProps]> = [
  ['default props', {}],
  ['all features', FULL_PROPS],
  ['all features, Konnect connected and its key rotated', EVERYTHING_PROPS],
  ['tracing off', { tracing: false }],
  [
    'imported key, imported IdP secret, existing topic',
    {
      encryptionKey: IMPORTED_KEY_ARN,
      idpCredentialsSecretArn: IMPORTED_SECRET_ARN,
      alarmTopicArn: 'arn:aws:sns:eu-central-1:111122223333:ops-pager',
    },
  ],
  ['adapter without registration tokens, with key', { idpType: 'okta', encryptionKey: 'create' }],
  [
    'cognito, an existing pool',
    { idpType: 'cognito', idpSettings: { IDP_COGNITO_USER_POOL_ID: 'eu-central-1_AbC123' } },
  ],
  ['cognito, a created pool, with key', { idpType: 'cognito', cognitoUserPool: 'create', encryptionKey: 'create' }],
  [
    'source allow-list without WAF, custom domain',
    {
      allowedSourceCidrs: ['203.0.113.7', '2001:db8::/64'],
      domainName: 'dcr.example.com',
      certificateArn: CERTIFICATE_ARN,
    },
  ],
];

/** Every IAM policy statement of the template: policies, inline role policies, managed policies, resource policies. */
function allPolicyStatements(template: Template): Array<{ owner: string; type: string; statement: Statement }> {
  const found: Array<{ owner: string; type: string; statement: Statement }> = [];
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, CfnResource>)) {
    const documents = [
      resource.Properties?.PolicyDocument,
      resource.Properties?.KeyPolicy,
      resource.Type === 'AWS::ApiGateway::RestApi' ? resource.Properties?.Policy : undefined,
      // Inline role policies; a user pool's `Policies` is its password policy, no IAM document.
      ...(Array.isArray(resource.Properties?.Policies) ? resource.Properties.Policies : []).map(
        (p: { PolicyDocument: unknown }) => p.PolicyDocument,
      ),
    ].filter(Boolean);
    for (const document of documents) {
      for (const statement of document.Statement as Statement[])
        found.push({ owner: id, type: resource.Type, statement });
    }
  }
  return found;
}

const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

describe('IAM', () => {
  it.each(VARIANTS)('names a resource in every statement, with two explained exceptions (%s)', (_name, props) => {
    const statements = allPolicyStatements(synth(props));
    expect(statements.length).toBeGreaterThan(0);
    for (const { type, statement } of statements) {
      const resourcesOfStatement = ([] as unknown[]).concat(statement.Resource);
      const wildcards = resourcesOfStatement.filter((r) => typeof r === 'string' && r.includes('*'));
      if (wildcards.length === 0) continue;
      if (type === 'AWS::KMS::Key') {
        // A key policy is attached to its key: there "*" means this one key, and nothing else.
        expect(wildcards).toEqual(['*']);
        continue;
      }
      if (type === 'AWS::ApiGateway::RestApi') {
        // An API's resource policy is attached to its API: "execute-api:/*" is every method of
        // this one API, and the policy only invokes (allow all, deny sources outside the list).
        expect({ wildcards, actions: actionsOf(statement) }).toEqual({
          wildcards: ['execute-api:/*'],
          actions: ['execute-api:Invoke'],
        });
        continue;
      }
      // AWS limitation: X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level
      // permissions, so active tracing can only be granted on "*" (acknowledged for cdk-nag in
      // lib/bridge-function.ts). Exactly these two actions, and nothing else in that statement.
      expect({ type, actions: actionsOf(statement).sort(), wildcards }).toEqual({
        type: 'AWS::IAM::Policy',
        actions: XRAY_ACTIONS,
        wildcards: ['*'],
      });
    }
  });

  it.each(VARIANTS)('allows only listed actions to the function, without action wildcards (%s)', (_name, props) => {
    for (const statement of policyStatements(synth(props))) {
      expect(statement.Effect).toBe('Allow');
      for (const action of actionsOf(statement)) expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z]+$/);
    }
  });
});

describe('encryption at rest', () => {
  it('uses AWS managed encryption without a key prop', () => {
    const template = synth();
    template.resourceCountIs('AWS::KMS::Key', 0);
    const [, table] = only(template, 'AWS::DynamoDB::Table');
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true });
    for (const [, secret] of resources(template, 'AWS::SecretsManager::Secret')) {
      expect(secret.Properties.KmsKeyId).toBeUndefined();
    }
  });

  it("with encryptionKey 'create': one rotating, retained key for table, secrets, log groups and topic", () => {
    const template = synth({ encryptionKey: 'create', alarmEmail: 'ops@example.com' });
    const [keyId, key] = only(template, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    // The retained registration table cannot be read without it.
    expect(key.DeletionPolicy).toBe('Retain');
    const keyArn = { 'Fn::GetAtt': [keyId, 'Arn'] };
    const [, table] = only(template, 'AWS::DynamoDB::Table');
    expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn });
    const secrets = resources(template, 'AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    for (const [, secret] of secrets) expect(secret.Properties.KmsKeyId).toEqual(keyArn);
    const groups = resources(template, 'AWS::Logs::LogGroup');
    expect(groups).toHaveLength(2);
    for (const [, group] of groups) expect(group.Properties.KmsKeyId).toEqual(keyArn);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
  });

  it('lets CloudWatch Logs and CloudWatch alarms of this account use the created key, and no one else', () => {
    const template = synth({ encryptionKey: 'create' });
    const [, key] = only(template, 'AWS::KMS::Key');
    const statements = key.Properties.KeyPolicy.Statement as Statement[];
    const service = (name: string) => statements.find((s) => JSON.stringify(s.Principal).includes(name));
    expect(JSON.stringify(service('logs.')?.Condition)).toContain(':log-group:*');
    expect(service('cloudwatch.amazonaws.com')?.Condition).toMatchObject({
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    });
    for (const statement of statements) {
      // The account root (so IAM policies apply), two service principals, and the bridge's role.
      const principal = JSON.stringify(statement.Principal);
      expect(principal).toMatch(/:root|logs\.|cloudwatch\.amazonaws\.com|BridgeRole/);
    }
  });

  it.each([
    ['a created key', 'create', 'generic'],
    ['an imported key', IMPORTED_KEY_ARN, 'generic'],
    ['an adapter that only keeps the verification pointer', 'create', 'okta'],
  ])(
    'lets the function decrypt the secrets through Secrets Manager only, and use the key for the table (%s)',
    (_name, encryptionKey, idpType) => {
      const template = synth({ encryptionKey, idpType });
      const keyArn =
        encryptionKey === 'create'
          ? { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'EncryptionKey'), 'Arn'] }
          : IMPORTED_KEY_ARN;
      const kmsStatements = policyStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
      expect(kmsStatements).toHaveLength(2);
      const [secrets, table] = kmsStatements as [Statement, Statement];
      expect(secrets).toMatchObject({ Action: 'kms:Decrypt', Resource: keyArn });
      expect(JSON.stringify(secrets.Condition)).toMatch(/"kms:ViaService":\{"Fn::Join":\["",\["secretsmanager\./);
      expect(actionsOf(table).sort()).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
      expect(table.Resource).toEqual(keyArn);
    },
  );

  it('imports a key by ARN instead of creating one', () => {
    const template = synth({ encryptionKey: IMPORTED_KEY_ARN });
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { KMSMasterKeyId: IMPORTED_KEY_ARN } });
    for (const [, group] of resources(template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.KmsKeyId).toBe(IMPORTED_KEY_ARN);
    }
    const kmsResources = policyStatements(template)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')))
      .map((s) => s.Resource);
    expect(kmsResources.length).toBeGreaterThan(0);
    for (const resource of kmsResources) expect(resource).toBe(IMPORTED_KEY_ARN);
  });

  it('refuses an encryptionKey that is neither "create" nor a key ARN', () => {
    expect(() => synth({ encryptionKey: 'alias/dcr-bridge' })).toThrow(
      /encryptionKey must be "create" or a KMS key ARN/,
    );
  });
});

describe('API Gateway account role', () => {
  it('is left alone by default and set, retained, with apiGatewayCloudWatchRole', () => {
    synth().resourceCountIs('AWS::ApiGateway::Account', 0);
    const template = synth({ apiGatewayCloudWatchRole: true });
    const [, account] = only(template, 'AWS::ApiGateway::Account');
    // Other APIs of the account may log through it: deleting the stack must not unset it.
    expect(account.DeletionPolicy).toBe('Retain');
  });
});

describe('cdk-nag AwsSolutions', () => {
  const nag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  it.each(VARIANTS)('reports no unacknowledged finding, nor any template validation issue (%s)', (_name, props) => {
    expect(validationViolations(nag, props)).toEqual([]);
  });

  it('does report a finding the stack did not acknowledge (the check is live)', () => {
    const violations = validationViolations((app) => {
      const stack = app.node.findChild('DcrBridge');
      new Secret(stack, 'Unacknowledged');
      nag(app);
    }, {});
    expect(violations).toEqual([
      expect.objectContaining({
        plugin: 'AwsSolutions',
        rule: 'AwsSolutions-SMG4',
        paths: ['DcrBridge/Unacknowledged/Resource'],
      }),
    ]);
  });

  /** [construct path, rule id, reason] of every acknowledgement in the stack. */
  function acknowledgements(props: BridgeStackProps): Array<[string, string, string]> {
    const { stack } = synthStack(props);
    const acknowledged: Array<[string, string, string]> = [];
    const visit = (construct: IConstruct) => {
      for (const entry of construct.node.metadata) {
        if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
        for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
          acknowledged.push([construct.node.path, id, reason]);
        }
      }
      for (const child of construct.node.children) visit(child);
    };
    visit(stack);
    return acknowledged;
  }

  it('has a written reason for every acknowledgement, and only these (all features)', () => {
    const acknowledged = acknowledgements(FULL_PROPS);
    for (const [, , reason] of acknowledged) expect(reason.length).toBeGreaterThan(80);
    expect(acknowledged.map(([path, id]) => `${path} ${id}`).sort()).toEqual(
      [
        'DcrBridge/Api/RestApi AwsSolutions::AwsSolutions-APIG2',
        'DcrBridge/Api/RestApi/CloudWatchRole AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'DcrBridge/Api/RestApi/DeploymentStage.prod AwsSolutions::AwsSolutions-APIG6',
        'DcrBridge/Bridge/Role/DefaultPolicy AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        'DcrBridge/IdpCredentials AwsSolutions::AwsSolutions-SMG4',
        'DcrBridge/KonnectApiKey AwsSolutions::AwsSolutions-SMG4',
        ...[
          'POST',
          '{clientId}/DELETE',
          '{clientId}/new-secret/POST',
          '{clientId}/event-hook/POST',
          '{clientId}/secrets/GET',
          '{clientId}/secrets/POST',
          '{clientId}/secrets/{secretId}/DELETE',
        ].flatMap((method) => [
          `DcrBridge/Api/RestApi/Default/${method} AwsSolutions::AwsSolutions-APIG4`,
          `DcrBridge/Api/RestApi/Default/${method} AwsSolutions::AwsSolutions-COG4`,
        ]),
      ].sort(),
    );
  });

  it('acknowledges the provider framework and no longer the unrotated Konnect key with Konnect wired (all features)', () => {
    const ids = (props: BridgeStackProps) => acknowledgements(props).map(([path, id]) => `${path} ${id}`);
    const added = ids(EVERYTHING_PROPS).filter((id) => !ids(FULL_PROPS).includes(id));
    const dropped = ids(FULL_PROPS).filter((id) => !ids(EVERYTHING_PROPS).includes(id));
    expect(added).toEqual([
      expect.stringMatching(
        /^DcrBridge\/KonnectProvider\/FrameworkRole\/DefaultPolicy AwsSolutions::AwsSolutions-IAM5\[Resource::<KonnectProviderOnEventFunction[0-9A-F]{8}\.Arn>:\*\]$/,
      ),
    ]);
    // The key now has a rotation schedule: SMG4 holds without an acknowledgement.
    expect(dropped).toEqual(['DcrBridge/KonnectApiKey AwsSolutions::AwsSolutions-SMG4']);
    for (const [, , reason] of acknowledgements(EVERYTHING_PROPS)) expect(reason.length).toBeGreaterThan(80);
  });

  it('acknowledges the missing WAF only when WAF is off, and the account role only when the stack sets it', () => {
    const ids = (props: BridgeStackProps) => acknowledgements(props).map(([path, id]) => `${path} ${id}`);
    expect(ids({})).toContain('DcrBridge/Api/RestApi/DeploymentStage.prod AwsSolutions::AwsSolutions-APIG3');
    expect(ids({}).filter((id) => id.includes('IAM4'))).toEqual([]);
    expect(ids({ tracing: false }).filter((id) => id.includes('IAM5'))).toEqual([]);
    expect(ids(FULL_PROPS).filter((id) => id.includes('APIG3'))).toEqual([]);
  });
});
