import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BridgeStack, type BridgeStackProps } from '../../lib/bridge-stack';

// Same feature flags as `cdk synth`, so the tests see the template that gets deployed.
const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export const IMPORTED_SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:dcr-bridge/idp-AbCdEf';
export const CERTIFICATE_ARN = 'arn:aws:acm:eu-central-1:111122223333:certificate/0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d';

/** Every optional feature switched on: the "fully-featured" stack of the nag and snapshot tests. */
export const FULL_PROPS: BridgeStackProps = {
  idpType: 'generic',
  idpIssuer: 'https://idp.example.com',
  idpSecretRotation: 'update',
  logLevel: 'DEBUG',
  tracing: true,
  tracingSubsegments: true,
  reservedConcurrency: 5,
  provisionedConcurrency: 1,
  throttlingRateLimit: 5,
  throttlingBurstLimit: 10,
  wafEnabled: true,
  wafRateLimit: 200,
  allowedSourceCidrs: ['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/64'],
  domainName: 'dcr.example.com',
  certificateArn: CERTIFICATE_ARN,
  encryptionKey: 'create',
  alarmEmail: 'ops@example.com',
  apiGatewayCloudWatchRole: true,
};

export const KONNECT_TOKEN_ARN = 'arn:aws:secretsmanager:eu-central-1:111122223333:secret:konnect/token-AbCdEf';

/** Konnect connected by the stack and its key rotated on a schedule. */
export const KONNECT_PROPS: BridgeStackProps = {
  konnectRegion: 'eu',
  konnectTokenSecretArn: KONNECT_TOKEN_ARN,
  konnectKeyRotationDays: 90,
};

/** FULL_PROPS with Konnect wired as well: every function, role and alarm the stack can have. */
export const EVERYTHING_PROPS: BridgeStackProps = { ...FULL_PROPS, ...KONNECT_PROPS };

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation is untyped JSON; the assertions check its shape.
export type CfnJson = any;
export type CfnResource = { Type: string; Properties: Record<string, CfnJson>; DeletionPolicy?: string };
export type Statement = {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Condition?: unknown;
};

/** An App with the cdk.json context; without `bundle`, esbuild is skipped (the template is all most tests need). */
export function testApp({ bundle = false, outdir }: { bundle?: boolean; outdir?: string } = {}): App {
  const context = bundle
    ? { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true } // names the asset dir on the resource
    : { ...cdkJson.context, 'aws:cdk:bundling-stacks': [] };
  return new App({ context, outdir });
}

export function synthStack(
  props: BridgeStackProps = {},
  { bundle = false, outdir }: { bundle?: boolean; outdir?: string } = {},
): { app: App; stack: BridgeStack } {
  const app = testApp({ bundle, outdir });
  return { app, stack: new BridgeStack(app, 'DcrBridge', props) };
}

export function synth(props: BridgeStackProps = {}): Template {
  return Template.fromStack(synthStack(props).stack);
}

export function resources(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type)) as [string, CfnResource][];
}

/** The single resource of a type (whose logical id starts with the prefix, when given). */
export function only(template: Template, type: string, prefix = ''): [string, CfnResource] {
  const entries = resources(template, type).filter(([id]) => id.startsWith(prefix));
  expect(entries).toHaveLength(1);
  return entries[0] as [string, CfnResource];
}

/** Statements of the policy of the role with this logical id prefix: by default the bridge function's. */
export function policyStatements(template: Template, rolePrefix = 'BridgeRole'): Statement[] {
  const policies = resources(template, 'AWS::IAM::Policy').filter(([, policy]) =>
    (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref.startsWith(rolePrefix)),
  );
  expect(policies).toHaveLength(1);
  return (policies[0] as [string, CfnResource])[1].Properties.PolicyDocument.Statement;
}

export function actionsOf(statement: { Action: string | string[] }): string[] {
  return ([] as string[]).concat(statement.Action);
}

/** Environment of the function with this logical id prefix: by default the bridge's. */
export function environment(template: Template, functionPrefix = 'BridgeFunction'): Record<string, unknown> {
  const [, fn] = only(template, 'AWS::Lambda::Function', functionPrefix);
  return fn.Properties.Environment.Variables;
}

/** Logical id of the single resource of a type whose id starts with the prefix. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = resources(template, type)
    .map(([id]) => id)
    .filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
}

export interface Violation {
  plugin: string;
  rule: string;
  paths: string[];
  description: string;
}

/**
 * Synthesizes the app with its validation plugins and returns every reported violation
 * (unacknowledged findings of all plugins, warnings included); an empty list when clean.
 */
export function validationViolations(configure: (app: App) => void, props: BridgeStackProps): Violation[] {
  const outdir = mkdtempSync(join(tmpdir(), 'dcr-bridge-nag-'));
  try {
    const { app } = synthStack(props, { outdir });
    configure(app);
    let synthError: unknown;
    try {
      app.synth();
    } catch (error) {
      // Validation failures throw after writing the report; checked below.
      synthError = error;
    }
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: Array<{
        pluginName: string;
        violations: Array<{ ruleName: string; description: string; violatingConstructs: { constructPath: string }[] }>;
      }>;
    };
    const violations = report.pluginReports.flatMap((plugin) =>
      plugin.violations.map((violation) => ({
        plugin: plugin.pluginName,
        rule: violation.ruleName,
        paths: violation.violatingConstructs.map((c) => c.constructPath),
        description: violation.description,
      })),
    );
    // A synth that failed without reporting a violation failed for another reason.
    if (synthError !== undefined && violations.length === 0) throw synthError;
    return violations;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
