import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { parseClientId } from '../../../functions/contract/client-id';

describe('parseClientId', () => {
  it.each([
    ['an oidc-provider style id', 'VzpxLvM4Wjh-Ri_ibd4u8kJ_dXa7Ah2RnkFWXYH9BHD'],
    ['a UUID (Keycloak, Entra)', 'c0a8012e-7f3b-4c2d-9e1a-5b6c7d8e9f00'],
    ['an Okta style id', '0oa1b2c3d4E5F6g7H8i9'],
    ['a single character', 'a'],
    ['dots and tildes inside', 'client.v2~prod'],
    ['three dots (not a dot segment)', '...'],
    ['255 characters', 'x'.repeat(255)],
  ])('accepts %s', (_label, id) => {
    expect(parseClientId(id)).toBe(id);
  });

  it.each([
    ['undefined', undefined],
    ['empty', ''],
  ])('refuses %s as missing', (_label, id) => {
    expect(() => parseClientId(id)).toThrow('The client id in the path is missing.');
  });

  it.each([
    ['"."', '.'],
    ['".."', '..'],
    ['a traversal', '../x'],
    ['an encoded traversal', '..%2F..%2Fapi'],
    ['a query', 'a?b'],
    ['a fragment', 'a#b'],
    ['an encoded NUL', 'a%00'],
    ['a raw NUL', 'a\u0000'],
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['a space', 'a b'],
    ['a non-ASCII letter', 'é'],
    ['a newline', 'abc\n'],
    ['256 characters', 'x'.repeat(256)],
  ])('refuses %s', (_label, id) => {
    let thrown: unknown;
    try {
      parseClientId(id);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BridgeError);
    const error = thrown as BridgeError;
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_request');
    expect(error.description).toContain('The client id in the path is invalid');
  });
});
