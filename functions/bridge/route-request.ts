import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BridgeError } from '../commons/bridge-error';
import type { Operation } from '../commons/metrics';
import { withinDeadline } from '../idp/idp-adapter';
import { createApplication } from '../routes/create-application';
import { deleteApplication } from '../routes/delete-application';
import { handleEventHook } from '../routes/event-hook';
import { listSecrets } from '../routes/list-secrets';
import { refuseMultipleCredentials } from '../routes/multiple-credentials-unsupported';
import { rotateSecret } from '../routes/rotate-secret';
import type { RouteHandler } from '../routes/route-handler';
import type { BridgeDependencies } from './bridge-dependencies';
import { millisUntil, type RequestBudget } from './request-budget';
import { routeKey } from './route-key';
import { NO_SUCH_ROUTE, type ServedRoute } from './served-routes';

interface Route {
  /** The metric and log name of what the route does. */
  operation: Exclude<Operation, 'unknown'>;
  handle: RouteHandler;
}

// Typed by the served routes: one missing or extra here fails the type check.
const ROUTE_TABLE: Readonly<Record<ServedRoute, Route>> = {
  'POST /': { operation: 'create', handle: createApplication },
  'DELETE /{clientId}': { operation: 'delete', handle: deleteApplication },
  'POST /{clientId}/new-secret': { operation: 'rotate', handle: rotateSecret },
  'POST /{clientId}/event-hook': { operation: 'event', handle: handleEventHook },
  // Konnect's "Allow Multiple Credentials": the one secret is listed, more are refused.
  'GET /{clientId}/secrets': { operation: 'secrets', handle: listSecrets },
  'POST /{clientId}/secrets': { operation: 'secrets', handle: refuseMultipleCredentials },
  'DELETE /{clientId}/secrets/{secretId}': { operation: 'secrets', handle: refuseMultipleCredentials },
};

const ROUTES: ReadonlyMap<string, Route> = new Map(Object.entries(ROUTE_TABLE));

/** The operation an event asks for, known before any check; `unknown` for a route not served. */
export const operationOf = (event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource'>): Operation =>
  ROUTES.get(routeKey(event))?.operation ?? 'unknown';

/** Runs the route the event asks for within the request's budget (see request-budget.ts). */
export async function routeRequest(
  event: APIGatewayProxyEvent,
  dependencies: BridgeDependencies,
  budget: RequestBudget,
): Promise<APIGatewayProxyResult> {
  const route = ROUTES.get(routeKey(event));
  if (!route) throw new BridgeError(404, NO_SUCH_ROUTE.error, NO_SUCH_ROUTE.error_description);
  const { adapter, verificationLedger } = dependencies;
  return withinDeadline(
    millisUntil(budget.deadlineAt),
    (operation) => route.handle(event, { adapter, operation, verificationLedger }),
    { answerByAt: budget.answerByAt },
  );
}
