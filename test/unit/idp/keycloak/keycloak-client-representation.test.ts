import { describe, expect, it } from '@jest/globals';
import type { NewClient } from '../../../../functions/idp/idp-adapter';
import {
  clientRepresentation,
  internalIdFromLocation,
  isBridgeManaged,
  newClientRepresentation,
  representationForUpdate,
} from '../../../../functions/idp/keycloak/keycloak-client-representation';

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather App',
  description: 'Shows the weather',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: { portalId: 'p-1', developerId: 'd-1' },
  ...extra,
});

describe('newClientRepresentation', () => {
  it('makes a confidential client with only the service account for client credentials', () => {
    expect(newClientRepresentation(newClient(), 'konnect-weather-app-1')).toEqual({
      clientId: 'konnect-weather-app-1',
      name: 'Weather App',
      description: 'Shows the weather',
      enabled: true,
      protocol: 'openid-connect',
      publicClient: false,
      bearerOnly: false,
      clientAuthenticatorType: 'client-secret',
      serviceAccountsEnabled: true,
      standardFlowEnabled: false,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: false,
      redirectUris: [],
      attributes: {
        'konnect.managed_by': 'dcr-bridge',
        'konnect.portal_id': 'p-1',
        'konnect.developer_id': 'd-1',
      },
    });
  });

  it('turns on the flows Konnect asked for, and never the password grant', () => {
    const representation = newClientRepresentation(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code', 'refresh_token', 'implicit'],
        redirectUris: ['https://app.example.com/cb'],
      }),
      'id',
    );
    expect(representation).toMatchObject({
      serviceAccountsEnabled: true,
      standardFlowEnabled: true,
      implicitFlowEnabled: true,
      directAccessGrantsEnabled: false,
      redirectUris: ['https://app.example.com/cb'],
    });
  });

  it('maps the auth method to a Keycloak client authenticator', () => {
    expect(newClientRepresentation(newClient({ tokenEndpointAuthMethod: 'client_secret_post' }), 'id')).toMatchObject({
      clientAuthenticatorType: 'client-secret',
    });
    expect(newClientRepresentation(newClient({ tokenEndpointAuthMethod: 'client_secret_jwt' }), 'id')).toMatchObject({
      clientAuthenticatorType: 'client-secret-jwt',
    });
  });

  it("fits the description into Keycloak's 255 characters and leaves an empty one out", () => {
    const long = newClientRepresentation(newClient({ description: 'd'.repeat(1000) }), 'id');
    expect(long.description).toHaveLength(255);
    expect(newClientRepresentation(newClient({ description: '' }), 'id')).not.toHaveProperty('description');
  });

  it("fits the name into Keycloak's 255 characters, never splitting a character", () => {
    const long = newClientRepresentation(newClient({ clientName: `a${'😀'.repeat(200)}` }), 'id');
    expect(long.name).toBe(`a${'😀'.repeat(127)}`);
  });

  it('keeps private-use scheme redirect URIs (RFC 8252 §7.1) as they are', () => {
    const native = newClientRepresentation(
      newClient({ grantTypes: ['authorization_code'], redirectUris: ['com.example.app:/callback'] }),
      'id',
    );
    expect(native).toMatchObject({ redirectUris: ['com.example.app:/callback'], standardFlowEnabled: true });
  });
});

describe('representationForUpdate', () => {
  it('sends the current client back with new redirect URIs, without its secret or tokens', () => {
    const current = clientRepresentation.parse({
      id: 'uuid-1',
      clientId: 'konnect-a',
      secret: 'current-secret',
      registrationAccessToken: 'rat',
      access: { manage: true },
      redirectUris: ['https://old.example.com'],
      serviceAccountsEnabled: true,
      attributes: { 'konnect.managed_by': 'dcr-bridge' },
    });
    expect(representationForUpdate(current, ['https://new.example.com'])).toEqual({
      id: 'uuid-1',
      clientId: 'konnect-a',
      redirectUris: ['https://new.example.com'],
      serviceAccountsEnabled: true,
      attributes: { 'konnect.managed_by': 'dcr-bridge' },
    });
  });
});

describe('isBridgeManaged', () => {
  it('is true only for clients carrying the bridge marker', () => {
    const client = (attributes?: Record<string, unknown>) =>
      clientRepresentation.parse({ id: 'i', clientId: 'c', attributes });
    expect(isBridgeManaged(client({ 'konnect.managed_by': 'dcr-bridge' }))).toBe(true);
    expect(isBridgeManaged(client({ 'konnect.managed_by': 'someone-else' }))).toBe(false);
    expect(isBridgeManaged(client())).toBe(false);
  });
});

describe('internalIdFromLocation', () => {
  it.each([
    [
      'an absolute URL',
      'https://sso.example.com/admin/realms/acme/clients/8d5f2c1e-0b7a-4c1e-9d2a-1b2c3d4e5f60',
      '8d5f2c1e-0b7a-4c1e-9d2a-1b2c3d4e5f60',
    ],
    ['a relative path', '/admin/realms/acme/clients/abc-123/', 'abc-123'],
  ])('reads the id from %s', (_label, location, id) => {
    expect(internalIdFromLocation(location)).toBe(id);
  });

  it.each([
    ['no header', null],
    ['an encoded path', 'https://sso.example.com/clients/..%2Fusers'],
    ['a relative path with a query', '/clients/x?y=1'],
  ])('refuses %s', (_label, location) => {
    expect(internalIdFromLocation(location)).toBeUndefined();
  });
});
