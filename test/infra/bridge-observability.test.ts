import { describe, expect, it } from '@jest/globals';
import type { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ACCESS_LOG_FIELDS } from '../../lib/access-log-format';
import { ID_PLACEHOLDER } from '../../lib/bridge-log-queries';
import { OUTCOMES } from '../../lib/bridge-metrics';
import {
  actionsOf,
  type CfnJson,
  type CfnResource,
  environment,
  FULL_PROPS,
  logicalId,
  only,
  policyStatements,
  resources,
  synth,
} from './synth';

const ALARMS = ['Api5xx', 'IdpErrorRatio', 'AuthFailures', 'LambdaErrors', 'LambdaThrottles', 'DurationP99'];

function alarm(template: Template, name: string): CfnResource {
  const found = resources(template, 'AWS::CloudWatch::Alarm').filter(
    ([, a]) => a.Properties.AlarmName === `DcrBridge-${name}`,
  );
  expect(found).toHaveLength(1);
  return (found[0] as [string, CfnResource])[1];
}

/** The stage's access log format with the one unquoted value quoted, so it parses as JSON. */
function accessLogFields(template: Template): Record<string, string> {
  const [, stage] = only(template, 'AWS::ApiGateway::Stage');
  const format: string = stage.Properties.AccessLogSetting.Format;
  return JSON.parse(format.replace('$context.error.messageString', '"$context.error.messageString"'));
}

describe('API access log', () => {
  const template = synth();

  it('goes to its own log group, as one JSON object per request', () => {
    const [, stage] = only(template, 'AWS::ApiGateway::Stage');
    expect(stage.Properties.AccessLogSetting.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalId(template, 'AWS::Logs::LogGroup', 'ApiAccessLog'), 'Arn'],
    });
    expect(Object.keys(accessLogFields(template))).toEqual(Object.keys(ACCESS_LOG_FIELDS));
  });

  it('records who called what, the answer, latencies and the error message', () => {
    expect(accessLogFields(template)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
      requestTime: '$context.requestTime',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      status: '$context.status',
      responseLength: '$context.responseLength',
      integrationLatency: '$context.integrationLatency',
      errorMessage: '$context.error.messageString',
    });
  });

  it('contains no header, body or request parameter, so the X-API-KEY never lands there', () => {
    const [, stage] = only(template, 'AWS::ApiGateway::Stage');
    const format: string = stage.Properties.AccessLogSetting.Format;
    expect(format).not.toMatch(/header|\$input|\$method\.request|requestOverride|api[-_]?key|authorizer/i);
    // Every value is a $context variable API Gateway computes itself.
    for (const value of Object.values(accessLogFields(template))) expect(value).toMatch(/^\$context\.[a-zA-Z.]+$/);
  });

  it('keeps execution logging and data tracing off', () => {
    const [, stage] = only(template, 'AWS::ApiGateway::Stage');
    for (const setting of stage.Properties.MethodSettings) {
      expect(setting.LoggingLevel).toBeUndefined();
      expect(setting.DataTraceEnabled).toBe(false);
    }
  });
});

