import type { APIGatewayProxyEvent } from 'aws-lambda';

/**
 * API Gateway has already matched the route; its resource template (not the raw path, which
 * custom-domain base paths change) names it.
 */
export const routeKey = (event: Pick<APIGatewayProxyEvent, 'httpMethod' | 'resource'>) =>
  `${event.httpMethod} ${event.resource}`;
