import { describe, expect, it } from '@jest/globals';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { BridgeStack, type BridgeStackProps } from '../../lib/bridge-stack';
import { CERTIFICATE_ARN, type CfnJson, type CfnResource, EVERYTHING_PROPS, environment, testApp } from './synth';

/**
 * `*Name` properties that name something inside its parent (a policy of a role, a stage of an
 * API, an alias of a function, a rule of a web ACL, a key attribute) or refer to what exists
 * (the metric an alarm watches): these may repeat across stacks. Every other literal `*Name` is
 * an account- or region-wide name, or one an operator reads to tell two bridges apart.
 */
const SCOPED_NAMES: Record<string, RegExp> = {
  'AWS::IAM::Policy': /^PolicyName$/,
  'AWS::ApiGateway::Stage': /^StageName$/,
  'AWS::Lambda::Alias': /^Name$/,
  'AWS::WAFv2::WebACL': /^Rules\.Name$/,
  'AWS::DynamoDB::Table': /AttributeName$/,
  'AWS::CloudWatch::Alarm': /(^|\.)(MetricName|Dimensions\.Name)$/,
};

/** [type.path, value] of every literal `*Name` property of the template that is not scoped. */
function explicitNames(template: Template): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const visit = (type: string, path: string, value: CfnJson) => {
    if (Array.isArray(value)) {
      for (const item of value) visit(type, path, item);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    for (const [key, child] of Object.entries(value as Record<string, CfnJson>)) {
      const childPath = path ? `${path}.${key}` : key;
      const scoped = SCOPED_NAMES[type]?.test(childPath) ?? false;
      if (key.endsWith('Name') && typeof child === 'string' && !scoped) found.push([`${type} ${childPath}`, child]);
      visit(type, childPath, child);
    }
  };
  const template_ = template.toJSON() as { Resources: Record<string, CfnResource> };
  for (const resource of Object.values(template_.Resources)) visit(resource.Type, '', resource.Properties);
  return found;
}

/** Two fully featured bridges side by side: each with its own domain (an operator's choice, not derived). */
function twoStacks(): [Template, Template] {
  const app = testApp();
  const stack = (name: string, domainName: string, props: BridgeStackProps = {}) =>
    new BridgeStack(app, name, { ...EVERYTHING_PROPS, domainName, certificateArn: CERTIFICATE_ARN, ...props });
  // Both in the App before the first synth, as `cdk synth` of an app with two stacks would have them.
  const partners = stack('dcr-okta-partners', 'partners.example.com');
  const internal = stack('dcr-entra-internal', 'internal.example.com', { apiGatewayCloudWatchRole: false });
  return [Template.fromStack(partners), Template.fromStack(internal)];
}

describe('two bridges in one account and region', () => {
  const [partners, internal] = twoStacks();

  it('share no physical name: every explicit name derives from the stack name', () => {
    const a = explicitNames(partners);
    const b = explicitNames(internal);
    // Alarms, dashboard, saved queries, API, WAF metrics, topic, Konnect provider, custom domain.
    expect(a.length).toBeGreaterThan(15);
    expect(a.map(([where]) => where).sort()).toEqual(b.map(([where]) => where).sort());
    const namesOfB = new Set(b.map(([, name]) => name));
    expect(a.filter(([, name]) => namesOfB.has(name))).toEqual([]);
    for (const [where, name] of a) {
      if (where.startsWith('AWS::ApiGateway::DomainName')) continue;
      expect(`${where} ${name}`).toContain('dcr-okta-partners');
    }
  });

  it("count only their own requests: the metrics service dimension is each bridge's stack name", () => {
    for (const [template, name, other] of [
      [partners, 'dcr-okta-partners', 'dcr-entra-internal'],
      [internal, 'dcr-entra-internal', 'dcr-okta-partners'],
    ] as const) {
      expect(environment(template).POWERTOOLS_SERVICE_NAME).toBe(name);
      const text = JSON.stringify(template.toJSON());
      // Alarms (Name/Value pairs) and the dashboard (its body is one escaped JSON string).
      expect(text).toContain(`{"Name":"service","Value":"${name}"}`);
      expect(text).toContain(`\\"service\\",\\"${name}\\"`);
      expect(text).toContain(`service=\\\\\\"${name}\\\\\\"`);
      expect(text).not.toContain(other);
      expect(text).not.toMatch(/"service\\?",\\?"dcr-bridge/);
    }
  });

  it('connect each to its own Konnect DCR provider, named and labelled after the stack', () => {
    for (const [template, name] of [
      [partners, 'dcr-okta-partners'],
      [internal, 'dcr-entra-internal'],
    ] as const) {
      template.hasResourceProperties('Custom::KonnectDcrProvider', { ProviderName: name, StackLabel: name });
    }
  });
});

describe('stack names', () => {
  const synthNamed = (name: string, props: BridgeStackProps = {}) =>
    Template.fromStack(new BridgeStack(testApp(), name, props));

  it('accept the longest CloudFormation stack name, which then names everything', () => {
    const name = `a${'b'.repeat(127)}`;
    const template = synthNamed(name, { alarmEmail: 'ops@example.com' });
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: name });
    // SNS display names are at most 100 characters.
    template.hasResourceProperties('AWS::SNS::Topic', { DisplayName: `DCR bridge alarms: ${name}`.slice(0, 100) });
  });

  it('refuse a name WAF metric names cannot carry with wafEnabled (128 characters with the longest suffix)', () => {
    const longest = `a${'b'.repeat(108)}`;
    synthNamed(longest, { wafEnabled: true }).hasResourceProperties('AWS::WAFv2::WebACL', {
      Rules: Match.arrayWith([
        Match.objectLike({ VisibilityConfig: Match.objectLike({ MetricName: `${longest}-BodyLargerThan64KB` }) }),
      ]),
    });
    expect(`${longest}-BodyLargerThan64KB`).toHaveLength(128);
    expect(() => synthNamed(`${longest}c`, { wafEnabled: true })).toThrow(/the stack name is at most 109 characters/);
  });

  it('refuse a stack name CloudFormation would refuse', () => {
    // CDK checks a stack name it is given; -c stackName is checked before (bin/dcr-bridge.ts,
    // stackNameFromContext), as CDK would silently shorten a construct id over 128 characters.
    expect(() => synthNamed('dcr_bridge')).toThrow(/Stack name must match/);
    expect(() => new BridgeStack(testApp(), 'Construct', { stackName: `a${'b'.repeat(128)}` })).toThrow(
      /Stack name must be <= 128 characters/,
    );
  });
});
