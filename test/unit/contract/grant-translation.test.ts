import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { translateGrants } from '../../../functions/contract/grant-translation';

const REDIRECTS = ['https://app.example.com/callback'];

function refusal(methods: string[], redirects: string[]): BridgeError {
  try {
    translateGrants(methods, redirects);
  } catch (error) {
    if (error instanceof BridgeError) return error;
    throw error;
  }
  throw new Error('expected a BridgeError');
}

describe('translateGrants', () => {
  it('always grants client_credentials, even for no methods', () => {
    expect(translateGrants([], [])).toEqual({ grantTypes: ['client_credentials'], responseTypes: [], ignored: [] });
  });

  it('turns bearer into client_credentials', () => {
    expect(translateGrants(['bearer'], [])).toEqual({
      grantTypes: ['client_credentials'],
      responseTypes: [],
      ignored: [],
    });
  });

  it('turns session into nothing beyond client_credentials', () => {
    expect(translateGrants(['session'], [])).toEqual({
      grantTypes: ['client_credentials'],
      responseTypes: [],
      ignored: [],
    });
  });

  it('does not duplicate client_credentials', () => {
    expect(translateGrants(['client_credentials', 'bearer', 'client_credentials'], []).grantTypes).toEqual([
      'client_credentials',
    ]);
  });

  it('gives authorization_code the "code" response type', () => {
    expect(translateGrants(['authorization_code'], REDIRECTS)).toEqual({
      grantTypes: ['client_credentials', 'authorization_code'],
      responseTypes: ['code'],
      ignored: [],
    });
  });

  it('gives implicit the "token" response type', () => {
    expect(translateGrants(['implicit'], REDIRECTS)).toEqual({
      grantTypes: ['client_credentials', 'implicit'],
      responseTypes: ['token'],
      ignored: [],
    });
  });

  it('keeps refresh_token without a response type of its own', () => {
    expect(translateGrants(['authorization_code', 'refresh_token'], REDIRECTS)).toEqual({
      grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
      responseTypes: ['code'],
      ignored: [],
    });
  });

  it('lists both response types when both redirect grants are asked for', () => {
    expect(translateGrants(['implicit', 'authorization_code'], REDIRECTS).responseTypes).toEqual(['code', 'token']);
  });

  it.each(['authorization_code', 'refresh_token', 'implicit'] as const)(
    'refuses %s without redirect URIs as invalid_client_metadata naming grant_types',
    (method) => {
      const error = refusal(['bearer', method], []);
      expect(error.statusCode).toBe(400);
      expect(error.error).toBe('invalid_client_metadata');
      expect(error.description).toContain('grant_types');
      expect(error.description).toContain(method);
      expect(error.description).toContain('redirect_uris');
    },
  );

  it('never forwards Konnect-only methods to the IdP', () => {
    const all = ['client_credentials', 'bearer', 'session', 'authorization_code', 'refresh_token', 'implicit'];
    const { grantTypes, ignored } = translateGrants(all, REDIRECTS);
    expect([...grantTypes].sort()).toEqual(['authorization_code', 'client_credentials', 'implicit', 'refresh_token']);
    expect(ignored).toEqual([]);
  });

  it('ignores auth methods without an OAuth meaning at the IdP, listing each once', () => {
    const methods = ['password', 'introspection', 'bearer', 'userinfo', 'kong_oauth2', 'something_new', 'password'];
    expect(translateGrants(methods, [])).toEqual({
      grantTypes: ['client_credentials'],
      responseTypes: [],
      ignored: ['password', 'introspection', 'userinfo', 'kong_oauth2', 'something_new'],
    });
  });

  it('never requests the password grant, even with redirect URIs', () => {
    expect(translateGrants(['password', 'authorization_code'], REDIRECTS).grantTypes).toEqual([
      'client_credentials',
      'authorization_code',
    ]);
  });

  it.each(['CLIENT_CREDENTIALS', 'constructor', 'toString', '__proto__', ''])(
    'matches exactly: %j is ignored, not translated',
    (method) => {
      expect(translateGrants([method], [])).toEqual({
        grantTypes: ['client_credentials'],
        responseTypes: [],
        ignored: [method],
      });
    },
  );
});
