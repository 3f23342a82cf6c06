import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger } from '../commons/logger';
import type { BridgeDependencies } from './bridge-dependencies';
import { contractErrorHandler } from './middleware/contract-error-handler';
import { jsonBodyWhereExpected } from './middleware/json-body-where-expected';
import { konnectKeyCheck } from './middleware/konnect-key-check';
import { routeRequest } from './route-request';

/**
 * The bridge's Lambda handler. Middleware order (before-phase runs top to bottom):
 * 1. Powertools Logger: AWS request id on every line, per-request keys reset.
 * 2. Header normalizer: lower-case names, so `X-API-KEY` and `x-api-key` are one header.
 * 3. Konnect key check: nothing else runs for a caller without an accepted key.
 * 4. JSON body parser, only on the routes that take a body.
 * 5. Contract error handler (its onError runs first): every failure becomes `{error, error_description}`.
 * The router then picks the route module, which validates with zod and makes one adapter call.
 */
export function createBridgeHandler(load: () => BridgeDependencies | Promise<BridgeDependencies>) {
  let dependencies: Promise<BridgeDependencies> | undefined;
  // Built on first use and kept for the container's life; a failed build is retried next time.
  const dependenciesOnce = () => {
    dependencies ??= Promise.resolve()
      .then(load)
      .catch((error: unknown) => {
        dependencies = undefined;
        throw error;
      });
    return dependencies;
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(konnectKeyCheck(async () => (await dependenciesOnce()).keyVerifier))
    .use(jsonBodyWhereExpected())
    .use(contractErrorHandler())
    .handler(async (event, context) => routeRequest(event, context, await dependenciesOnce()));
}
