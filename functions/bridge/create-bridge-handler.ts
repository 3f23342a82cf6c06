import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from '../commons/logger';
import { metrics as bridgeMetrics } from '../commons/metrics';
import { tracer as bridgeTracer } from '../commons/tracer';
import { isMisconfigured, type LoadedBridge } from './bridge-dependencies';
import { contractErrorHandler } from './middleware/contract-error-handler';
import { jsonBodyWhereExpected } from './middleware/json-body-where-expected';
import { konnectKeyCheck } from './middleware/konnect-key-check';
import { requestSummary } from './middleware/request-summary';
import { traceInvocation } from './middleware/trace-invocation';
import { requestBudget, startRequestClock } from './request-budget';
import { routeRequest } from './route-request';

/** Telemetry sinks; the bridge's singletons unless a test brings fresh ones. */
export interface BridgeObservability {
  metrics?: Metrics;
  tracer?: Tracer;
}

/**
 * The bridge's Lambda handler. Middleware order (before-phase runs top to bottom; after and
 * onError run bottom to top):
 * 0. Request clock: the request's time budget starts on arrival, before anything else runs.
 * Then Powertools' recommended order:
 * 1. Powertools Tracer: the handler subsegment, closed last so it spans everything below.
 * 2. Powertools Logger: AWS request id on every line; per-request keys cleared after the summary.
 * 3. Powertools Metrics: ColdStart at once; everything else flushed as one EMF blob at the end.
 * 4. Request summary: the `Requests` metric and the `Request completed` line, from the final
 *    answer (its onError runs after the error handler's), with the duration since its start.
 * 5. Header normalizer: lower-case names, so `X-API-KEY` and `x-api-key` are one header.
 * 6. Konnect key check: nothing else runs for a caller without an accepted key, and a caller
 *    without one never learns how the bridge is misconfigured.
 * 7. JSON body parser, only on the routes that take a body.
 * 8. Contract error handler (its onError runs first): every failure becomes `{error, error_description}`.
 * The router then picks the route module, which validates with zod and makes one adapter call.
 * Settings wrong past the key check are told (503) to authenticated callers only.
 */
export function createBridgeHandler(
  load: () => LoadedBridge | Promise<LoadedBridge>,
  observability: BridgeObservability = {},
) {
  const metrics = observability.metrics ?? bridgeMetrics;
  const tracer = observability.tracer ?? bridgeTracer;
  let idpType: string | undefined;
  let dependencies: Promise<LoadedBridge> | undefined;
  // Built on first use and kept for the container's life; a failed build is retried next time.
  const dependenciesOnce = () => {
    dependencies ??= Promise.resolve()
      .then(load)
      .then((loaded) => {
        if (!isMisconfigured(loaded)) idpType = loaded.adapter.name;
        return loaded;
      })
      .catch((error: unknown) => {
        dependencies = undefined;
        throw error;
      });
    return dependencies;
  };

  const budgetOf = (loaded: LoadedBridge, context: Context) =>
    requestBudget(context, isMisconfigured(loaded) ? undefined : loaded.idpTimeoutMs);

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(startRequestClock())
    .use(traceInvocation(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true, throwOnEmptyMetrics: false }))
    .use(requestSummary({ metrics, logger, idpType: () => idpType }))
    .use(httpHeaderNormalizer())
    .use(
      konnectKeyCheck(async (context) => {
        const loaded = await dependenciesOnce();
        return { verifier: loaded.keyVerifier, deadlineAt: budgetOf(loaded, context).deadlineAt };
      }),
    )
    .use(jsonBodyWhereExpected())
    .use(contractErrorHandler())
    .handler(async (event, context) => {
      const loaded = await dependenciesOnce();
      if (isMisconfigured(loaded)) throw loaded.misconfiguration;
      return routeRequest(event, loaded, budgetOf(loaded, context));
    });
}
