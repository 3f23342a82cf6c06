import { Duration, Stack } from 'aws-cdk-lib';
import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { BridgeMetrics } from './bridge-metrics';

/** Thresholds, each with its default; the BridgeStackProps fields of the same names document them. */
export interface AlarmThresholds {
  readonly alarmPeriodMinutes?: number;
  readonly serverErrorAlarmThreshold?: number;
  readonly idpErrorRatioAlarmPercent?: number;
  readonly idpErrorRatioAlarmMinimumRequests?: number;
  readonly authFailureAlarmThreshold?: number;
  readonly lambdaErrorAlarmThreshold?: number;
  readonly throttleAlarmThreshold?: number;
  readonly durationAlarmPercentOfTimeout?: number;
}

export interface BridgeAlarmsProps extends AlarmThresholds {
  readonly stage: Stage;
  readonly lambdaFunction: IFunction;
  /** The function timeout, which the p99 duration alarm is a percentage of. */
  readonly timeout: Duration;
  readonly metrics: BridgeMetrics;
  /** Notified on ALARM and on OK. */
  readonly topic?: ITopic;
}

export const DEFAULT_ALARM_PERIOD_MINUTES = 5;
export const DEFAULT_IDP_ERROR_RATIO_MINIMUM_REQUESTS = 5;

/**
 * What pages the operator: any 5xx, the IdP failing, someone without the key, the function
 * crashing or throttled, and requests approaching the timeout. Every alarm evaluates one window of
 * `alarmPeriodMinutes`, and a window without data is fine (Konnect calls are rare).
 */
export class BridgeAlarms extends Construct {
  public readonly alarms: Alarm[] = [];
  public readonly period: Duration;
  /** What the IdpErrorRatio alarm evaluates (0 in windows below the minimum request count). */
  public readonly idpErrorRatio: IMetric;

  constructor(scope: Construct, id: string, props: BridgeAlarmsProps) {
    super(scope, id);
    this.period = BridgeAlarms.periodOf(props.alarmPeriodMinutes);
    const period = this.period;
    const minutes = period.toMinutes();
    const fn = props.lambdaFunction;
    const window = `${minutes} minute${minutes === 1 ? '' : 's'}`;

    this.add('Api5xx', props.stage.metricServerError({ period, statistic: 'Sum' }), {
      threshold: positiveInteger('serverErrorAlarmThreshold', props.serverErrorAlarmThreshold ?? 1),
      description: `The API answered 5xx within ${window}: the bridge or the IdP is failing (502/503/504 name the IdP). See the dashboard and the saved query "Recent failed requests".`,
    });
    const minimumRequests = positiveInteger(
      'idpErrorRatioAlarmMinimumRequests',
      props.idpErrorRatioAlarmMinimumRequests ?? DEFAULT_IDP_ERROR_RATIO_MINIMUM_REQUESTS,
    );
    this.idpErrorRatio = props.metrics.idpErrorRatio(minimumRequests, period);
    this.add('IdpErrorRatio', this.idpErrorRatio, {
      threshold: percent('idpErrorRatioAlarmPercent', props.idpErrorRatioAlarmPercent ?? 10),
      description: `At least the threshold percentage of requests within ${window} failed because of the IdP (Outcome=idp_error), in a window of at least ${minimumRequests} requests (a single failure in a quiet window is left to Api5xx). Check the IdP's status and the bridge's idp_request_id in the logs.`,
    });
    this.add('AuthFailures', props.metrics.requests('auth_failure', period), {
      threshold: positiveInteger('authFailureAlarmThreshold', props.authFailureAlarmThreshold ?? 5),
      description: `Requests with a wrong X-API-KEY within ${window}: someone is probing the key, or Konnect holds a stale key after a rotation. (Requests without the header are refused by API Gateway and not counted: see the access log.)`,
    });
    this.add('LambdaErrors', fn.metricErrors({ period, statistic: 'Sum' }), {
      threshold: positiveInteger('lambdaErrorAlarmThreshold', props.lambdaErrorAlarmThreshold ?? 1),
      description: `The bridge function crashed or timed out within ${window} (answered errors are not Lambda errors).`,
    });
    this.add('LambdaThrottles', fn.metricThrottles({ period, statistic: 'Sum' }), {
      threshold: positiveInteger('throttleAlarmThreshold', props.throttleAlarmThreshold ?? 1),
      description: `Invocations of the bridge were throttled within ${window} (reserved or account concurrency exhausted).`,
    });
    const durationPercent = percent('durationAlarmPercentOfTimeout', props.durationAlarmPercentOfTimeout ?? 80);
    this.add('DurationP99', fn.metricDuration({ period, statistic: 'p99' }), {
      threshold: Math.round((props.timeout.toMilliseconds() * durationPercent) / 100),
      description: `p99 duration within ${window} is above ${durationPercent}% of the ${props.timeout.toSeconds()} s timeout: the IdP is getting slow enough for 504s.`,
    });

    if (props.topic) {
      const action = new SnsAction(props.topic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
  }

  /** The window every alarm evaluates (and the dashboard's graphs use). */
  static periodOf(alarmPeriodMinutes: number | undefined): Duration {
    return Duration.minutes(
      positiveInteger('alarmPeriodMinutes', alarmPeriodMinutes ?? DEFAULT_ALARM_PERIOD_MINUTES, 60),
    );
  }

  private add(id: string, metric: IMetric, options: { threshold: number; description: string }): void {
    this.alarms.push(
      new Alarm(this, id, {
        alarmName: `${Stack.of(this).stackName}-${id}`,
        alarmDescription: options.description,
        metric,
        threshold: options.threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function percent(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0 || value > 100) {
    throw new Error(`${name} must be a percentage above 0 and at most 100, got ${value}`);
  }
  return value;
}
