import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { toApiGatewayEvent } from '../../../bin/local/api-gateway-event';

export type Resource = '/' | '/{clientId}' | '/{clientId}/new-secret' | '/{clientId}/event-hook';

export interface EventInput {
  resource: Resource | string;
  httpMethod: string;
  headers?: Record<string, string>;
  clientId?: string;
  body?: string | null;
}

/** A REST API (payload 1.0) proxy event as API Gateway delivers it, with headers kept as given. */
export function apiGatewayEvent(input: EventInput): APIGatewayProxyEvent {
  const path = input.clientId === undefined ? '/' : input.resource.replace('{clientId}', input.clientId);
  return toApiGatewayEvent(
    {
      method: input.httpMethod,
      url: new URL(path, 'https://api.example.com'),
      headers: input.headers ?? {},
      body: input.body ?? '',
      sourceIp: '192.0.2.1',
    },
    { resource: input.resource, pathParameters: input.clientId === undefined ? null : { clientId: input.clientId } },
  );
}

/** A Lambda context; the remaining time is fixed so the handler's deadline is predictable. */
export function lambdaContext(remainingMs = 29_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'dcr-bridge',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:dcr-bridge',
    memoryLimitInMB: '512',
    awsRequestId: 'aws-request-1',
    logGroupName: '/aws/lambda/dcr-bridge',
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
