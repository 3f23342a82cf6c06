import { describe, expect, it } from '@jest/globals';
import {
  auth0ClientName,
  createClientBody as createClientBodyFor,
  DESCRIPTION_MAX_LENGTH,
  konnectMetadata,
} from '../../../../functions/idp/auth0/auth0-client-request';
import type { NewClient } from '../../../../functions/idp/idp-adapter';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather app',
  description: 'Shows the weather',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_post',
  konnect: { portalId: 'f32d905a-ed33-46a3-a093-d8f536af9a8a' },
  ...extra,
});

const CREATION_ID = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f';
const createClientBody = (client: NewClient) => createClientBodyFor(client, CREATION_ID);

describe('createClientBody', () => {
  it('makes a machine-to-machine application for client credentials only', () => {
    expect(createClientBody(newClient())).toEqual({
      name: 'Weather app',
      app_type: 'non_interactive',
      grant_types: ['client_credentials'],
      callbacks: [],
      token_endpoint_auth_method: 'client_secret_post',
      description: 'Shows the weather',
      client_metadata: {
        managed_by: 'konnect-dcr-bridge',
        konnect_creation_id: CREATION_ID,
        konnect_portal_id: 'f32d905a-ed33-46a3-a093-d8f536af9a8a',
      },
    });
  });

  it('makes a native application when a callback uses a private-use scheme (RFC 8252 §7.1)', () => {
    const body = createClientBody(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code'],
        redirectUris: ['com.example.weather:/callback', 'https://weather.example.com/cb'],
      }),
    );
    expect(body).toMatchObject({
      app_type: 'native',
      grant_types: ['client_credentials', 'authorization_code'],
      callbacks: ['com.example.weather:/callback', 'https://weather.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_post',
    });
  });

  it('makes a regular web application when a browser grant is requested, with the redirect URIs as callbacks', () => {
    const body = createClientBody(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
        redirectUris: ['https://app.example.com/cb'],
      }),
    );
    expect(body).toMatchObject({
      app_type: 'regular_web',
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      callbacks: ['https://app.example.com/cb'],
    });
  });

  it('leaves out an empty description', () => {
    expect(createClientBody(newClient({ description: '  ' }))).not.toHaveProperty('description');
  });

  it('refuses client_secret_jwt, which Auth0 does not offer', async () => {
    const error = await bridgeErrorOf(
      Promise.resolve().then(() => createClientBody(newClient({ tokenEndpointAuthMethod: 'client_secret_jwt' }))),
    );
    expect(error.statusCode).toBe(400);
    expect(error.error).toBe('invalid_client_metadata');
    expect(error.description).toContain('client_secret_jwt');
  });
});

describe('description', () => {
  it("cuts a long description to Auth0's 140 characters instead of failing", () => {
    const { description } = createClientBody(newClient({ description: 'y'.repeat(200) }));
    expect(description).toBe('y'.repeat(DESCRIPTION_MAX_LENGTH));
  });

  it('never splits a character made of two UTF-16 units, and counts those units', () => {
    const description = String(createClientBody(newClient({ description: '😀'.repeat(150) })).description);
    expect(description).toBe('😀'.repeat(70));
  });
});

describe('auth0ClientName', () => {
  it('drops the < and > Auth0 refuses in names', () => {
    expect(auth0ClientName('My <b>App</b>')).toBe('My bApp/b');
  });

  it('falls back to a fixed name when nothing else is left', () => {
    expect(auth0ClientName('<>')).toBe('Konnect application');
  });
});

describe('konnectMetadata', () => {
  it("keeps Konnect's ids as string properties, within Auth0's 10 properties", () => {
    const metadata = konnectMetadata({
      portalId: 'p',
      organizationId: 'o',
      developerId: 'd',
      applicationId: 'a',
      authStrategyId: 's',
      dcrProviderId: 'r',
    });
    expect(metadata).toEqual({
      managed_by: 'konnect-dcr-bridge',
      konnect_portal_id: 'p',
      konnect_organization_id: 'o',
      konnect_developer_id: 'd',
      konnect_application_id: 'a',
      konnect_auth_strategy_id: 's',
      konnect_dcr_provider_id: 'r',
    });
    expect(Object.keys(metadata).length).toBeLessThanOrEqual(10);
  });

  it('leaves out missing ids and values longer than 255 characters', () => {
    expect(konnectMetadata({ developerId: 'x'.repeat(256) })).toEqual({ managed_by: 'konnect-dcr-bridge' });
  });
});
