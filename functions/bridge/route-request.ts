import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { BridgeError } from '../commons/bridge-error';
import { operationWithin } from '../idp/idp-adapter';
import { createApplication } from '../routes/create-application';
import { deleteApplication } from '../routes/delete-application';
import { handleEventHook } from '../routes/event-hook';
import { rotateSecret } from '../routes/rotate-secret';
import type { RouteHandler } from '../routes/route-handler';
import type { BridgeDependencies } from './bridge-dependencies';
import { routeKey } from './route-key';

const ROUTES: Readonly<Record<string, RouteHandler>> = {
  'POST /': createApplication,
  'DELETE /{clientId}': deleteApplication,
  'POST /{clientId}/new-secret': rotateSecret,
  'POST /{clientId}/event-hook': handleEventHook,
};

// Leaves the function time to answer with its own 504 before Lambda itself gives up.
const ANSWER_MARGIN_MS = 1000;

export async function routeRequest(
  event: APIGatewayProxyEvent,
  context: Context,
  dependencies: BridgeDependencies,
): Promise<APIGatewayProxyResult> {
  const route = ROUTES[routeKey(event)];
  if (!route) throw new BridgeError(404, 'not_found', 'No such route.');
  const remaining = context.getRemainingTimeInMillis() - ANSWER_MARGIN_MS;
  const operation = operationWithin(Math.max(1, Math.min(dependencies.idpTimeoutMs, remaining)));
  return route(event, { adapter: dependencies.adapter, operation });
}
