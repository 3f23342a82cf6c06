import { describe, expect, it } from '@jest/globals';
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
