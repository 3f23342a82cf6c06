import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeKey } from '../route-key';
import type { ServedRoute } from '../served-routes';

const ROUTES_WITH_BODY = new Set<string>(['POST /', 'POST /{clientId}/event-hook'] satisfies ServedRoute[]);

/**
 * Parses JSON only on routes that take a body: Konnect's delete, new-secret and secrets calls may
 * come without a body or Content-Type, and must not be refused for it.
 */
export const jsonBodyWhereExpected = (): MiddlewareObj<APIGatewayProxyEvent> => {
  const parser = httpJsonBodyParser();
  return {
    before: async (request) => {
      if (!ROUTES_WITH_BODY.has(routeKey(request.event))) return;
      // biome-ignore lint/suspicious/noExplicitAny: middy's parser is typed for a generic event
      await parser.before?.(request as any);
    },
  };
};
