/**
 * A Cognito Identity Provider error as the AWS JSON 1.1 protocol carries it: `{"__type", "message"}`
 * with the HTTP status the API reference lists per error (API_CreateUserPoolClient, "Errors":
 * InvalidParameterException, InvalidOAuthFlowException, LimitExceededException, NotAuthorizedException,
 * ResourceNotFoundException, ScopeDoesNotExistException, TooManyRequestsException "HTTP Status Code: 400";
 * InternalErrorException 500). AccessDeniedException 403: guess, kept from the SDK's error schema.
 */
export class CognitoError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = STATUS[type] ?? 400,
  ) {
    super(message);
  }
}

const STATUS: Record<string, number> = {
  InvalidParameterException: 400,
  InvalidOAuthFlowException: 400,
  LimitExceededException: 400,
  ScopeDoesNotExistException: 400,
  ConcurrentModificationException: 400,
  NotAuthorizedException: 400,
  AccessDeniedException: 403,
  ResourceNotFoundException: 400,
  TooManyRequestsException: 400,
  InternalErrorException: 500,
  InternalServerException: 500,
  // Signing errors of the AWS front door (guess: 400, as DynamoDB and other JSON services answer them).
  UnrecognizedClientException: 400,
  InvalidSignatureException: 400,
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
};

export const invalidParameter = (message: string) => new CognitoError('InvalidParameterException', message);
