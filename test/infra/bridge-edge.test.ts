import { describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { unauthorized } from '../../functions/commons/bridge-error';
import { API_KEY_HEADER } from '../../lib/bridge-api';
import { MAX_BODY_BYTES } from '../../lib/bridge-waf';
import { CERTIFICATE_ARN, type CfnJson, type CfnResource, logicalId, only, resources, synth } from './synth';

function gatewayResponse(template: Template, type: string): CfnResource | undefined {
  return resources(template, 'AWS::ApiGateway::GatewayResponse').find(
    ([, r]) => r.Properties.ResponseType === type,
  )?.[1];
}

function restApi(template: Template): CfnResource {
  return only(template, 'AWS::ApiGateway::RestApi')[1];
}

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

describe('source allow-list (API resource policy)', () => {
  const cidrs = ['203.0.113.0/24', '198.51.100.7/32', '2001:db8::/64'];

  it('is absent by default: no resource policy, every source may call', () => {
    const template = synth();
    expect(restApi(template).Properties.Policy).toBeUndefined();
    expect(gatewayResponse(template, 'ACCESS_DENIED')).toBeUndefined();
  });

  // Finding 3 (issue 9): the allow-list used to require WAF (a monthly fee); it is now a free
  // resource policy that denies every source outside the list, WAF or not.
  it('without WAF: allows Invoke to all, then denies every source outside allowedSourceCidrs', () => {
    const template = synth({ allowedSourceCidrs: cidrs });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(restApi(template).Properties.Policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowInvoke',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
        },
        {
          Sid: 'DenySourcesOutsideAllowList',
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'execute-api:Invoke',
          Resource: 'execute-api:/*',
          Condition: { NotIpAddress: { 'aws:SourceIp': cidrs } },
        },
      ],
    });
  });

  it('answers a denied source with 403 in the contract error shape, naming the allow-list but no setting', () => {
    const response = gatewayResponse(synth({ allowedSourceCidrs: cidrs }), 'ACCESS_DENIED');
    expect(response?.Properties.StatusCode).toBe('403');
    const body = response?.Properties.ResponseTemplates['application/json'] as string;
    expect(body).not.toMatch(/[$#]/);
    expect(body).not.toContain('allowedSourceCidrs');
    expect(JSON.parse(body)).toEqual({ error: 'forbidden', error_description: expect.stringContaining('allow-list') });
  });

  it('takes bare addresses (as Kong publishes them) as one host each', () => {
    const template = synth({ allowedSourceCidrs: ['203.0.113.7', '2001:db8::1', ' 198.51.100.0/24 '] });
    const deny = restApi(template).Properties.Policy.Statement[1];
    expect(deny.Condition.NotIpAddress['aws:SourceIp']).toEqual([
      '203.0.113.7/32',
      '2001:db8::1/128',
      '198.51.100.0/24',
    ]);
  });

  it('redeploys the stage when the list changes (a resource policy applies only with a new deployment)', () => {
    const deploymentId = (allowedSourceCidrs?: string[]) =>
      logicalId(synth({ allowedSourceCidrs }), 'AWS::ApiGateway::Deployment', 'ApiRestApiDeployment');
    const first = deploymentId(['203.0.113.0/24']);
    expect(deploymentId(['203.0.113.0/24'])).toBe(first);
    expect(deploymentId(['198.51.100.0/24'])).not.toBe(first);
    expect(deploymentId()).not.toBe(first);
  });

  it('with WAF as well: the same list is also a WAF rule, which blocks first', () => {
    const template = synth({ wafEnabled: true, allowedSourceCidrs: ['203.0.113.7'] });
    const [, ipSet] = only(template, 'AWS::WAFv2::IPSet');
    expect(ipSet.Properties.Addresses).toEqual(['203.0.113.7/32']);
    expect(restApi(template).Properties.Policy.Statement[1].Condition).toEqual({
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.7/32'] },
    });
  });

  it.each([
    ['203.0.113.300/24', /203\.0\.113\.300\/24 is not an IPv4 CIDR/],
    ['203.0.113.0/0', /not an IPv4 CIDR/],
    ['203.0.113.0/33', /not an IPv4 CIDR/],
    ['203.0.113.0/24/8', /not an IPv4 CIDR/],
    ['example.com', /not an IPv4 CIDR/],
    ['2001:db8::/129', /not an IPv6 CIDR/],
    ['2001:zz8::/64', /not an IPv6 CIDR/],
  ])('refuses %s', (cidr, message) => {
    expect(() => synth({ allowedSourceCidrs: [cidr] })).toThrow(message);
  });
});

