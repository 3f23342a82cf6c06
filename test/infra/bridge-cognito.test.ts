import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { type App, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IDP_TYPES } from '../../functions/idp/create-idp-adapter';
import { RUNTIME_SDK_CLIENTS } from '../../lib/bridge-function';
import { BridgeStack, type BridgeStackProps } from '../../lib/bridge-stack';
import { COGNITO_APP_CLIENT_ACTIONS, COGNITO_CODE_FLOW_ACTIONS } from '../../lib/cognito-access';
import {
  actionsOf,
  type CfnJson,
  environment,
  IMPORTED_SECRET_ARN,
  KONNECT_TOKEN_ARN,
  logicalId,
  only,
  policyStatements,
  resources,
  type Statement,
  synth,
  synthStack,
  testApp,
  validationViolations,
} from './synth';

const POOL_ID = 'eu-central-1_AbC123';
/** An existing pool, named in idpSettings. */
const EXISTING: BridgeStackProps = {
  idpType: 'cognito',
  idpSettings: {
    IDP_COGNITO_USER_POOL_ID: POOL_ID,
    IDP_COGNITO_DOMAIN: 'https://acme.auth.eu-central-1.amazoncognito.com',
    IDP_COGNITO_RESOURCE_SERVER: 'orders',
    IDP_COGNITO_DEFAULT_SCOPES: 'orders/read',
  },
};
/** A pool the stack makes. */
const CREATED: BridgeStackProps = { idpType: 'cognito', cognitoUserPool: 'create' };
const CONNECTED: BridgeStackProps = { konnectRegion: 'eu', konnectTokenSecretArn: KONNECT_TOKEN_ARN };

/** Settings an adapter needs to synthesize without errors (cognito names its pool). */
const propsFor = (idpType: string): BridgeStackProps => (idpType === 'cognito' ? EXISTING : { idpType });

const cognitoStatements = (template: Template): Statement[] =>
  policyStatements(template).filter((s) => actionsOf(s).some((a) => a.startsWith('cognito-idp:')));

/** Every IAM statement of every policy of the template. */
const allStatements = (template: Template): Statement[] =>
  resources(template, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement);