describe('log retention', () => {
  it.each([
    ['default props', {}, 30],
    ['all features', FULL_PROPS, 30],
    ['logRetentionDays 90', { logRetentionDays: RetentionDays.THREE_MONTHS }, 90],
  ])('is set on every log group (%s)', (_name, props, days) => {
    const template = synth(props);
    const groups = resources(template, 'AWS::Logs::LogGroup');
    // The bridge's own group and the access log; API Gateway creates none (no execution logging).
    expect(groups.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual(['ApiAccessLog', 'BridgeLogGroup']);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(days);
    // No CDK LogRetention helper, which would be a Lambda with a log group of its own.
    expect(resources(template, 'Custom::LogRetention')).toEqual([]);
    template.resourceCountIs('AWS::Lambda::Function', 1);
  });
});

describe('tracing', () => {
  it('is on by default: active X-Ray on the function and tracing on the stage', () => {
    const template = synth();
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
    expect(policyStatements(template).flatMap(actionsOf)).toEqual(
      expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']),
    );
  });

  it("leaves the bridge's own subsegments out by default: the bundle holds no Powertools Tracer", () => {
    // Lambda records the invocation itself; the bundle without the X-Ray SDK says so to Powertools too.
    expect(environment(synth()).POWERTOOLS_TRACE_ENABLED).toBe('false');
  });

  it('adds them with tracingSubsegments, which needs tracing', () => {
    const template = synth({ tracingSubsegments: true });
    template.hasResourceProperties('AWS::Lambda::Function', { TracingConfig: { Mode: 'Active' } });
    expect(environment(template)).not.toHaveProperty('POWERTOOLS_TRACE_ENABLED');
    expect(() => synth({ tracing: false, tracingSubsegments: true })).toThrow(
      /tracingSubsegments adds to active tracing: set tracing as well/,
    );
  });

  it('is off everywhere with tracing: false, including the Powertools Tracer and the X-Ray grant', () => {
    const template = synth({ tracing: false });
    const [, fn] = only(template, 'AWS::Lambda::Function');
    expect(fn.Properties.TracingConfig?.Mode).not.toBe('Active');
    template.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: false });
    expect(environment(template).POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(
      policyStatements(template)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('xray:')),
    ).toEqual([]);
  });

  it('never records handler responses, which carry client secrets, as trace metadata', () => {
    expect(environment(synth()).POWERTOOLS_TRACER_CAPTURE_RESPONSE).toBe('false');
  });
});

describe('Powertools settings', () => {
  it('name the service after the stack, the metrics namespace of the shared contract, and the log level', () => {
    expect(environment(synth({ logLevel: 'DEBUG' }))).toMatchObject({
      POWERTOOLS_SERVICE_NAME: 'DcrBridge',
      POWERTOOLS_METRICS_NAMESPACE: 'DcrBridge',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
    });
  });
});

