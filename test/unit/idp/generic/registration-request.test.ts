import { describe, expect, it } from '@jest/globals';
import { isNativeRedirectList } from '../../../../functions/contract/redirect-uris';
import { registrationRequest } from '../../../../functions/idp/generic/client-registration';
import type { NewClient } from '../../../../functions/idp/idp-adapter';

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather App',
  description: 'Shows the weather',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: [],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: { portalId: 'p-1' },
  ...extra,
});

describe('registrationRequest', () => {
  it('sends RFC 7591 metadata only, leaving out what is empty', () => {
    expect(registrationRequest(newClient())).toEqual({
      client_name: 'Weather App',
      grant_types: ['client_credentials'],
      response_types: [],
      token_endpoint_auth_method: 'client_secret_basic',
    });
  });

  it('joins scopes into the space-separated scope and keeps redirect URIs', () => {
    expect(
      registrationRequest(
        newClient({
          grantTypes: ['client_credentials', 'authorization_code'],
          responseTypes: ['code'],
          redirectUris: ['https://app.example.com/cb'],
          scopes: ['read', 'write'],
        }),
      ),
    ).toMatchObject({ scope: 'read write', redirect_uris: ['https://app.example.com/cb'], response_types: ['code'] });
  });
});

describe('application_type', () => {
  it.each([
    ['a private-use scheme (RFC 8252 section 7.1)', ['com.example.app:/callback']],
    ['loopback http on 127.0.0.1', ['http://127.0.0.1:8080/cb']],
    ['loopback http on [::1]', ['http://[::1]/cb']],
    ['loopback http on localhost', ['http://localhost:3000/cb']],
    ['a mix of native forms', ['com.example.app:/cb', 'http://127.0.0.1/cb']],
  ])('is "native" for %s', (_label, redirectUris) => {
    expect(isNativeRedirectList(redirectUris)).toBe(true);
    expect(registrationRequest(newClient({ redirectUris }))).toMatchObject({ application_type: 'native' });
  });

  it.each([
    ['no redirect URI', []],
    ['an https URI', ['https://app.example.com/cb']],
    ['https and a native URI', ['https://app.example.com/cb', 'com.example.app:/cb']],
    ['https on localhost', ['https://localhost/cb']],
    ['a scheme without a period', ['myapp:/cb']],
  ])('is left to the IdP (web) for %s', (_label, redirectUris) => {
    expect(isNativeRedirectList(redirectUris)).toBe(false);
    expect(registrationRequest(newClient({ redirectUris }))).not.toHaveProperty('application_type');
  });
});
