import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { BridgeError } from '../commons/bridge-error';
import type { Operation } from '../commons/metrics';
import { withinDeadline } from '../idp/idp-adapter';
import { createApplication } from '../routes/create-application';
import { deleteApplication } from '../routes/delete-application';
import { handleEventHook } from '../routes/event-hook';
import { rotateSecret } from '../routes/rotate-secret';
import type { RouteHandler } from '../routes/route-handler';
import type { BridgeDependencies } from './bridge-dependencies';
import { routeKey } from './route-key';

interface Route {
  /** The metric and log name of what the route does. */
  operation: Exclude<Operation, 'unknown'>;
  handle: RouteHandler;
}

const ROUTES: ReadonlyMap<string, Route> = new Map([
  ['POST /', { operation: 'create', handle: createApplication }],
  ['DELETE /{clientId}', { operation: 'delete', handle: deleteApplication }],
  ['POST /{clientId}/new-secret', { operation: 'rotate', handle: rotateSecret }],
  ['POST /{clientId}/event-hook', { operation: 'event', handle: handleEventHook }],
]);

/** The operation an event asks for, known before any check; `unknown` for a route not served. */
export const operationOf = (event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource'>): Operation =>
  ROUTES.get(routeKey(event))?.operation ?? 'unknown';

// Leaves the function time to answer with its own 504 before Lambda itself gives up.
const ANSWER_MARGIN_MS = 1000;

export async function routeRequest(
  event: APIGatewayProxyEvent,
  context: Context,
  dependencies: BridgeDependencies,
): Promise<APIGatewayProxyResult> {
  const route = ROUTES.get(routeKey(event));
  if (!route) throw new BridgeError(404, 'not_found', 'No such route.');
  const remaining = context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  const timeoutMs = Math.max(1, Math.min(dependencies.idpTimeoutMs, remaining));
  return withinDeadline(timeoutMs, (operation) => route.handle(event, { adapter: dependencies.adapter, operation }));
}
