import { Console } from 'node:console';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const DEFAULT_METRICS_NAMESPACE = 'DcrBridge';
export const DEFAULT_SERVICE_NAME = 'dcr-bridge';

/**
 * Which Konnect route a request was; `secrets` for the multiple-credentials routes, `unknown` for
 * anything API Gateway would not send.
 */
export type Operation = 'create' | 'delete' | 'rotate' | 'event' | 'secrets' | 'unknown';

/** What became of a request, from its final status (see request-outcome.ts). */
export type Outcome = 'success' | 'client_error' | 'idp_error' | 'auth_failure' | 'bridge_error';

/**
 * Powertools warns whenever two dimension sets share a key, even with the same value; the two
 * `Requests` sets share `Outcome` by design, so that one warning would fill the logs.
 */
const SHARED_OUTCOME_WARNING = /^EMF key "Outcome" is defined as both a dimension set and dimension set;/;

/** Where Powertools Metrics reports its own problems: stderr, as by default, less that warning. */
function metricsWarnings() {
  const output = new Console({ stdout: process.stdout, stderr: process.stderr });
  return {
    debug: (...content: unknown[]) => output.debug(...content),
    info: (...content: unknown[]) => output.info(...content),
    error: (...content: unknown[]) => output.error(...content),
    warn: (...content: unknown[]) => {
      if (typeof content[0] === 'string' && SHARED_OUTCOME_WARNING.test(content[0])) return;
      output.warn(...content);
    },
  };
}

/**
 * CloudWatch metrics in the embedded metric format: written to stdout with the logs, so they
 * cost no API call. The service name becomes the `service` dimension of every metric.
 */
export function createMetrics(env: NodeJS.ProcessEnv = process.env): Metrics {
  return new Metrics({
    namespace: env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
    serviceName: env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    logger: metricsWarnings(),
  });
}

/** The bridge's one Metrics instance, flushed once per invocation by the handler's middleware. */
export const metrics = createMetrics();

/**
 * One `Requests` count with two dimension sets: per operation (which route fails) and across
 * operations (one alarm for all 5xx). Goes into the per-invocation flush.
 */
export function recordRequest(target: Metrics, operation: Operation, outcome: Outcome): void {
  target.addDimensions({ Operation: operation, Outcome: outcome });
  target.addDimensions({ Outcome: outcome });
  target.addMetric('Requests', MetricUnit.Count, 1);
}

// The metrics below are emitted at once as single metrics: their dimensions differ from the
// per-invocation `Requests` ones, and one EMF blob carries one list of dimension sets.

/** How long one HTTP exchange with the IdP took, per IdP type. */
export function recordIdpLatency(target: Metrics, idpType: string, milliseconds: number): void {
  const single = target.singleMetric();
  single.addDimension('IdpType', idpType);
  single.addMetric('IdpLatency', MetricUnit.Milliseconds, milliseconds);
}

/** The IdP answered 429: it is rate-limiting the bridge. */
export function recordIdpRateLimited(target: Metrics, idpType: string): void {
  const single = target.singleMetric();
  single.addDimension('IdpType', idpType);
  single.addMetric('IdpRateLimited', MetricUnit.Count, 1);
}

/** A presented key matched no cached key, so the accepted keys were read again. */
export function recordKeyCacheRefresh(target: Metrics): void {
  target.singleMetric().addMetric('KeyCacheRefreshes', MetricUnit.Count, 1);
}

/**
 * A client exists, or may exist, at the IdP that Konnect does not know and the bridge could not
 * remove: an operator must act (the `Orphaned client…` log line says which one, when known).
 */
export function recordOrphanedClient(target: Metrics, idpType: string): void {
  const single = target.singleMetric();
  single.addDimension('IdpType', idpType);
  single.addMetric('OrphanedClients', MetricUnit.Count, 1);
}