describe('X-API-KEY header at the gateway', () => {
  const template = synth();

  // Finding 3 (issue 9): a request without the key used to invoke the function; API Gateway now
  // refuses it before Lambda runs.
  it('is a required request parameter of every route, checked by a parameters-only validator', () => {
    const [validatorId, validator] = only(template, 'AWS::ApiGateway::RequestValidator');
    expect(validator.Properties).toMatchObject({ ValidateRequestParameters: true, ValidateRequestBody: false });
    const methods = resources(template, 'AWS::ApiGateway::Method');
    expect(methods).toHaveLength(7);
    for (const [, method] of methods) {
      // The only required parameter: a failed parameter check can only mean a missing key.
      expect(method.Properties.RequestParameters).toEqual({ [API_KEY_HEADER]: true });
      expect(method.Properties.RequestValidatorId).toEqual({ Ref: validatorId });
    }
    expect(API_KEY_HEADER).toBe('method.request.header.X-API-KEY');
  });

  it("answers a request without it with the bridge's own 401, word for word", () => {
    const response = gatewayResponse(template, 'BAD_REQUEST_PARAMETERS');
    expect(response?.Properties.StatusCode).toBe('401');
    const body = response?.Properties.ResponseTemplates['application/json'] as string;
    // A mapping template: "$" or "#" would be read as Velocity.
    expect(body).not.toMatch(/[$#]/);
    const bridge401 = unauthorized();
    expect(JSON.parse(body)).toEqual({ error: bridge401.error, error_description: bridge401.description });
    expect(JSON.parse(body)).toEqual({
      error: 'unauthorized',
      error_description: 'Missing or invalid X-API-KEY header.',
    });
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

describe('provisioned concurrency', () => {
  it('is off by default: no version, no alias, API Gateway calls the function', () => {
    const template = synth();
    template.resourceCountIs('AWS::Lambda::Alias', 0);
    template.resourceCountIs('AWS::Lambda::Version', 0);
  });

  it('with provisionedConcurrency: an alias carries it, and API Gateway calls only that alias', () => {
    const template = synth({ provisionedConcurrency: 2 });
    const [aliasId, alias] = only(template, 'AWS::Lambda::Alias');
    expect(alias.Properties).toMatchObject({
      Name: 'live',
      ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 },
      FunctionVersion: { 'Fn::GetAtt': [expect.stringMatching(/^BridgeFunctionCurrentVersion/), 'Version'] },
    });
    const methods = resources(template, 'AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThan(0);
    for (const [, method] of methods) {
      expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`{"Ref":"${aliasId}"}`);
    }
    const permissions = resources(template, 'AWS::Lambda::Permission');
    expect(permissions.length).toBeGreaterThan(0);
    for (const [, permission] of permissions) expect(permission.Properties.FunctionName).toEqual({ Ref: aliasId });
  });

  it('refuses a negative or fractional count, and more than the reserved concurrency', () => {
    expect(() => synth({ provisionedConcurrency: -1 })).toThrow(/provisionedConcurrency must be a whole number/);
    expect(() => synth({ provisionedConcurrency: 1.5 })).toThrow(/provisionedConcurrency must be a whole number/);
    expect(() => synth({ reservedConcurrency: 2, provisionedConcurrency: 3 })).toThrow(
      /provisionedConcurrency \(3\) cannot exceed reservedConcurrency \(2\)/,
    );
  });
});

describe('memory size', () => {
  it('is 1769 MB (one vCPU) by default and set when given', () => {
    synth().hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1769 });
    synth({ memorySize: 1024 }).hasResourceProperties('AWS::Lambda::Function', { MemorySize: 1024 });
  });

  it('refuses sizes Lambda does not offer', () => {
    expect(() => synth({ memorySize: 64 })).toThrow(/memorySize must be an integer from 128 to 10240/);
    expect(() => synth({ memorySize: 20000 })).toThrow(/memorySize must be an integer from 128 to 10240/);
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
    [{ wafEnabled: true, allowedSourceCidrs: ['2001:db8::/129'] }, /not an IPv6 CIDR/],
    [{ wafEnabled: true, wafRateLimit: 5 }, /wafRateLimit must be an integer from 10/],
    [{ wafRateLimit: 100 }, /wafRateLimit is a WAF rule: set wafEnabled/],
  ])('refuses %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('custom domain', () => {
  it('is absent by default, and the execute-api URL is the DCR base URL', () => {
    const template = synth();
    template.resourceCountIs('AWS::ApiGateway::DomainName', 0);
    template.resourceCountIs('AWS::ApiGateway::BasePathMapping', 0);
    expect(template.findOutputs('CustomDomainTarget')).toEqual({});
    expect(restApi(template).Properties.DisableExecuteApiEndpoint).toBe(false);
    const baseUrl = JSON.stringify(template.findOutputs('DcrBaseUrl').DcrBaseUrl?.Value);
    expect(baseUrl).toContain('.execute-api.');
  });

  // Finding 7 (issue 9): behind a custom domain the execute-api URL stayed open as a second way in.
  it('switches the default execute-api endpoint off, so only the domain answers', () => {
    const template = synth({ domainName: 'dcr.example.com', certificateArn: CERTIFICATE_ARN });
    expect(restApi(template).Properties.DisableExecuteApiEndpoint).toBe(true);
    // No output offers the dead stage URL; the DCR base URL is the domain's.
    expect(template.findOutputs('ExecuteApiUrl')).toEqual({});
    template.hasOutput('DcrBaseUrl', { Value: 'https://dcr.example.com' });
    // The setting applies only with a new deployment.
    const deploymentId = (props: object) =>
      logicalId(synth(props), 'AWS::ApiGateway::Deployment', 'ApiRestApiDeployment');
    expect(deploymentId({ domainName: 'dcr.example.com', certificateArn: CERTIFICATE_ARN })).not.toBe(deploymentId({}));
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
