import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { IdpAdapter, OperationContext } from '../idp/idp-adapter';

export interface RouteContext {
  adapter: IdpAdapter;
  /** The request's IdP deadline. */
  operation: OperationContext;
}

/** One Konnect route: validate, one adapter call, map the result. */
export type RouteHandler = (event: APIGatewayProxyEvent, context: RouteContext) => Promise<APIGatewayProxyResult>;