describe('Cognito: the IAM role is the credential', () => {
  const poolArn = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':cognito-idp:eu-central-1:',
        { Ref: 'AWS::AccountId' },
        `:userpool/${POOL_ID}`,
      ],
    ],
  };

  it('grants the six create, delete, list and client-secret actions (client credentials), on the one user pool named in the settings', () => {
    expect(cognitoStatements(synth(EXISTING))).toEqual([
      {
        Effect: 'Allow',
        // CDK sorts the actions. No DescribeUserPoolClient (it reads any client's secret) nor UpdateUserPoolClient.
        Action: [
          'cognito-idp:AddUserPoolClientSecret',
          'cognito-idp:CreateUserPoolClient',
          'cognito-idp:DeleteUserPoolClient',
          'cognito-idp:DeleteUserPoolClientSecret',
          'cognito-idp:ListUserPoolClientSecrets',
          'cognito-idp:ListUserPoolClients',
        ],
        Resource: poolArn,
      },
    ]);
    expect(COGNITO_APP_CLIENT_ACTIONS).toHaveLength(6);
  });

  it('adds DescribeUserPoolClient and UpdateUserPoolClient with IDP_COGNITO_OAUTH_FLOW=code (redirect URI updates)', () => {
    const code = synth({ ...EXISTING, idpSettings: { ...EXISTING.idpSettings, IDP_COGNITO_OAUTH_FLOW: 'code' } });
    expect(cognitoStatements(code)).toEqual([
      {
        Effect: 'Allow',
        Action: [...COGNITO_APP_CLIENT_ACTIONS, ...COGNITO_CODE_FLOW_ACTIONS].sort(),
        Resource: poolArn,
      },
    ]);
  });

  it('takes the region from IDP_COGNITO_REGION when it is set', () => {
    const template = synth({ ...EXISTING, idpSettings: { ...EXISTING.idpSettings, IDP_COGNITO_REGION: 'eu-west-1' } });
    expect(JSON.stringify(cognitoStatements(template)[0]?.Resource)).toContain(':cognito-idp:eu-west-1:');
  });

  it.each(IDP_TYPES.filter((idpType) => idpType !== 'cognito'))('grants no Cognito action to %s', (idpType) => {
    const actions = allStatements(synth(propsFor(idpType))).flatMap(actionsOf);
    expect(actions.filter((action) => action.startsWith('cognito-idp:'))).toEqual([]);
  });

  it('has no other grant than the log group, X-Ray, the Konnect key, the table items and the pool', () => {
    const statements = policyStatements(synth(EXISTING));
    const services = statements.map((s) => [...new Set(actionsOf(s).map((a) => a.split(':')[0]))].join(','));
    expect(services.sort()).toEqual(['cognito-idp', 'dynamodb', 'logs', 'secretsmanager', 'xray']);
    // Every client the adapter creates gets an ownership record: item access, as the record-keeping adapters have.
    const table = statements.find((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:'))) as Statement;
    expect(actionsOf(table).sort()).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(table.Condition).toBeUndefined();
    // Only the Konnect key: there is no IdP credentials secret.
    const secrets = statements.find((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:'))) as Statement;
    expect(secrets.Resource).toEqual({ Ref: expect.stringMatching(/^KonnectApiKey/) });
  });

  it('creates no IdP credentials secret: nothing to fill in, read or rotate', () => {
    const template = synth(EXISTING);
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    expect(environment(template).IDP_CREDENTIALS_SECRET_ARN).toBeUndefined();
    expect(template.findOutputs('IdpCredentialsSecretArn')).toEqual({});
  });

  it('passes the pool settings through to the function', () => {
    expect(environment(synth(EXISTING))).toMatchObject({ IDP_TYPE: 'cognito', ...EXISTING.idpSettings });
  });
});

describe('Cognito synth checks', () => {
  it.each([
    [
      'no user pool',
      { idpType: 'cognito' },
      /idpType=cognito needs a user pool: set IDP_COGNITO_USER_POOL_ID .* or -c cognitoUserPool=create/,
    ],
    [
      'a malformed pool id',
      { idpType: 'cognito', idpSettings: { IDP_COGNITO_USER_POOL_ID: 'not a pool' } },
      /do not name one user pool .*IDP_COGNITO_USER_POOL_ID/,
    ],
    [
      'an IdP credentials secret',
      { ...EXISTING, idpCredentialsSecretArn: IMPORTED_SECRET_ARN },
      /the cognito adapter has no IdP credentials/,
    ],
    [
      'cognitoUserPool with another adapter',
      { cognitoUserPool: 'create' },
      /cognitoUserPool=create needs idpType=cognito/,
    ],
    [
      'pool props without the pool',
      { ...EXISTING, cognitoScopes: ['read'] },
      /cognitoScopes configures the pool of cognitoUserPool=create/,
    ],
    [
      'a pool id next to a created pool',
      { ...CREATED, idpSettings: { IDP_COGNITO_USER_POOL_ID: POOL_ID } },
      /IDP_COGNITO_USER_POOL_ID is set by cognitoUserPool=create/,
    ],
    [
      'a reserved word in the domain prefix',
      { ...CREATED, cognitoDomainPrefix: 'acme-cognito' },
      /must be a Cognito domain prefix/,
    ],
    ['an upper-case domain prefix', { ...CREATED, cognitoDomainPrefix: 'Acme' }, /must be a Cognito domain prefix/],
    ['a scope with "/"', { ...CREATED, cognitoScopes: ['orders/read'] }, /is not a scope name/],
    ['no scopes', { ...CREATED, cognitoScopes: [] }, /cognitoScopes must list 1 to 100 scopes/],
  ] as Array<[string, BridgeStackProps, RegExp]>)('refuses %s', (_name, props, message) => {
    expect(() => synth(props)).toThrow(message);
  });

  it('refuses a default domain prefix made of a stack name with a reserved word, asking for cognitoDomainPrefix', () => {
    expect(() => new BridgeStack(testApp(), 'AwsBridge', CREATED)).toThrow(/Set -c cognitoDomainPrefix=/);
    expect(
      () => new BridgeStack(testApp(), 'AwsBridge', { ...CREATED, cognitoDomainPrefix: 'partners' }),
    ).not.toThrow();
  });

  it('warns, as for the other adapters, about settings the adapter would refuse at cold start', () => {
    const { stack } = synthStack({
      ...EXISTING,
      idpSettings: { ...EXISTING.idpSettings, IDP_COGNITO_DOMAIN: 'http://x' },
    });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('IDP_COGNITO_DOMAIN'))).toHaveLength(1);
    const { stack: unscoped } = synthStack({
      ...EXISTING,
      idpSettings: { IDP_COGNITO_USER_POOL_ID: POOL_ID },
    });
    // Client credentials (the default) without default scopes: Konnect's Verify would get a 400.
    expect(
      Annotations.fromStack(unscoped).findWarning('*', Match.stringLikeRegexp('IDP_COGNITO_DEFAULT_SCOPES: required')),
    ).toHaveLength(1);
    const created = synthStack(CREATED).stack;
    expect(Annotations.fromStack(created).findWarning('*', Match.stringLikeRegexp('dcr-bridge:idpSettings'))).toEqual(
      [],
    );
  });
});

