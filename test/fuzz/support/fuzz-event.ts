import type { APIGatewayProxyEvent } from 'aws-lambda';
import { localIdentity } from '../../../bin/local/api-gateway-event';
import type { FuzzCase } from './fuzz-case';

/** Own properties, as JSON.parse makes them: a "__proto__" header stays a header. */
function define<T>(target: Record<string, T>, name: string, value: T): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The REST API (payload 1.0) event API Gateway would deliver for a case: header names as sent
 * (API Gateway keeps their case), the last value of a repeated name in `headers` and all of them
 * in `multiValueHeaders`, the path parameter percent-decoded.
 */
export function fuzzEvent(fuzzCase: FuzzCase): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of fuzzCase.headers) {
    define(headers, name, value);
    define(multiValueHeaders, name, [
      ...(Object.hasOwn(multiValueHeaders, name) ? (multiValueHeaders[name] ?? []) : []),
      value,
    ]);
  }
  return {
    resource: fuzzCase.resource,
    path: fuzzCase.rawPath.split('?')[0] ?? '/',
    httpMethod: fuzzCase.method,
    headers,
    multiValueHeaders,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: fuzzCase.clientId === undefined ? null : { clientId: fuzzCase.clientId },
    stageVariables: null,
    body: fuzzCase.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'fuzz',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: fuzzCase.method,
      path: `/prod${fuzzCase.rawPath}`,
      stage: 'prod',
      requestId: 'fuzz-request',
      requestTimeEpoch: 0,
      resourceId: 'fuzz',
      resourcePath: fuzzCase.resource,
      identity: localIdentity('192.0.2.1'),
    },
  };
}
