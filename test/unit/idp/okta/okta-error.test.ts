import { describe, expect, it } from '@jest/globals';
import type { HttpResponse } from '../../../../functions/commons/http-client';
import {
  isNameTaken,
  isUnknownClient,
  namesRedirectUris,
  oktaErrorFromResponse,
  oktaErrorOf,
} from '../../../../functions/idp/okta/okta-error';

const answer = (status: number, body: unknown): HttpResponse => ({ status, headers: new Headers(), body });
const hints = { refused: 'check api_token.', forbidden: 'give it a role.' };
const oktaShape = (errorCode: string, errorSummary: string, causes: string[] = []) => ({
  errorCode,
  errorSummary,
  errorLink: errorCode,
  errorId: 'oae123',
  errorCauses: causes.map((summary) => ({ errorSummary: summary })),
});

describe('oktaErrorOf', () => {
  it('reads the OAuth shape', () => {
    expect(oktaErrorOf({ error: 'invalid_client', error_description: 'Invalid value' })).toEqual({
      code: 'invalid_client',
      summary: 'Invalid value',
    });
  });

  it('reads the Okta shape with its causes', () => {
    expect(oktaErrorOf(oktaShape('E0000001', 'Api validation failed: name', ['name: too long']))).toEqual({
      code: 'E0000001',
      summary: 'Api validation failed: name; name: too long',
    });
  });

  it('sanitizes what Okta says', () => {
    const { summary } = oktaErrorOf(oktaShape('E0000009', 'failed at http://10.0.0.7:8080/x\nsecond line'));
    expect(summary).toBe('failed at <url> second line');
  });

  it.each([undefined, null, 'text', 42, [], { unrelated: true }])('returns nothing for %j', (body) => {
    expect(oktaErrorOf(body)).toEqual({});
  });
});

describe('oktaErrorFromResponse', () => {
  it.each([
    ['invalid_client_metadata', { error: 'invalid_client_metadata', error_description: 'redirect_uris: bad' }],
    ['invalid_redirect_uri', { error: 'invalid_redirect_uri', error_description: 'bad' }],
    ['E0000001', oktaShape('E0000001', 'Api validation failed')],
  ])('answers 400 for developer input Okta refused (%s)', (code, body) => {
    const error = oktaErrorFromResponse('the client registration', answer(400, body), hints, { developerInput: true });
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.description).toContain(code);
  });

  it.each([
    ['invalid_client_metadata', { error: 'invalid_client_metadata', error_description: 'client_secret: bad' }],
    ['E0000001', oktaShape('E0000001', 'Api validation failed: client_secret')],
  ])('answers 502 naming Okta’s status and code when Okta refuses what the bridge built (%s)', (code, body) => {
    const error = oktaErrorFromResponse('the secret renewal', answer(400, body), hints);
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain(`Okta answered 400 (${code}`);
    expect(error.description).toContain("not the developer's input");
  });

  it('answers 502 for a request the bridge got wrong (E0000003)', () => {
    const error = oktaErrorFromResponse(
      'x',
      answer(400, oktaShape('E0000003', 'The request body was not well-formed.')),
      hints,
    );
    expect(error.statusCode).toBe(502);
  });

  it("answers 502 naming the bridge's credentials for an invalid token (E0000011)", () => {
    const error = oktaErrorFromResponse(
      'the client registration',
      answer(401, oktaShape('E0000011', 'Invalid token provided')),
      hints,
    );
    expect(error.statusCode).toBe(502);
    expect(error.description).toBe(
      "Okta answered 401 (E0000011: Invalid token provided) to the client registration: the bridge's credentials for Okta were refused; check api_token.",
    );
  });

  it('answers 502 naming the missing permission (E0000006)', () => {
    const error = oktaErrorFromResponse('x', answer(403, oktaShape('E0000006', 'You do not have permission')), hints);
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('lack a permission; give it a role.');
  });

  it('answers 503 for a rate limit (E0000047)', () => {
    const error = oktaErrorFromResponse('x', answer(429, oktaShape('E0000047', 'API call exceeded rate limit')), hints);
    expect(error.statusCode).toBe(503);
    expect(error.description).toContain('rate-limiting');
  });

  it('answers 502 with the status alone when Okta says nothing', () => {
    const error = oktaErrorFromResponse('reading the client', answer(503, undefined), hints);
    expect(error.statusCode).toBe(502);
    expect(error.description).toBe('Okta answered 503 to reading the client.');
  });
});

describe('namesRedirectUris', () => {
  it.each([
    [{ error: 'invalid_client_metadata', error_description: "redirect_uris: 'x' must be absolute" }, true],
    [{ error: 'invalid_redirect_uri', error_description: 'bad' }, true],
    [{ error: 'invalid_client_metadata', error_description: 'grant_types: bad' }, false],
    [undefined, false],
  ])('%j → %s', (body, expected) => {
    expect(namesRedirectUris(answer(400, body))).toBe(expected);
  });
});

describe('isUnknownClient', () => {
  it.each([
    ['401 invalid_client (GET, PUT, DELETE)', answer(401, { error: 'invalid_client', error_description: 'x' }), true],
    ['404 E0000007 (newSecret)', answer(404, oktaShape('E0000007', 'Not found')), true],
    ['401 E0000011 (our token)', answer(401, oktaShape('E0000011', 'Invalid token provided')), false],
    ['401 without a body', answer(401, undefined), false],
    ['400 invalid_client_metadata', answer(400, { error: 'invalid_client_metadata' }), false],
  ])('%s → %s', (_label, response, expected) => {
    expect(isUnknownClient(response)).toBe(expected);
  });
});

describe('isNameTaken', () => {
  it("recognises Okta's documented duplicate-name answer", () => {
    const body = {
      error: 'invalid_client_metadata',
      error_description: 'client_name: An object with this field already exists in the current organization',
    };
    expect(isNameTaken(answer(400, body))).toBe(true);
  });

  it('does not mistake other metadata errors for it', () => {
    expect(
      isNameTaken(answer(400, { error: 'invalid_client_metadata', error_description: 'redirect_uris: bad' })),
    ).toBe(false);
  });
});
