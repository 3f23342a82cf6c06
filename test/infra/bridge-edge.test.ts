import { describe, expect, it } from '@jest/globals';
import { Match } from 'aws-cdk-lib/assertions';
import { MAX_BODY_BYTES } from '../../lib/bridge-waf';
import { CERTIFICATE_ARN, type CfnJson, logicalId, only, resources, synth } from './synth';

describe('stage throttling', () => {
  it('defaults to 10 requests per second with a burst of 20, on every method', () => {
    const [, stage] = only(synth(), 'AWS::ApiGateway::Stage');
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        HttpMethod: '*',
        ResourcePath: '/*',
        ThrottlingRateLimit: 10,
        ThrottlingBurstLimit: 20,
      }),
    ]);
  });

  it('takes rate and burst from the props', () => {
    const [, stage] = only(synth({ throttlingRateLimit: 2.5, throttlingBurstLimit: 5 }), 'AWS::ApiGateway::Stage');
    expect(stage.Properties.MethodSettings).toEqual([
      expect.objectContaining({ ThrottlingRateLimit: 2.5, ThrottlingBurstLimit: 5 }),
    ]);
  });

  it('answers a throttled request with 429 in the contract error shape', () => {
    const template = synth();
    const [, response] = resources(template, 'AWS::ApiGateway::GatewayResponse').find(
      ([, r]) => r.Properties.ResponseType === 'THROTTLED',
    ) as [string, CfnJson];
    expect(response.Properties.StatusCode).toBe('429');
    expect(JSON.parse(response.Properties.ResponseTemplates['application/json'])).toEqual({
      error: 'rate_limited',
      error_description: expect.stringContaining('throttle'),
    });
  });

  it('refuses a rate that is not positive', () => {
    expect(() => synth({ throttlingRateLimit: 0 })).toThrow(/throttlingRateLimit must be a positive number/);
  });
});

describe('reserved concurrency', () => {
  it('is unset by default and set when given', () => {
    const [, fn] = only(synth(), 'AWS::Lambda::Function');
    expect(fn.Properties.ReservedConcurrentExecutions).toBeUndefined();
    synth({ reservedConcurrency: 5 }).hasResourceProperties('AWS::Lambda::Function', {
      ReservedConcurrentExecutions: 5,
    });
  });

  it('refuses zero, which would disable the function', () => {
    expect(() => synth({ reservedConcurrency: 0 })).toThrow(/reservedConcurrency must be a positive integer/);
  });
});

