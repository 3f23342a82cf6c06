import type { MiddlewareObj } from '@middy/core';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { routeKey } from '../route-key';

const ROUTES_WITH_BODY = new Set(['POST /', 'POST /{clientId}/event-hook']);

/**
 * Parses JSON only on routes that take a body: Konnect's delete and new-secret calls may come
 * without a body or Content-Type, and must not be refused for it.
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
