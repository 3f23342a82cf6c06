import { type Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import {
  type Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type IMetric,
  type IWidget,
  LogQueryWidget,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RECENT_FAILURES_QUERY } from './bridge-log-queries';
import { type BridgeMetrics, OUTCOMES, requestsByOperationAndOutcome } from './bridge-metrics';

export interface BridgeDashboardProps {
  readonly stage: Stage;
  readonly lambdaFunction: IFunction;
  readonly logGroup: ILogGroup;
  readonly metrics: BridgeMetrics;
  readonly alarms: readonly Alarm[];
  readonly period: Duration;
  readonly timeout: Duration;
  /** The IdpErrorRatio alarm's metric, graphed against its threshold. */
  readonly idpErrorRatio: IMetric;
  readonly idpErrorRatioAlarmPercent: number;
}

const WIDE = 24;
const HALF = 12;
const THIRD = 8;

/** One page for the operator: alarm states, the traffic, the IdP, the function, recent failures. */
export class BridgeDashboard extends Construct {
  public readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: BridgeDashboardProps) {
    super(scope, id);
    const { stage, metrics, period } = props;
    const fn = props.lambdaFunction;
    const rows: IWidget[][] = [
      [
        new TextWidget({
          markdown:
            '# DCR bridge\nKonnect → API Gateway → bridge → IdP. A failed application creation: run the saved Logs ' +
            'Insights query "Why did this application\'s creation fail" with the portal, developer or client id.',
          width: WIDE,
          height: 2,
        }),
      ],
      [new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: WIDE, height: 3 })],
      [
        graph('API requests and errors', HALF, [
          stage.metricCount({ period, statistic: 'Sum', label: 'Requests' }),
          stage.metricClientError({ period, statistic: 'Sum', label: '4xx' }),
          stage.metricServerError({ period, statistic: 'Sum', label: '5xx' }),
        ]),
        graph('API latency', HALF, [
          stage.metricLatency({ period, statistic: 'p50', label: 'Latency p50' }),
          stage.metricLatency({ period, statistic: 'p99', label: 'Latency p99' }),
          stage.metricIntegrationLatency({ period, statistic: 'p99', label: 'Integration latency p99' }),
        ]),
      ],
      [
        graph('Requests by operation and outcome', HALF, [requestsByOperationAndOutcome(period, metrics.service)]),
        graph(
          'Requests by outcome',
          HALF,
          OUTCOMES.map((outcome) => metrics.requests(outcome)),
        ),
      ],
      [
        new GraphWidget({
          title: 'IdP error ratio (%)',
          left: [props.idpErrorRatio],
          leftAnnotations: [{ value: props.idpErrorRatioAlarmPercent, label: 'Alarm' }],
          leftYAxis: { min: 0, max: 100, showUnits: false },
          width: THIRD,
        }),
        graph('IdP latency', THIRD, [metrics.idpLatency('p50'), metrics.idpLatency('p99')]),
        graph('IdP 429s and auth failures', THIRD, [
          metrics.idpRateLimited(),
          metrics.requests('auth_failure'),
          metrics.keyCacheRefreshes(),
        ]),
      ],
      [
        graph('Lambda invocations, errors, throttles', THIRD, [
          fn.metricInvocations({ period, statistic: 'Sum' }),
          fn.metricErrors({ period, statistic: 'Sum' }),
          fn.metricThrottles({ period, statistic: 'Sum' }),
        ]),
        new GraphWidget({
          title: 'Lambda duration',
          left: [
            fn.metricDuration({ period, statistic: 'p50', label: 'Duration p50' }),
            fn.metricDuration({ period, statistic: 'p99', label: 'Duration p99' }),
          ],
          leftAnnotations: [{ value: props.timeout.toMilliseconds(), label: 'Timeout' }],
          width: THIRD,
        }),
        graph('Cold starts', THIRD, [metrics.coldStarts(fn.functionName)]),
      ],
      [
        new LogQueryWidget({
          title: 'Recent failed requests',
          logGroupNames: [props.logGroup.logGroupName],
          queryString: RECENT_FAILURES_QUERY.toString(),
          width: WIDE,
          height: 8,
        }),
      ],
    ];
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: Stack.of(this).stackName,
      widgets: rows,
    });
  }
}

function graph(title: string, width: number, left: IMetric[]): GraphWidget {
  return new GraphWidget({ title, left, width });
}
