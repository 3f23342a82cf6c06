import { Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnIPSet, CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { sourceCidrs } from './source-cidrs';

export interface BridgeWafProps {
  /** The stage the web ACL protects. */
  readonly stage: Stage;
  /**
   * Requests per 5 minutes from one IP address before WAF blocks it.
   * @default 300
   */
  readonly rateLimit?: number;
  /**
   * The only source CIDRs let through (IPv4 and IPv6); the API's resource policy enforces the
   * same list, this rule blocks them earlier and counts them in WAF's metrics.
   * @default - every source address
   */
  readonly allowedSourceCidrs?: readonly string[];
}

/**
 * Largest body WAF lets through. The bridge's own field limits allow a create body of roughly
 * 55 KB (20 redirect URIs of 2000 characters, 50 scopes of 200), so 64 KB blocks nothing valid.
 * WAF inspects 16 KB of an API Gateway body by default; the web ACL raises that to 64 KB so the
 * rule sees the whole body, and anything larger counts as oversize, which this rule blocks.
 */
export const MAX_BODY_BYTES = 64 * 1024;

const MAX_METRIC_PREFIX_LENGTH = 128 - '-BodyLargerThan64KB'.length;

/**
 * An AWS WAF web ACL on the stage: optional IP allow-list (Konnect's egress addresses), a per-IP
 * rate-based rule, and a body size limit. Every rule has CloudWatch metrics.
 */
export class BridgeWaf extends Construct {
  public readonly webAcl: CfnWebACL;

  constructor(scope: Construct, id: string, props: BridgeWafProps) {
    super(scope, id);
    const rateLimit = props.rateLimit ?? 300;
    if (!Number.isInteger(rateLimit) || rateLimit < 10 || rateLimit > 2_000_000_000) {
      throw new Error(`wafRateLimit must be an integer from 10 to 2000000000 requests per 5 minutes, got ${rateLimit}`);
    }
    const metricPrefix = Stack.of(this).stackName;
    // WAF metric names are at most 128 characters; the longest is the prefix and "-BodyLargerThan64KB".
    if (metricPrefix.length > MAX_METRIC_PREFIX_LENGTH) {
      throw new Error(
        `With wafEnabled the stack name is at most ${MAX_METRIC_PREFIX_LENGTH} characters (it prefixes the WAF metric names, which WAF limits to 128), got ${metricPrefix.length}`,
      );
    }

    const rules: Omit<CfnWebACL.RuleProperty, 'priority'>[] = [];
    if (props.allowedSourceCidrs && props.allowedSourceCidrs.length > 0) {
      rules.push(this.allowListRule(props.allowedSourceCidrs, metricPrefix));
    }
    rules.push(
      rule('RatePerSourceIp', metricPrefix, { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } }),
    );
    rules.push(
      rule('BodyLargerThan64KB', metricPrefix, {
        sizeConstraintStatement: {
          fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
          comparisonOperator: 'GT',
          size: MAX_BODY_BYTES,
          textTransformations: [{ priority: 0, type: 'NONE' }],
        },
      }),
    );

    this.webAcl = new CfnWebACL(this, 'WebAcl', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description: 'DCR bridge: Konnect-only edge protection',
      rules: rules.map((r, priority) => ({ ...r, priority })),
      associationConfig: { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: 'KB_64' } } },
      visibilityConfig: visibility(`${metricPrefix}-WebAcl`),
    });
    new CfnWebACLAssociation(this, 'Association', {
      resourceArn: props.stage.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }

  /** Blocks every source outside the CIDRs; IPv4 and IPv6 need an IP set each. */
  private allowListRule(cidrs: readonly string[], metricPrefix: string): Omit<CfnWebACL.RuleProperty, 'priority'> {
    const normalized = sourceCidrs(cidrs);
    const ipv4 = normalized.filter((cidr) => !cidr.includes(':'));
    const ipv6 = normalized.filter((cidr) => cidr.includes(':'));
    const references: CfnWebACL.StatementProperty[] = [];
    if (ipv4.length > 0) references.push(this.ipSetReference('AllowedIpv4', 'IPV4', ipv4));
    if (ipv6.length > 0) references.push(this.ipSetReference('AllowedIpv6', 'IPV6', ipv6));
    const [only] = references;
    const allowed = references.length === 1 && only ? only : { orStatement: { statements: references } };
    return rule('SourceNotAllowed', metricPrefix, { notStatement: { statement: allowed } });
  }

  private ipSetReference(id: string, version: 'IPV4' | 'IPV6', addresses: string[]): CfnWebACL.StatementProperty {
    const ipSet = new CfnIPSet(this, id, {
      scope: 'REGIONAL',
      ipAddressVersion: version,
      addresses,
      description: 'Source addresses allowed to call the DCR bridge, Konnect egress',
    });
    return { ipSetReferenceStatement: { arn: ipSet.attrArn } };
  }
}

function rule(
  name: string,
  metricPrefix: string,
  statement: CfnWebACL.StatementProperty,
): Omit<CfnWebACL.RuleProperty, 'priority'> {
  return { name, action: { block: {} }, statement, visibilityConfig: visibility(`${metricPrefix}-${name}`) };
}

function visibility(metricName: string): CfnWebACL.VisibilityConfigProperty {
  // No sampled requests: WAF keeps their headers, and these carry the X-API-KEY. The access log's
  // wafResponseCode says which requests WAF blocked.
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: false, metricName };
}
