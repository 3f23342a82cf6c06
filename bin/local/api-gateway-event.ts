import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';

/** The four resources declared on API Gateway, as templates; anything else never reaches Lambda. */
const RESOURCES: ReadonlyArray<{ method: string; resource: string; pattern: RegExp }> = [
  { method: 'POST', resource: '/', pattern: /^\/$/ },
  { method: 'DELETE', resource: '/{clientId}', pattern: /^\/([^/]+)$/ },
  { method: 'POST', resource: '/{clientId}/new-secret', pattern: /^\/([^/]+)\/new-secret$/ },
  { method: 'POST', resource: '/{clientId}/event-hook', pattern: /^\/([^/]+)\/event-hook$/ },
];

export interface MatchedRoute {
  resource: string;
  pathParameters: Record<string, string> | null;
}

/** Matches like API Gateway: on the still-encoded path, one segment per path parameter. */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  for (const route of RESOURCES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (!match) continue;
    const segment = match[1];
    return { resource: route.resource, pathParameters: segment === undefined ? null : { clientId: decode(segment) } };
  }
  return undefined;
}

// API Gateway hands path parameters to Lambda percent-decoded.
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export interface LocalRequest {
  method: string;
  url: URL;
  /** The path as received, still encoded and unresolved; `url.pathname` when not given. */
  path?: string;
  headers: IncomingHttpHeaders;
  body: string;
  sourceIp: string;
}

/** Builds the REST API (payload 1.0) proxy event the deployed stack delivers. */
export function toApiGatewayEvent(request: LocalRequest, route: MatchedRoute): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value === undefined) continue;
    const values = Array.isArray(value) ? value : [value];
    headers[name] = values.join(',');
    multiValueHeaders[name] = values;
  }
  const query = request.url.searchParams;
  const queryStringParameters = query.size > 0 ? Object.fromEntries(query) : null;
  const path = request.path ?? request.url.pathname;
  return {
    resource: route.resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
    queryStringParameters,
    multiValueQueryStringParameters: null,
    pathParameters: route.pathParameters,
    stageVariables: null,
    body: request.body === '' ? null : request.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/local${path}`,
      stage: 'local',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: route.resource,
      identity: localIdentity(request.sourceIp),
    },
  };
}

export function localIdentity(sourceIp: string): APIGatewayProxyEvent['requestContext']['identity'] {
  return {
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
    sourceIp,
    user: null,
    userAgent: null,
    userArn: null,
  };
}
