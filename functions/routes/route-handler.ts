import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { IdpAdapter, OperationContext } from '../idp/idp-adapter';
import type { VerificationLedger } from '../store/verification-ledger';

export interface RouteContext {
  adapter: IdpAdapter;
  /** The request's IdP deadline. */
  operation: OperationContext;
  /** Where the latest Konnect "Verify" client is remembered, when the bridge has a store for it. */
  verificationLedger?: VerificationLedger;
}

/** One Konnect route: validate, one adapter call, map the result. */
export type RouteHandler = (event: APIGatewayProxyEvent, context: RouteContext) => Promise<APIGatewayProxyResult>;
