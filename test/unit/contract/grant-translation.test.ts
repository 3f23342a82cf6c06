import { describe, expect, it } from '@jest/globals';
import { BridgeError } from '../../../functions/commons/bridge-error';
import { type KonnectAuthMethod, translateGrants } from '../../../functions/contract/grant-translation';

const REDIRECTS = ['https://app.example.com/callback'];

function refusal(methods: KonnectAuthMethod[], redirects: string[]): BridgeError {
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
    expect(translateGrants([], [])).toEqual({ grantTypes: ['client_credentials'], responseTypes: [] });
  });

  it('turns bearer into client_credentials', () => {
    expect(translateGrants(['bearer'], [])).toEqual({ grantTypes: ['client_credentials'], responseTypes: [] });
  });

  it('turns session into nothing beyond client_credentials', () => {
    expect(translateGrants(['session'], [])).toEqual({ grantTypes: ['client_credentials'], responseTypes: [] });
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
    });
  });

  it('gives implicit the "token" response type', () => {
    expect(translateGrants(['implicit'], REDIRECTS)).toEqual({
      grantTypes: ['client_credentials', 'implicit'],
      responseTypes: ['token'],
    });
  });

  it('keeps refresh_token without a response type of its own', () => {
    expect(translateGrants(['authorization_code', 'refresh_token'], REDIRECTS)).toEqual({
      grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
      responseTypes: ['code'],
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
    const all: KonnectAuthMethod[] = [
      'client_credentials',
      'bearer',
      'session',
      'authorization_code',
      'refresh_token',
      'implicit',
    ];
    const { grantTypes } = translateGrants(all, REDIRECTS);
    expect(grantTypes).not.toContain('bearer');
    expect(grantTypes).not.toContain('session');
    expect([...grantTypes].sort()).toEqual(['authorization_code', 'client_credentials', 'implicit', 'refresh_token']);
  });
});