describe('alarms', () => {
  const template = synth();

  it('exist once each, one window of 5 minutes, quiet without traffic', () => {
    expect(
      resources(template, 'AWS::CloudWatch::Alarm')
        .map(([, a]) => a.Properties.AlarmName)
        .sort(),
    ).toEqual(ALARMS.map((name) => `DcrBridge-${name}`).sort());
    for (const name of ALARMS) {
      expect(alarm(template, name).Properties).toMatchObject({
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm(template, name).Properties.AlarmDescription).toEqual(expect.any(String));
    }
  });

  it('watch the API 5xx count of the stage', () => {
    expect(alarm(template, 'Api5xx').Properties).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      Dimensions: expect.arrayContaining([{ Name: 'ApiName', Value: 'DcrBridge' }]),
    });
  });

  // Finding 8 (issue 9): the ratio was 100 * idp_error / requests, so one failed call in a quiet
  // window was 100 % and paged; below the minimum request count the ratio is now 0.
  it('compute the IdP error ratio from Requests by Outcome in DcrBridge, only in windows of 5+ requests', () => {
    const properties = alarm(template, 'IdpErrorRatio').Properties;
    expect(properties.Threshold).toBe(10);
    expect(properties.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
    const metrics = properties.Metrics as Array<Record<string, CfnJson>>;
    const expressions = metrics.filter((m) => m.Expression);
    expect(expressions.map((m) => [m.Expression, m.ReturnData])).toEqual([
      ['IF(requests >= 5, 100 * FILL(idp_error, 0) / requests, 0)', true],
      [
        'FILL(success, 0) + FILL(client_error, 0) + FILL(idp_error, 0) + FILL(auth_failure, 0) + FILL(bridge_error, 0)',
        false,
      ],
    ]);
    expect(expressions[1]?.Id).toBe('requests');
    // A window without any request has no data, which the alarm treats as fine.
    expect(properties.TreatMissingData).toBe('notBreaching');
    const inputs = metrics.filter((m) => m.MetricStat);
    expect(inputs.map((m) => m.Id).sort()).toEqual([...OUTCOMES].sort());
    for (const input of inputs) {
      expect(input.ReturnData).toBe(false);
      expect(input.MetricStat).toEqual({
        Metric: {
          Namespace: 'DcrBridge',
          MetricName: 'Requests',
          // Exactly the {service, Outcome} dimension set the handler emits.
          Dimensions: expect.arrayContaining([
            { Name: 'service', Value: 'DcrBridge' },
            { Name: 'Outcome', Value: input.Id },
          ]),
        },
        Period: 300,
        Stat: 'Sum',
      });
      expect(input.MetricStat.Metric.Dimensions).toHaveLength(2);
    }
  });

  it('count repeated 401s (Outcome=auth_failure)', () => {
    const properties = alarm(template, 'AuthFailures').Properties;
    expect(properties.Threshold).toBe(5);
    // A labelled metric renders as a one-entry Metrics list.
    expect(properties.Metrics).toEqual([
      expect.objectContaining({
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'DcrBridge',
            MetricName: 'Requests',
            Dimensions: [
              { Name: 'Outcome', Value: 'auth_failure' },
              { Name: 'service', Value: 'DcrBridge' },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
      }),
    ]);
  });

  it('watch Lambda errors, throttles and p99 duration at 80% of the timeout', () => {
    const functionRef = { Ref: logicalId(template, 'AWS::Lambda::Function', 'BridgeFunction') };
    for (const [name, metricName] of [
      ['LambdaErrors', 'Errors'],
      ['LambdaThrottles', 'Throttles'],
    ]) {
      expect(alarm(template, name as string).Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: metricName,
        Statistic: 'Sum',
        Threshold: 1,
        Dimensions: [{ Name: 'FunctionName', Value: functionRef }],
      });
    }
    expect(alarm(template, 'DurationP99').Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      // 80% of the 12 s timeout.
      Threshold: 9600,
    });
  });

  it('take their thresholds and window from the props', () => {
    const custom = synth({
      alarmPeriodMinutes: 15,
      serverErrorAlarmThreshold: 3,
      idpErrorRatioAlarmPercent: 25,
      authFailureAlarmThreshold: 20,
      lambdaErrorAlarmThreshold: 2,
      throttleAlarmThreshold: 4,
      durationAlarmPercentOfTimeout: 50,
      idpTimeoutMs: 16000,
    });
    const thresholds = Object.fromEntries(ALARMS.map((name) => [name, alarm(custom, name).Properties.Threshold]));
    expect(thresholds).toEqual({
      Api5xx: 3,
      IdpErrorRatio: 25,
      AuthFailures: 20,
      LambdaErrors: 2,
      LambdaThrottles: 4,
      DurationP99: 10000, // 50% of 20 s
    });
    expect(alarm(custom, 'Api5xx').Properties.Period).toBe(900);
  });

  it('take the minimum request count of the IdP error ratio from the props', () => {
    const custom = synth({ idpErrorRatioAlarmMinimumRequests: 20 });
    const metrics = alarm(custom, 'IdpErrorRatio').Properties.Metrics as Array<Record<string, CfnJson>>;
    expect(metrics.find((m) => m.ReturnData !== false)?.Expression).toBe(
      'IF(requests >= 20, 100 * FILL(idp_error, 0) / requests, 0)',
    );
  });

  it.each([
    [{ alarmPeriodMinutes: 0 }, /alarmPeriodMinutes must be an integer from 1 to 60/],
    [{ idpErrorRatioAlarmPercent: 120 }, /idpErrorRatioAlarmPercent must be a percentage/],
    [{ authFailureAlarmThreshold: 1.5 }, /authFailureAlarmThreshold must be an integer/],
    [{ idpErrorRatioAlarmMinimumRequests: 0 }, /idpErrorRatioAlarmMinimumRequests must be an integer from 1/],
  ])('refuse unusable thresholds %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

describe('alarm notifications', () => {
  it('have no actions when no topic is configured', () => {
    for (const [, a] of resources(synth(), 'AWS::CloudWatch::Alarm')) {
      expect(a.Properties.AlarmActions).toBeUndefined();
      expect(a.Properties.OKActions).toBeUndefined();
    }
  });

  it('go to a new topic with an e-mail subscription, for ALARM and OK', () => {
    const template = synth({ alarmEmail: 'ops@example.com' });
    const [topicId] = only(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      TopicArn: { Ref: topicId },
    });
    const alarms = resources(template, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(ALARMS.length);
    for (const [, a] of alarms) {
      expect(a.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(a.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
    template.hasOutput('AlarmTopicArn', { Value: { Ref: topicId } });
  });

  it('go to an existing topic by ARN, creating none', () => {
    const topicArn = 'arn:aws:sns:eu-central-1:111122223333:ops-pager';
    const template = synth({ alarmTopicArn: topicArn });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    for (const [, a] of resources(template, 'AWS::CloudWatch::Alarm')) {
      expect(a.Properties.AlarmActions).toEqual([topicArn]);
      expect(a.Properties.OKActions).toEqual([topicArn]);
    }
  });

  it.each([
    [{ alarmEmail: 'ops@example.com', alarmTopicArn: 'arn:aws:sns:eu-central-1:111122223333:t' }, /not both/],
    [{ alarmEmail: 'not-an-address' }, /alarmEmail must be an e-mail address/],
    [{ alarmTopicArn: 'ops-pager' }, /alarmTopicArn must be an SNS topic ARN/],
  ])('refuse %j', (props, message) => {
    expect(() => synth(props)).toThrow(message);
  });
});

/** The dashboard body as JSON, CloudFormation references replaced by `<LogicalId>` / `<LogicalId.Attr>`. */
function dashboardWidgets(template: Template): Array<{ type: string; properties: Record<string, CfnJson> }> {
  const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const body = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = part as { Ref?: string; 'Fn::GetAtt'?: string[] };
      return `<${ref.Ref ?? ref['Fn::GetAtt']?.join('.')}>`;
    })
    .join('');
  return JSON.parse(body).widgets;
}

describe('dashboard', () => {
  const template = synth();
  const widgets = dashboardWidgets(template);
  const byTitle = (title: string) => {
    const found = widgets.filter((w) => w.properties.title === title);
    expect(found).toHaveLength(1);
    return (found[0] as { properties: Record<string, CfnJson> }).properties;
  };
  const metricsOf = (title: string): unknown[][] => byTitle(title).metrics;

  it('is named after the stack and shows the state of every alarm', () => {
    const [, dashboard] = only(template, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('DcrBridge');
    const alarmArns = resources(template, 'AWS::CloudWatch::Alarm').map(([id]) => `<${id}.Arn>`);
    expect([...byTitle('Alarms').alarms].sort()).toEqual(alarmArns.sort());
    template.hasOutput('DashboardName', { Value: 'DcrBridge' });
  });

  it('graphs requests by operation and outcome (a SEARCH over the Operation dimension) and by outcome', () => {
    expect(metricsOf('Requests by operation and outcome')).toEqual([
      [
        {
          expression:
            'SEARCH(\'{DcrBridge,Operation,Outcome,service} MetricName="Requests" service="DcrBridge"\', \'Sum\', 300)',
        },
      ],
    ]);
    const outcomes = metricsOf('Requests by outcome').map((m) => m.slice(0, 6));
    expect(outcomes).toEqual(
      OUTCOMES.map((outcome) => ['DcrBridge', 'Requests', 'Outcome', outcome, 'service', 'DcrBridge']),
    );
  });

  it('graphs IdP latency p50 and p99, IdP 429s, key cache refreshes and cold starts', () => {
    const latency = metricsOf('IdP latency');
    expect(latency.map((m) => m.slice(0, 6))).toEqual([
      ['DcrBridge', 'IdpLatency', 'IdpType', 'generic', 'service', 'DcrBridge'],
      ['DcrBridge', 'IdpLatency', 'IdpType', 'generic', 'service', 'DcrBridge'],
    ]);
    expect(latency.map((m) => (m[6] as { stat: string }).stat)).toEqual(['p50', 'p99']);
    expect(metricsOf('IdP 429s and auth failures').map((m) => m.slice(0, 4))).toEqual([
      ['DcrBridge', 'IdpRateLimited', 'IdpType', 'generic'],
      ['DcrBridge', 'Requests', 'Outcome', 'auth_failure'],
      ['DcrBridge', 'KeyCacheRefreshes', 'service', 'DcrBridge'],
    ]);
    const functionRef = `<${logicalId(template, 'AWS::Lambda::Function', 'BridgeFunction')}>`;
    expect(metricsOf('Cold starts').map((m) => m.slice(0, 6))).toEqual([
      ['DcrBridge', 'ColdStart', 'function_name', functionRef, 'service', 'DcrBridge'],
    ]);
  });

  it('graphs the IdP error ratio the alarm sees against its threshold, and the API and Lambda metrics', () => {
    expect(byTitle('IdP error ratio (%)').annotations.horizontal).toEqual([
      { value: 10, label: 'Alarm', yAxis: 'left' },
    ]);
    expect(metricsOf('IdP error ratio (%)')[0]).toEqual([
      expect.objectContaining({ expression: 'IF(requests >= 5, 100 * FILL(idp_error, 0) / requests, 0)' }),
    ]);
    expect(metricsOf('API requests and errors').map((m) => m.slice(0, 2))).toEqual([
      ['AWS/ApiGateway', 'Count'],
      ['AWS/ApiGateway', '4XXError'],
      ['AWS/ApiGateway', '5XXError'],
    ]);
    expect(metricsOf('Lambda invocations, errors, throttles').map((m) => m.slice(0, 2))).toEqual([
      ['AWS/Lambda', 'Invocations'],
      ['AWS/Lambda', 'Errors'],
      ['AWS/Lambda', 'Throttles'],
    ]);
    expect(byTitle('Lambda duration').annotations.horizontal).toEqual([
      { value: 12000, label: 'Timeout', yAxis: 'left' },
    ]);
  });

  it("lists recent failed requests from the bridge's log group", () => {
    const properties = byTitle('Recent failed requests');
    const logGroupRef = `<${logicalId(template, 'AWS::Logs::LogGroup', 'BridgeLogGroup')}>`;
    expect(properties.query).toContain(`SOURCE '${logGroupRef}'`);
    expect(properties.query).toContain('filter message = "Request completed" and outcome != "success"');
  });
});

describe('Logs Insights queries', () => {
  const template = synth();
  const queries = resources(template, 'AWS::Logs::QueryDefinition').map(([, q]) => q.Properties);
  const history = queries.find((q) => /Why did this application's creation fail/.test(q.Name));

  it('include "why did this application\'s creation fail" on the bridge\'s log group', () => {
    expect(history).toBeDefined();
    expect(history?.Name).toMatch(/^DcrBridge\//);
    expect(history?.LogGroupNames).toEqual([{ Ref: logicalId(template, 'AWS::Logs::LogGroup', 'BridgeLogGroup') }]);
  });

  it('find the application by application, client, portal or developer id', () => {
    const query: string = history?.QueryString;
    for (const field of ['application_id', 'client_id', 'portal_id', 'developer_id']) {
      expect(query).toContain(`${field} = "${ID_PLACEHOLDER}"`);
    }
  });

  it('show route, status, outcome, error, error description and the IdP request id', () => {
    const fieldsLine = String(history?.QueryString ?? '')
      .split('\n')
      .find((line) => line.startsWith('fields '));
    for (const field of ['route', 'status', 'outcome', 'error', 'error_description', 'idp_request_id']) {
      expect(fieldsLine?.slice('fields '.length).split(', ')).toContain(field);
    }
  });

  it('also save the recent failures', () => {
    const failures = queries.find((q) => q.Name === 'DcrBridge/Recent failed requests');
    expect(failures?.QueryString).toContain('filter message = "Request completed" and outcome != "success"');
  });
});
