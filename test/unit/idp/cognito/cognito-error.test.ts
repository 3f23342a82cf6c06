import {
  InternalErrorException,
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  ResourceNotFoundException,
  ScopeDoesNotExistException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from '@jest/globals';
import { IdpRateLimitedError } from '../../../../functions/commons/http-client';
import { rememberSecret } from '../../../../functions/commons/known-secrets';
import {
  type CognitoOperation,
  cognitoError,
  isClientNotFound,
  serviceErrorOf,
} from '../../../../functions/idp/cognito/cognito-error';

const POOL = 'eu-central-1_Pool1';
const $metadata = { httpStatusCode: 400 };
const failure = (operation: CognitoOperation, error: unknown) => {
  const converted = serviceErrorOf(operation, error);
  if (!converted) throw new Error('not a service error');
  return converted;
};

describe('cognitoError', () => {
  it('answers the developer’s refused input as 400 naming the field', () => {
    const scope = failure(
      'CreateUserPoolClient',
      new ScopeDoesNotExistException({ message: 'Invalid scope requested', $metadata }),
    );
    expect(cognitoError(scope, POOL, { developerInput: true })).toMatchObject({
      statusCode: 400,
      error: 'invalid_client_metadata',
      description: expect.stringMatching(/^scopes: .*ScopeDoesNotExistException/),
    });
    const callback = failure(
      'UpdateUserPoolClient',
      new InvalidParameterException({ message: 'Invalid CallbackURL http://evil.example/x', $metadata }),
    );
    const answer = cognitoError(callback, POOL, { developerInput: true });
    expect(answer).toMatchObject({ statusCode: 400, description: expect.stringMatching(/^redirect_uris: /) });
    // AWS texts may quote the request: addresses are not passed on.
    expect(answer.description).not.toContain('evil.example');
  });

  it('answers the same refusals of what the bridge built as 502 naming its settings', () => {
    const scope = failure('CreateUserPoolClient', new ScopeDoesNotExistException({ message: 'x', $metadata }));
    expect(cognitoError(scope, POOL)).toMatchObject({
      statusCode: 502,
      description: expect.stringContaining('IDP_COGNITO_DEFAULT_SCOPES'),
    });
  });

  it('names the IAM action when the bridge’s role is refused', () => {
    const denied = failure('DescribeUserPoolClient', new NotAuthorizedException({ message: 'no', $metadata }));
    expect(cognitoError(denied, POOL)).toMatchObject({
      statusCode: 502,
      description: expect.stringContaining('cognito-idp:DescribeUserPoolClient on user pool eu-central-1_Pool1'),
    });
    const unsigned = failure('ListUserPoolClients', {
      name: 'UnrecognizedClientException',
      message: 'bad token',
      $metadata,
    });
    expect(cognitoError(unsigned, POOL).description).toContain('cognito-idp:ListUserPoolClients');
  });

  it('tells the admin about the app client quota', () => {
    const limit = failure('CreateUserPoolClient', new LimitExceededException({ message: 'limit', $metadata }));
    expect(cognitoError(limit, POOL, { developerInput: true })).toMatchObject({
      statusCode: 502,
      description: expect.stringContaining('app clients per user pool'),
    });
  });

  it('answers throttling with the 429 path’s 503, counted as an IdP error', () => {
    const throttled = failure('AddUserPoolClientSecret', new TooManyRequestsException({ message: 'slow', $metadata }));
    const answer = cognitoError(throttled, POOL);
    expect(answer).toMatchObject({ statusCode: 503, description: expect.stringContaining('rate-limiting the bridge') });
    expect(answer.cause).toBeInstanceOf(IdpRateLimitedError);
  });

  it('tells a missing client from a missing user pool', () => {
    const client = failure(
      'DeleteUserPoolClient',
      new ResourceNotFoundException({ message: 'User pool client abc does not exist.', $metadata }),
    );
    const pool = failure(
      'DeleteUserPoolClient',
      new ResourceNotFoundException({ message: `User pool ${POOL} does not exist.`, $metadata }),
    );
    expect(isClientNotFound(client)).toBe(true);
    expect(isClientNotFound(pool)).toBe(false);
    expect(cognitoError(pool, POOL).description).toContain('IDP_COGNITO_USER_POOL_ID');
  });

  it('masks known secrets in AWS texts', () => {
    rememberSecret('s3cr3t-value-0123456789');
    const internal = failure(
      'AddUserPoolClientSecret',
      new InternalErrorException({ message: 'failed for s3cr3t-value-0123456789', $metadata: { httpStatusCode: 500 } }),
    );
    expect(internal.status).toBe(500);
    expect(cognitoError(internal, POOL).description).not.toContain('s3cr3t-value');
  });

  it('is no service error without the SDK’s metadata (a transport failure)', () => {
    expect(
      serviceErrorOf('ListUserPoolClients', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' })),
    ).toBeUndefined();
  });
});
