import { BridgeError, idpFailed, invalidClientMetadata, serviceUnavailable } from '../../commons/bridge-error';
import { IdpRateLimitedError, mayHaveReachedIdp } from '../../commons/http-client';
import { sanitizeIdpText } from '../idp-error';

/** The Cognito operations the bridge calls; also the IAM actions (cognito-idp:<operation>) it needs. */
export type CognitoOperation =
  | 'CreateUserPoolClient'
  | 'DescribeUserPoolClient'
  | 'UpdateUserPoolClient'
  | 'DeleteUserPoolClient'
  | 'ListUserPoolClients'
  | 'AddUserPoolClientSecret'
  | 'ListUserPoolClientSecrets'
  | 'DeleteUserPoolClientSecret';

/**
 * Cognito answered an operation with one of its error types (the `__type` of the AWS JSON 1.1
 * body, the SDK's exception name). The message is already sanitised: AWS texts may quote the
 * request (callback URLs, names), so it is masked and cut like any IdP text.
 */
export class CognitoServiceError extends Error {
  constructor(
    readonly operation: CognitoOperation,
    readonly code: string,
    readonly safeMessage: string,
    readonly status: number | undefined,
  ) {
    super(`Cognito answered ${code} to ${operation}${safeMessage ? `: ${safeMessage}` : ''}`);
    this.name = 'CognitoServiceError';
  }
}

/** An SDK exception as a CognitoServiceError; anything without the SDK's service-error shape is undefined. */
export function serviceErrorOf(operation: CognitoOperation, error: unknown): CognitoServiceError | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown } };
  if (candidate.$metadata === undefined || typeof candidate.name !== 'string') return undefined;
  const status =
    typeof candidate.$metadata.httpStatusCode === 'number' ? candidate.$metadata.httpStatusCode : undefined;
  const message = typeof candidate.message === 'string' ? sanitizeIdpText(candidate.message) : '';
  return new CognitoServiceError(operation, candidate.name, message, status);
}

// https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/CommonErrors.html:
// errors of the caller's AWS credentials or signature, which no Cognito operation lists itself.
const CREDENTIAL_ERRORS = new Set([
  'AccessDeniedException',
  'NotAuthorizedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
]);

/** TooManyRequestsException: every app-client operation's documented throttling error (HTTP 400). */
export const THROTTLED = 'TooManyRequestsException';

/** The same 503 the HTTP client answers when an IdP keeps answering 429 (commons/http-client.ts). */
export function rateLimited(waitMs: number): BridgeError {
  return serviceUnavailable(
    `The identity provider (cognito) is rate-limiting the bridge; retry in ${Math.max(1, Math.ceil(waitMs / 1000))} s.`,
    new IdpRateLimitedError('cognito'),
  );
}

/** Which Konnect field an InvalidParameterException about the developer's input names (a guess from its text). */
function fieldNamed(message: string): string | undefined {
  if (/callback|redirect|url/i.test(message)) return 'redirect_uris';
  if (/scope/i.test(message)) return 'scopes';
  if (/client ?name/i.test(message)) return 'client_name';
  return undefined;
}

export interface CognitoErrorOptions {
  /** The request carried the developer's input (scopes, callback URLs): its refusals are 400s. */
  developerInput?: boolean;
  /** The scopes were the admin's IDP_COGNITO_DEFAULT_SCOPES: their refusal is no 400. */
  defaultScopes?: boolean;
}

/**
 * What Konnect shows for a Cognito error: the developer's input refused → 400 naming the field;
 * the bridge's role refused → 502 naming the IAM action; quotas → 502 naming the quota;
 * throttling that outlasted the retries → 503; anything else → 502 with Cognito's error type.
 */
