import { describe, expect, it } from '@jest/globals';
import { auth0Error, auth0ErrorDetail } from '../../../../functions/idp/auth0/auth0-error';

const body = (statusCode: number, error: string, message: string, errorCode?: string) => ({
  statusCode,
  error,
  message,
  ...(errorCode && { errorCode }),
});

describe('auth0ErrorDetail', () => {
  it('reads errorCode and message, dropping URLs and addresses', () => {
    expect(auth0ErrorDetail(body(500, 'Internal Server Error', 'db at http://10.0.0.7:27017 down', 'internal'))).toBe(
      'internal: db at <url> down',
    );
  });

  it('falls back to the error name without an errorCode, and to nothing for a body that is not Auth0s', () => {
    expect(auth0ErrorDetail(body(401, 'Unauthorized', 'Invalid token'))).toBe('Unauthorized: Invalid token');
    expect(auth0ErrorDetail('<html>')).toBe('');
    expect(auth0ErrorDetail(undefined)).toBe('');
  });
});

describe('auth0Error', () => {
  const invalidCallback = body(
    400,
    'Bad Request',
    "Payload validation error: 'Object didn't pass validation for format callback-url: x' on property callbacks[0]",
    'invalid_body',
  );

  it("answers 400 invalid_redirect_uri when Auth0 refuses the developer's callbacks", () => {
    const error = auth0Error({
      operation: 'creating the client',
      status: 400,
      body: invalidCallback,
      developerInput: true,
    });
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_redirect_uri');
    expect(error.description).toContain('invalid_body');
    expect(error.description).toContain('callbacks[0]');
  });

  it('answers 400 invalid_client_metadata for other refused developer input', () => {
    const error = auth0Error({
      operation: 'creating the client',
      status: 400,
      body: body(400, 'Bad Request', "Payload validation error: 'too long' on property description", 'invalid_body'),
      developerInput: true,
    });
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_client_metadata');
  });

  it("answers 502 for a 400 on the bridge's own requests", () => {
    const error = auth0Error({ operation: 'creating the client grant', status: 400, body: invalidCallback });
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
  });

  it("names the bridge's credentials for 401 and 403", () => {
    const refused = auth0Error({
      operation: 'deleting the client',
      status: 401,
      body: body(401, 'Unauthorized', 'Invalid token'),
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.description).toContain('credentials');
    const forbidden = auth0Error({
      operation: 'creating the client',
      status: 403,
      body: body(403, 'Forbidden', 'Insufficient scope, expected any of: create:clients', 'insufficient_scope'),
    });
    expect(forbidden.statusCode).toBe(502);
    expect(forbidden.description).toContain('insufficient_scope: Insufficient scope, expected any of: create:clients');
    expect(forbidden.description).toContain('credentials');
  });

  it('answers 503 for a rate limit and 502 naming the status for anything else', () => {
    expect(auth0Error({ operation: 'x', status: 429, body: undefined }).statusCode).toBe(503);
    const failed = auth0Error({ operation: 'rotating the client secret', status: 503, body: undefined });
    expect(failed.statusCode).toBe(502);
    expect(failed.description).toBe('The identity provider (auth0) answered 503 to rotating the client secret.');
  });
});
