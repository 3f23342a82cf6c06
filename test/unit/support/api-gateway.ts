import type { APIGatewayProxyEvent, Context } from 'aws-lambda';

export type Resource = '/' | '/{clientId}' | '/{clientId}/new-secret' | '/{clientId}/event-hook';

export interface EventInput {
  resource: Resource | string;
  httpMethod: string;
  headers?: Record<string, string>;
  clientId?: string;
  body?: string | null;
}

/** A REST API (payload 1.0) proxy event as API Gateway delivers it, built by hand. */
export function apiGatewayEvent(input: EventInput): APIGatewayProxyEvent {
  const path = input.clientId === undefined ? '/' : input.resource.replace('{clientId}', input.clientId);
  const headers = input.headers ?? {};
  return {
    resource: input.resource,
    path,
    httpMethod: input.httpMethod,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: input.clientId === undefined ? null : { clientId: input.clientId },
    stageVariables: null,
    body: input.body ?? null,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: input.httpMethod,
      path: `/prod${path}`,
      stage: 'prod',
      requestId: 'request-1',
      requestTimeEpoch: 0,
      resourceId: 'res',
      resourcePath: input.resource,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '192.0.2.1',
        user: null,
        userAgent: null,
        userArn: null,
      },
    },
  };
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