export function cognitoError(
  failure: CognitoServiceError,
  userPoolId: string,
  { developerInput = false, defaultScopes = false }: CognitoErrorOptions = {},
): BridgeError {
  const { code, operation, safeMessage } = failure;
  const answered = `The identity provider (cognito) answered ${code}${safeMessage ? ` (${safeMessage})` : ''} to ${operation}`;
  if (code === THROTTLED) return rateLimited(1000);
  if (CREDENTIAL_ERRORS.has(code)) {
    return idpFailed(
      `${answered}: the bridge's AWS role may not call cognito-idp:${operation} on user pool ${userPoolId}, or its credentials are not valid; grant the action on that pool's ARN (docs/idps/cognito.md).`,
      failure,
    );
  }
  if (code === 'LimitExceededException' || code === 'ServiceQuotaExceededException') {
    const quota =
      operation === 'CreateUserPoolClient'
        ? 'the user pool holds as many app clients as its quota allows (Amazon Cognito quotas: app clients per user pool); delete unused app clients or request a quota increase'
        : 'a Cognito quota was reached; see the Amazon Cognito quotas page';
    return idpFailed(`${answered}: ${quota}.`, failure);
  }
  if (developerInput && (code === 'ScopeDoesNotExistException' || code === 'InvalidParameterException')) {
    const field = code === 'ScopeDoesNotExistException' ? 'scopes' : fieldNamed(safeMessage);
    if (field && !(field === 'scopes' && defaultScopes)) return invalidClientMetadata(`${field}: ${answered}.`);
  }
  if (code === 'ScopeDoesNotExistException') {
    return idpFailed(
      `${answered}: a scope the bridge sent is not defined on the user pool's resource servers; check IDP_COGNITO_RESOURCE_SERVER and IDP_COGNITO_DEFAULT_SCOPES.`,
      failure,
    );
  }
  if (code === 'UnsupportedIdentityProviderException') {
    return idpFailed(`${answered}: check IDP_COGNITO_IDENTITY_PROVIDERS.`, failure);
  }
  if (code === 'ResourceNotFoundException') {
    return idpFailed(`${answered}: check IDP_COGNITO_USER_POOL_ID and IDP_COGNITO_REGION.`, failure);
  }
  return idpFailed(`${answered}.`, failure);
}

// AWS's text for a missing app client (guess from observed answers; the API reference quotes none).
const CLIENT_NOT_FOUND = /^User pool client (\S+) does not exist\.?$/i;
const POOL_NOT_FOUND = /^User pool \S+ does not exist\.?$/i;

/**
 * Whether a ResourceNotFoundException names the app client rather than the user pool or a client
 * secret: they share the error type. Only "User pool client <id> does not exist." counts (and only
 * for `clientId` when given); a missing pool must never make the bridge call a client gone and forget it.
 */
export function isClientNotFound(failure: CognitoServiceError, clientId?: string): boolean {
  if (failure.code !== 'ResourceNotFoundException') return false;
  const named = CLIENT_NOT_FOUND.exec(failure.safeMessage.trim())?.[1];
  return named !== undefined && (clientId === undefined || named === clientId);
}

/**
 * A ResourceNotFoundException of DeleteUserPoolClientSecret that names neither the client nor the
 * pool: the secret is gone already (guess: AWS's text for it is not documented).
 */
export function isSecretNotFound(failure: CognitoServiceError): boolean {
  if (failure.code !== 'ResourceNotFoundException' || failure.operation !== 'DeleteUserPoolClientSecret') return false;
  const message = failure.safeMessage.trim();
  return !CLIENT_NOT_FOUND.test(message) && !POOL_NOT_FOUND.test(message);
}

/** Passes BridgeErrors through; turns a CognitoServiceError into the answer; leaves anything else. */
export function asBridgeError(error: unknown, userPoolId: string, options?: CognitoErrorOptions): unknown {
  if (error instanceof BridgeError || !(error instanceof CognitoServiceError)) return error;
  return cognitoError(error, userPoolId, options);
}

/**
 * Whether a failed write may still have been carried out: no answer (a timeout, a dropped
 * connection) or a 5xx. A 4xx answer, a throttle and a request never sent did nothing.
 */
export function mayHaveTakenEffect(error: unknown): boolean {
  if (error instanceof CognitoServiceError) return error.status === undefined || error.status >= 500;
  return mayHaveReachedIdp(error);
}

/** No answer at all (a timeout, a dropped connection): Cognito may commit even after a list shows nothing. */
export function gotNoAnswer(error: unknown): boolean {
  // The SDK wraps a dropped connection as an error with $metadata but no HTTP status.
  if (error instanceof CognitoServiceError) return error.status === undefined;
  return mayHaveReachedIdp(error);
}