describe('Cognito with cognitoUserPool=create', () => {
  it('passes CloudFormation validation of the resource server with a URL identifier', () => {
    const props: BridgeStackProps = { ...CREATED, cognitoResourceServer: 'https://orders.example.com' };
    const found = validationViolations(() => {}, props).filter((violation) =>
      violation.paths.some((path) => path.includes('/ResourceServer')),
    );
    expect(found).toEqual([]);
  });

  const template = synth(CREATED);
  const poolId = () => logicalId(template, 'AWS::Cognito::UserPool', 'Cognito');

  it('makes one user pool for client credentials: no self sign-up, no recovery, deletion-protected and retained', () => {
    const [, pool] = only(template, 'AWS::Cognito::UserPool');
    expect(pool.DeletionPolicy).toBe('Retain');
    expect(pool.Properties).toMatchObject({
      UserPoolName: 'DcrBridge',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      DeletionProtection: 'ACTIVE',
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
      UserPoolTier: 'ESSENTIALS',
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
    // TOTP only: no SMS, so no role for SNS.
    expect(pool.Properties.SmsConfiguration).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Role', 1);
  });

  it('gives it a Cognito domain named after the stack and the account, and one resource server with the scopes', () => {
    const [, domain] = only(template, 'AWS::Cognito::UserPoolDomain');
    expect(domain.Properties).toEqual({
      UserPoolId: { Ref: poolId() },
      Domain: { 'Fn::Join': ['-', ['dcrbridge', { Ref: 'AWS::AccountId' }]] },
    });
    const [, server] = only(template, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties).toEqual({
      UserPoolId: { Ref: poolId() },
      Identifier: 'api',
      Name: 'api',
      Scopes: [
        { ScopeName: 'read', ScopeDescription: 'Konnect applications: read' },
        { ScopeName: 'write', ScopeDescription: 'Konnect applications: write' },
      ],
    });
    // The bridge creates every app client itself.
    template.resourceCountIs('AWS::Cognito::UserPoolClient', 0);
  });

  it('takes the domain prefix, resource server and scopes from the props', () => {
    const custom = synth({
      ...CREATED,
      cognitoDomainPrefix: 'acme-partners',
      cognitoResourceServer: 'https://orders.example.com',
      cognitoScopes: ['orders.read', 'orders.write', 'admin'],
    });
    custom.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-partners' });
    custom.hasResourceProperties('AWS::Cognito::UserPoolResourceServer', {
      Identifier: 'https://orders.example.com',
      // API_ResourceServerType: Name matches [\w\s+=,.@-]+, which a URL does not.
      Name: 'https---orders.example.com',
      Scopes: [{ ScopeName: 'orders.read' }, { ScopeName: 'orders.write' }, { ScopeName: 'admin' }],
    });
    expect(environment(custom)).toMatchObject({
      IDP_COGNITO_RESOURCE_SERVER: 'https://orders.example.com',
      IDP_COGNITO_DEFAULT_SCOPES: 'https://orders.example.com/orders.read',
    });
  });

  it('points the bridge at it, and lets idpSettings choose other default scopes', () => {
    expect(environment(template)).toMatchObject({
      IDP_TYPE: 'cognito',
      IDP_COGNITO_USER_POOL_ID: { Ref: poolId() },
      IDP_COGNITO_DOMAIN: {
        'Fn::Join': [
          '',
          [
            'https://',
            { Ref: expect.stringMatching(/^CognitoUserPoolDomain/) },
            '.auth.',
            { Ref: 'AWS::Region' },
            '.amazoncognito.com',
          ],
        ],
      },
      IDP_COGNITO_RESOURCE_SERVER: 'api',
      IDP_COGNITO_DEFAULT_SCOPES: 'api/read',
    });
    const both = synth({ ...CREATED, idpSettings: { IDP_COGNITO_DEFAULT_SCOPES: 'api/read,api/write' } });
    expect(environment(both).IDP_COGNITO_DEFAULT_SCOPES).toBe('api/read,api/write');
  });

  it('grants the client credentials actions on that pool only', () => {
    expect(cognitoStatements(template)).toEqual([
      {
        Effect: 'Allow',
        Action: [...COGNITO_APP_CLIENT_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [poolId(), 'Arn'] },
      },
    ]);
  });

  it("outputs the Konnect auth strategy's issuer and the token endpoint", () => {
    const outputs = template.findOutputs('*');
    expect(outputs.CognitoIssuer?.Value).toEqual({
      'Fn::Join': [
        '',
        ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', { Ref: poolId() }],
      ],
    });
    expect(outputs.CognitoTokenEndpoint?.Value).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { Ref: expect.stringMatching(/^CognitoUserPoolDomain/) },
          '.auth.',
          { Ref: 'AWS::Region' },
          '.amazoncognito.com/oauth2/token',
        ],
      ],
    });
    expect(outputs.IdpCredentialsSecretArn).toBeUndefined();
    expect(synth(EXISTING).findOutputs('CognitoIssuer')).toEqual({});
  });
});