describe('AWS WAF', () => {
  it('is off by default', () => {
    const template = synth();
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('with wafEnabled: a regional web ACL on the stage with a per-IP rate rule and a 64 KB body limit', () => {
    const template = synth({ wafEnabled: true });
    const [aclId, acl] = only(template, 'AWS::WAFv2::WebACL');
    expect(acl.Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      // WAF inspects only 16 KB of an API Gateway body unless told otherwise.
      AssociationConfig: { RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_64' } } },
    });
    const rules = acl.Properties.Rules as Array<Record<string, CfnJson>>;
    expect(rules.map((r) => [r.Priority, r.Name])).toEqual([
      [0, 'RatePerSourceIp'],
      [1, 'BodyLargerThan64KB'],
    ]);
    expect(rules[0]).toMatchObject({
      Action: { Block: {} },
      Statement: { RateBasedStatement: { Limit: 300, AggregateKeyType: 'IP' } },
    });
    expect(rules[1]).toMatchObject({
      Action: { Block: {} },
      Statement: {
        SizeConstraintStatement: {
          FieldToMatch: { Body: { OversizeHandling: 'MATCH' } },
          ComparisonOperator: 'GT',
          Size: 65536,
        },
      },
    });
    expect(MAX_BODY_BYTES).toBe(65536);
    // Sampled requests would keep the X-API-KEY header.
    for (const config of [acl.Properties.VisibilityConfig, ...rules.map((r) => r.VisibilityConfig)]) {
      expect(config).toMatchObject({ SampledRequestsEnabled: false, CloudWatchMetricsEnabled: true });
    }
    const [, association] = only(template, 'AWS::WAFv2::WebACLAssociation');
    expect(association.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
    const stageArn = JSON.stringify(association.Properties.ResourceArn);
    expect(stageArn).toContain('/restapis/');
    expect(stageArn).toContain('/stages/');
    expect(stageArn).toContain(logicalId(template, 'AWS::ApiGateway::Stage', 'ApiRestApiDeploymentStageprod'));
  });

  it('answers a request WAF blocked with 403 in the contract error shape, naming WAF', () => {
    const [, response] = resources(synth({ wafEnabled: true }), 'AWS::ApiGateway::GatewayResponse').find(
      ([, r]) => r.Properties.ResponseType === 'WAF_FILTERED',
    ) as [string, CfnJson];
    expect(response.Properties.StatusCode).toBe('403');
    expect(JSON.parse(response.Properties.ResponseTemplates['application/json'])).toEqual({
      error: 'forbidden',
      error_description: expect.stringContaining('WAF'),
    });
  });

  it('takes the rate limit from the props', () => {
    const [, acl] = only(synth({ wafEnabled: true, wafRateLimit: 100 }), 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Rules[0].Statement.RateBasedStatement.Limit).toBe(100);
  });

  it('blocks every source outside allowedSourceCidrs, first, with one IP set per address family', () => {
    const template = synth({
      wafEnabled: true,
      allowedSourceCidrs: ['203.0.113.0/24', '2001:db8::/64', '198.51.100.7/32'],
    });
    const ipSets = resources(template, 'AWS::WAFv2::IPSet');
    const byVersion = Object.fromEntries(ipSets.map(([id, s]) => [s.Properties.IPAddressVersion, [id, s.Properties]]));
    expect(byVersion.IPV4?.[1]).toMatchObject({ Scope: 'REGIONAL', Addresses: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(byVersion.IPV6?.[1]).toMatchObject({ Scope: 'REGIONAL', Addresses: ['2001:db8::/64'] });
    const [, acl] = only(template, 'AWS::WAFv2::WebACL');
    const first = acl.Properties.Rules[0];
    expect(first).toMatchObject({ Name: 'SourceNotAllowed', Priority: 0, Action: { Block: {} } });
    expect(first.Statement).toEqual({
      NotStatement: {
        Statement: {
          OrStatement: {
            Statements: [
              { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [byVersion.IPV4?.[0], 'Arn'] } } },
              { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [byVersion.IPV6?.[0], 'Arn'] } } },
            ],
          },
        },
      },
    });
  });

  it('uses the IP set directly when only one address family is allowed', () => {
    const template = synth({ wafEnabled: true, allowedSourceCidrs: ['203.0.113.0/24'] });
    const [ipSetId] = only(template, 'AWS::WAFv2::IPSet');
    const [, acl] = only(template, 'AWS::WAFv2::WebACL');
    expect(acl.Properties.Rules[0].Statement).toEqual({
      NotStatement: { Statement: { IPSetReferenceStatement: { Arn: { 'Fn::GetAtt': [ipSetId, 'Arn'] } } } },
    });
  });

  it.each([
    [{ wafEnabled: true, allowedSourceCidrs: ['203.0.113.300/24'] }, /not an IPv4 CIDR/],
    [{ wafEnabled: true, allowedSourceCidrs: ['203.0.113.7'] }, /not an IPv4 CIDR/],
    [{ wafEnabled: true, allowedSourceCidrs: ['2001:db8::/129'] }, /not an IPv6 CIDR/],
    [{ wafEnabled: true, wafRateLimit: 5 }, /wafRateLimit must be an integer from 10/],
    [{ allowedSourceCidrs: ['203.0.113.0/24'] }, /allowedSourceCidrs is enforced by AWS WAF: set wafEnabled/],
    [{ wafRateLimit: 100 }, /wafRateLimit is a WAF rule: set wafEnabled/],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('custom domain', () => {
  it('is absent by default', () => {
    const template = synth();
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    expect(template.findOutputs('CustomDomainTarget')).toEqual({});
  });

  it('maps a regional TLS 1.2 domain at its root to the stage, and becomes the DCR base URL', () => {
    const template = synth({ domainName: 'dcr.example.com', certificateArn: CERTIFICATE_ARN });
    const [domainId, domain] = only(template, 'AWS::ApiGateway::DomainName');
    expect(domain.Properties).toMatchObject({
      DomainName: 'dcr.example.com',
      RegionalCertificateArn: CERTIFICATE_ARN,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
    const [, mapping] = only(template, 'AWS::ApiGateway::BasePathMapping');
    expect(mapping.Properties).toEqual({
      DomainName: { Ref: domainId },
      RestApiId: { Ref: logicalId(template, 'AWS::ApiGateway::RestApi', 'ApiRestApi') },
      Stage: { Ref: logicalId(template, 'AWS::ApiGateway::Stage', 'ApiRestApiDeploymentStageprod') },
    });
    template.hasOutput('DcrBaseUrl', { Value: 'https://dcr.example.com' });
    template.hasOutput('CustomDomainTarget', { Value: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] } });
    template.hasOutput('CustomDomainHostedZoneId', { Value: { 'Fn::GetAtt': [domainId, 'RegionalHostedZoneId'] } });
    template.hasOutput('ExecuteApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });

  it.each([
    [{ domainName: 'dcr.example.com' }, /domainName and certificateArn go together/],
    [{ certificateArn: CERTIFICATE_ARN }, /domainName and certificateArn go together/],
    [
      { domainName: 'https://dcr.example.com', certificateArn: CERTIFICATE_ARN },
      /domainName must be a lower-case host name/,
    ],
    [{ domainName: 'dcr.example.com', certificateArn: 'my-cert' }, /certificateArn must be an ACM certificate ARN/],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});
