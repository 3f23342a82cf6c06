import { describe, expect, it } from '@jest/globals';
import { keycloakUrls } from '../../../../functions/idp/keycloak/keycloak-urls';

describe('keycloakUrls', () => {
  it('builds the token and admin URLs under the configured base, path included', () => {
    const urls = keycloakUrls('https://sso.example.com/auth/', 'acme');
    expect(urls.token).toBe('https://sso.example.com/auth/realms/acme/protocol/openid-connect/token');
    expect(urls.clients).toBe('https://sso.example.com/auth/admin/realms/acme/clients');
    expect(urls.client('3f1c')).toBe('https://sso.example.com/auth/admin/realms/acme/clients/3f1c');
    expect(urls.clientSecret('3f1c')).toBe('https://sso.example.com/auth/admin/realms/acme/clients/3f1c/client-secret');
    expect(urls.clientsByClientId('konnect-app-1')).toBe(
      'https://sso.example.com/auth/admin/realms/acme/clients?clientId=konnect-app-1',
    );
  });

  it('encodes every path and query parameter, so none can steer the call elsewhere', () => {
    const urls = keycloakUrls('https://sso.example.com', 'a/../master');
    expect(urls.clients).toBe('https://sso.example.com/admin/realms/a%2F..%2Fmaster/clients');
    expect(urls.client('../../users/x?y')).toBe(
      'https://sso.example.com/admin/realms/a%2F..%2Fmaster/clients/..%2F..%2Fusers%2Fx%3Fy',
    );
    expect(new URL(urls.clientsByClientId('a&max=1#x')).searchParams.get('clientId')).toBe('a&max=1#x');
  });
});
