import type { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE } from './bridge-function';

/** What the bridge's handler records as the `Outcome` dimension of `Requests`. */
export const OUTCOMES = ['success', 'client_error', 'idp_error', 'auth_failure', 'bridge_error'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The bridge's own EMF metrics (namespace DcrBridge), as the handler emits them. Every metric
 * carries the `service` dimension Powertools adds (the stack's service name, so each bridge of an
 * account has its own series), so it is part of each dimension set here.
 */
export class BridgeMetrics {
  constructor(
    private readonly idpType: string,
    private readonly period: Duration,
    readonly service: string,
  ) {}

  /** `Requests` for one outcome, from the {service, Outcome} dimension set. */
  requests(outcome: Outcome, period = this.period): Metric {
    return this.metric('Requests', { Outcome: outcome }, 'Sum', period, `Requests ${outcome}`);
  }

  /**
   * Share of requests that failed because of the IdP, in percent, in windows of at least
   * `minimumRequests` requests and 0 below that: one failed call in a quiet window is 100 %, which
   * says nothing about the IdP (the 5xx alarm still sees it). Missing outcomes count as 0; a window
   * without any request has no value (the alarm treats it as not breaching).
   */
  idpErrorRatio(minimumRequests: number, period = this.period): MathExpression {
    const byOutcome = new Map(OUTCOMES.map((outcome) => [outcome, this.requests(outcome, period)]));
    const requests = new MathExpression({
      expression: OUTCOMES.map((outcome) => `FILL(${outcome}, 0)`).join(' + '),
      usingMetrics: Object.fromEntries(byOutcome),
      label: 'Requests',
      period,
    });
    // The same Metric object in both expressions, so the alarm renders it once.
    const idpErrors = byOutcome.get('idp_error') as Metric;
    return new MathExpression({
      expression: `IF(requests >= ${minimumRequests}, 100 * FILL(idp_error, 0) / requests, 0)`,
      usingMetrics: { requests, idp_error: idpErrors },
      label: `IdP error ratio (%), windows of ${minimumRequests}+ requests`,
      period,
    });
  }

  idpLatency(statistic: 'p50' | 'p99'): Metric {
    return this.metric('IdpLatency', { IdpType: this.idpType }, statistic, this.period, `IdP latency ${statistic}`);
  }

  idpRateLimited(): Metric {
    return this.metric('IdpRateLimited', { IdpType: this.idpType }, 'Sum', this.period, 'IdP 429s');
  }

  keyCacheRefreshes(): Metric {
    return this.metric('KeyCacheRefreshes', {}, 'Sum', this.period, 'Key cache refreshes');
  }

  /** Powertools' cold start metric, per function name. */
  coldStarts(functionName: string): Metric {
    return this.metric('ColdStart', { function_name: functionName }, 'Sum', this.period, 'Cold starts');
  }

  private metric(
    metricName: string,
    dimensions: Record<string, string>,
    statistic: string,
    period: Duration,
    label: string,
  ): Metric {
    return new Metric({
      namespace: METRICS_NAMESPACE,
      metricName,
      dimensionsMap: { service: this.service, ...dimensions },
      statistic,
      period,
      label,
    });
  }
}

/**
 * All `Requests` of one bridge (its service) by Operation and Outcome, whatever operations
 * appear: a dashboard-only SEARCH (alarms cannot use SEARCH).
 */
export function requestsByOperationAndOutcome(period: Duration, service: string): MathExpression {
  return new MathExpression({
    expression: `SEARCH('{${METRICS_NAMESPACE},Operation,Outcome,service} MetricName="Requests" service="${service}"', 'Sum', ${period.toSeconds()})`,
    label: '',
    period,
  });
}
