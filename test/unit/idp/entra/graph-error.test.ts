import { describe, expect, it } from '@jest/globals';
import type { HttpResponse } from '../../../../functions/commons/http-client';
import { graphErrorOf, graphFailure, isReplicationLag } from '../../../../functions/idp/entra/graph-error';

const graphError = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
): HttpResponse => ({
  status,
  headers: new Headers({ 'request-id': 'header-request-id' }),
  body: {
    error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'body-request-id' }, ...extra },
  },
});

describe('graphErrorOf', () => {
  it('reads code, message, detail codes and request-id', () => {
    const response = graphError(400, 'Request_BadRequest', 'nope', {
      details: [{ code: 'NoBackingApplicationObject' }],
    });
    expect(graphErrorOf(response)).toEqual({
      code: 'Request_BadRequest',
      message: 'nope',
      detailCodes: ['NoBackingApplicationObject'],
      requestId: 'body-request-id',
    });
  });

  it('falls back to the request-id header when the body has none (gateways answer without Graph bodies)', () => {
    const response: HttpResponse = { status: 502, headers: new Headers({ 'request-id': 'r-1' }), body: undefined };
    expect(graphErrorOf(response)).toEqual({ code: undefined, message: undefined, detailCodes: [], requestId: 'r-1' });
  });

  it('sanitizes what it quotes', () => {
    const response = graphError(500, 'InternalServerError', 'db at http://10.0.0.7:1433 failed\n');
    expect(graphErrorOf(response).message).toBe('db at <url> failed ');
  });
});

describe('isReplicationLag', () => {
  it.each([
    ['404 Request_ResourceNotFound', graphError(404, 'Request_ResourceNotFound', "Resource 'x' does not exist")],
    [
      '400 NoBackingApplicationObject',
      graphError(400, 'Request_BadRequest', 'x', { details: [{ code: 'NoBackingApplicationObject' }] }),
    ],
    [
      '400 "does not reference a valid application object"',
      graphError(
        400,
        'Request_BadRequest',
        "The appId 'a' of the service principal does not reference a valid application object.",
      ),
    ],
  ])('is true for %s', (_label, response) => {
    expect(isReplicationLag(response)).toBe(true);
  });

  it.each([
    ['another 400', graphError(400, 'Request_BadRequest', "Invalid value specified for property 'displayName'")],
    ['a 500', graphError(500, 'InternalServerError', 'x')],
    ['a 409', graphError(409, 'Request_MultipleObjectsWithSameKeyValue', 'x')],
  ])('is false for %s', (_label, response) => {
    expect(isReplicationLag(response)).toBe(false);
  });
});

describe('graphFailure', () => {
  const redirectRefused = graphError(
    400,
    'Request_BadRequest',
    "Invalid value specified for property 'web.redirectUris' of resource 'Application'.",
  );

  it("passes Graph's refusal of a redirect URI on as the developer's 400, quoting Graph", () => {
    const error = graphFailure('creating the application', redirectRefused, { developerInput: true });
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_redirect_uri');
    expect(error.description).toBe(
      "Microsoft Graph answered 400 (Request_BadRequest: Invalid value specified for property 'web.redirectUris' of resource 'Application'.; request-id body-request-id) to creating the application.",
    );
  });

  it('passes a refused display name on as invalid_client_metadata', () => {
    const response = graphError(400, 'Request_BadRequest', "Invalid value specified for property 'displayName'");
    expect(graphFailure('creating the application', response, { developerInput: true }).error).toBe(
      'invalid_client_metadata',
    );
  });

  it('treats a 400 as the bridge failing when the request carried no developer input', () => {
    const error = graphFailure('removing a secret', redirectRefused);
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
  });

  it("says the bridge's credentials were refused on 401", () => {
    const error = graphFailure('x', graphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.'));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('InvalidAuthenticationToken');
    expect(error.description).toContain('credentials');
  });

  it('names the Graph permission the bridge needs on 403', () => {
    const error = graphFailure('x', graphError(403, 'Authorization_RequestDenied', 'Insufficient privileges.'));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('Application.ReadWrite.OwnedBy');
  });

  it('answers 503 for throttling', () => {
    const error = graphFailure('x', graphError(429, 'TooManyRequests', 'Too many requests'));
    expect(error.statusCode).toBe(503);
    expect(error.description).toMatch(/rate-limiting/);
  });

  it('answers 502 with what Graph said for anything else', () => {
    const error = graphFailure('deleting application a', graphError(503, 'ServiceUnavailable', 'Try later.'));
    expect(error.statusCode).toBe(502);
    expect(error.description).toBe(
      'Microsoft Graph answered 503 (ServiceUnavailable: Try later.; request-id body-request-id) to deleting application a.',
    );
  });

  it('still answers when Graph sent no error body', () => {
    const response: HttpResponse = { status: 500, headers: new Headers(), body: undefined };
    expect(graphFailure('x', response).description).toBe('Microsoft Graph answered 500 to x.');
  });
});