describe('Cognito and the Konnect DCR provider', () => {
  const issuerOf = (template: Template): CfnJson => {
    const [, provider] = only(template, 'Custom::KonnectDcrProvider');
    return provider.Properties.Issuer;
  };

  it('derives the issuer from the pool: https://cognito-idp.<region>.amazonaws.com/<poolId>', () => {
    expect(issuerOf(synth({ ...EXISTING, ...CONNECTED }))).toBe(
      `https://cognito-idp.eu-central-1.amazonaws.com/${POOL_ID}`,
    );
  });

  it("uses the created pool's issuer, and konnectIssuer over both", () => {
    const template = synth({ ...CREATED, ...CONNECTED });
    expect(issuerOf(template)).toEqual(template.findOutputs('CognitoIssuer').CognitoIssuer?.Value);
    expect(issuerOf(synth({ ...CREATED, ...CONNECTED, konnectIssuer: 'https://tokens.example.com' }))).toBe(
      'https://tokens.example.com',
    );
  });

  it('leaves refresh-secret on: the adapter rotates secrets', () => {
    const [, provider] = only(synth({ ...EXISTING, ...CONNECTED }), 'Custom::KonnectDcrProvider');
    expect(provider.Properties.DisableRefreshSecret).toBe('false');
  });
});

describe('Cognito and cdk-nag AwsSolutions', () => {
  const nag = (app: App) => Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

  it.each([
    // Without Konnect: test/infra/bridge-security.test.ts VARIANTS.
    ['an existing pool, Konnect connected, with a key', { ...EXISTING, ...CONNECTED, encryptionKey: 'create' }],
    ['a created pool, Konnect connected, with a key', { ...CREATED, ...CONNECTED, encryptionKey: 'create' }],
  ] as Array<[string, BridgeStackProps]>)('reports no unacknowledged finding (%s)', (_name, props) => {
    expect(validationViolations(nag, props)).toEqual([]);
  });

  it('acknowledges only the Plus feature plan of the created pool, with the reason', () => {
    const { stack } = synthStack(CREATED);
    const pool = stack.node.findAll().find((c) => c.node.path === 'DcrBridge/Cognito/UserPool');
    const entries = (pool?.node.metadata ?? []).filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    const ids = entries.flatMap((m) => Object.keys(m.data as Record<string, string>));
    expect(ids).toEqual(['AwsSolutions::AwsSolutions-COG8']);
    const reason = Object.values(entries[0]?.data as Record<string, string>)[0] as string;
    expect(reason).toMatch(/client credentials/);
  });
});

describe('Cognito bundle', () => {
  // Runs esbuild for real: the Cognito SDK client is in the cognito bundle, not taken from the runtime.
  it('bundles the Cognito SDK client and its SDK core, leaving only the runtime clients of the core external', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'dcr-bridge-cognito-'));
    try {
      const { app, stack } = synthStack(EXISTING, { bundle: true, outdir });
      app.synth();
      const [, fn] = only(Template.fromStack(stack), 'AWS::Lambda::Function');
      const assetDir = join(
        outdir,
        (fn as unknown as { Metadata: Record<string, string> }).Metadata['aws:asset:path'] as string,
      );
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      const { sources } = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] };
      expect(sources.some((source) => source.includes('node_modules/@aws-sdk/client-cognito-identity-provider/'))).toBe(
        true,
      );
      expect(sources.some((source) => source.includes('node_modules/@aws-sdk/core/'))).toBe(true);
      const external = [...bundle.matchAll(/(?:from\s*|import\(\s*)"(@aws-sdk\/[^"]+)"/g)].map((m) => m[1]);
      expect([...new Set(external)].sort()).toEqual([...RUNTIME_SDK_CLIENTS].sort());
      // 556 kB (generic: 147 kB) on 2026-12-04, reported in docs/idps/cognito.md; a jump means another SDK came along.
      expect(statSync(join(assetDir, 'index.mjs')).size).toBeLessThan(700_000);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
