import { describe, expect, it } from '@jest/globals';
import {
  keycloakErrorFromResponse,
  keycloakErrorOf,
  namesRedirectUris,
} from '../../../../functions/idp/keycloak/keycloak-error';

describe('keycloakErrorOf', () => {
  it('reads both of Keycloak’s error shapes', () => {
    expect(keycloakErrorOf({ error: 'invalid_input', error_description: 'A redirect URI is not a valid URI' })).toEqual(
      {
        code: 'invalid_input',
        description: 'A redirect URI is not a valid URI',
      },
    );
    expect(keycloakErrorOf({ errorMessage: 'Client x already exists' })).toEqual({
      code: undefined,
      description: 'Client x already exists',
    });
  });

  it('keeps internal addresses out', () => {
    const { description } = keycloakErrorOf({
      errorMessage: 'cannot reach jdbc:postgresql://db.internal:5432/kc at 10.0.0.7',
    });
    expect(description).not.toMatch(/db\.internal|10\.0\.0\.7/);
    expect(description).toContain('<address>');
  });

  it('reads nothing from bodies that are not error objects', () => {
    expect(keycloakErrorOf('<html>')).toEqual({});
    expect(keycloakErrorOf({ error: 42 })).toEqual({ code: undefined, description: undefined });
  });
});

describe('namesRedirectUris', () => {
  it.each([
    [{ error: 'invalid_input', error_description: 'A redirect URI is not a valid URI' }, true],
    [{ errorMessage: 'Redirect URIs must not contain an URI fragment' }, true],
    [{ error: 'invalid_input', error_description: 'Invalid id' }, false],
    [undefined, false],
  ])('%j → %s', (body, expected) => {
    expect(namesRedirectUris(body)).toBe(expected);
  });
});

describe('keycloakErrorFromResponse', () => {
  it("answers 400 when Keycloak refuses the developer's input", () => {
    const error = keycloakErrorFromResponse(
      'the client creation',
      400,
      { error: 'invalid_input', error_description: 'A redirect URI is not a valid URI' },
      { developerInput: true },
    );
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.description).toContain('A redirect URI is not a valid URI');
  });

  it.each([
    ['invalid_input', 'Invalid secret'],
    ['invalid_client_metadata', 'bad metadata'],
  ])('answers 502 naming status and code when Keycloak refuses what the bridge built (%s)', (code, text) => {
    const error = keycloakErrorFromResponse('the secret regeneration', 400, { error: code, error_description: text });
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain(`answered 400 (${code}: ${text})`);
  });

  it('answers 502 for any other 400, since the bridge built the request', () => {
    const error = keycloakErrorFromResponse('the client creation', 400, { errorMessage: 'unrecognized field' });
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('unrecognized field');
  });

  it('says the credentials were refused on 401, and names the missing role on 403', () => {
    const refused = keycloakErrorFromResponse('the client lookup', 401, { error: 'HTTP 401 Unauthorized' });
    expect(refused.statusCode).toBe(502);
    expect(refused.description).toContain('credentials');
    const forbidden = keycloakErrorFromResponse('the client creation', 403, { error: 'HTTP 403 Forbidden' });
    expect(forbidden.statusCode).toBe(502);
    expect(forbidden.description).toContain('"manage-clients"');
  });

  it('answers 503 for a rate limit and 502 for a conflict or server error, naming the status', () => {
    expect(keycloakErrorFromResponse('x', 429, undefined).statusCode).toBe(503);
    const conflict = keycloakErrorFromResponse('the client creation', 409, { errorMessage: 'Client a already exists' });
    expect(conflict.statusCode).toBe(502);
    expect(conflict.description).toBe(
      'The identity provider (keycloak) answered 409 (Client a already exists) to the client creation.',
    );
    expect(keycloakErrorFromResponse('x', 500, undefined).description).toContain('answered 500');
  });
});
