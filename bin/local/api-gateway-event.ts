import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { SERVED_ROUTES, splitRoute } from '../../functions/bridge/served-routes';

interface Resource {
  method: string;
  resource: string;
  pattern: RegExp;
  /** Names of the `{parameters}` in the template, in path order. */
  parameters: string[];
}

/** The resources declared on API Gateway, from their templates; anything else never reaches Lambda. */
const RESOURCES: ReadonlyArray<Resource> = SERVED_ROUTES.map((route) => {
  const { method, resource } = splitRoute(route);
  const parameters: string[] = [];
  const source = resource
    .split('/')
    .map((part) => {
      const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
      if (parameter === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameters.push(parameter);
      return '([^/]+)';
    })
    .join('/');
  return { method, resource, pattern: new RegExp(`^${source}$`), parameters };
});

export interface MatchedRoute {
  resource: string;
  pathParameters: Record<string, string> | null;
}

/**
 * Matches like API Gateway: on the still-encoded path, one segment per path parameter. (No two
 * templates here can match the same path, so API Gateway's preference of literal parts over
 * parameters never comes into play.)
 */
export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  for (const route of RESOURCES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (!match) continue;
    if (route.parameters.length === 0) return { resource: route.resource, pathParameters: null };
    const segments = match.slice(1);
    const pathParameters = Object.fromEntries(route.parameters.map((name, at) => [name, decode(segments[at] ?? '')]));
    return { resource: route.resource, pathParameters };
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
