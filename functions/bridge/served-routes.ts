/**
 * Every route the bridge serves, as `METHOD /resource-template`: the one list the API Gateway
 * resources, the local server's matching, the router (route-request.ts) and the unknown-route
 * answer all follow, so they cannot drift apart.
 */
export const SERVED_ROUTES = [
  'POST /',
  'DELETE /{clientId}',
  'POST /{clientId}/new-secret',
  'POST /{clientId}/event-hook',
  'GET /{clientId}/secrets',
  'POST /{clientId}/secrets',
  'DELETE /{clientId}/secrets/{secretId}',
] as const;

export type ServedRoute = (typeof SERVED_ROUTES)[number];

/** The method and resource template of a served route. */
export function splitRoute(route: ServedRoute): { method: string; resource: string } {
  const [method, resource] = route.split(' ') as [string, string];
  return { method, resource };
}

/** What API Gateway (a gateway response) and the local server answer for any other method or path. */
export const NO_SUCH_ROUTE = {
  error: 'not_found',
  error_description: `No such route. The bridge serves ${SERVED_ROUTES.join(', ')}.`,
} as const;
