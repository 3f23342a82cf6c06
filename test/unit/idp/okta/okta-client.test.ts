import { describe, expect, it } from '@jest/globals';
import type { NewClient } from '../../../../functions/idp/idp-adapter';
import {
  isOktaNativeApp,
  type OktaClient,
  oktaClient,
  registrationBody,
  updateBody,
  usesRedirects,
} from '../../../../functions/idp/okta/okta-client';

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather',
  description: 'Shows the weather',
  redirectUris: ['https://weather.example.com/cb'],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['forecast'],
  tokenEndpointAuthMethod: 'client_secret_post',
  konnect: {},
  ...extra,
});

describe('registrationBody', () => {
  it('registers a client-credentials app as an Okta service app without redirect URIs or scopes', () => {
    expect(registrationBody(newClient(), 'Weather (x)')).toEqual({
      client_name: 'Weather (x)',
      application_type: 'service',
      grant_types: ['client_credentials'],
      response_types: ['token'],
      token_endpoint_auth_method: 'client_secret_post',
    });
  });

  it('registers an app with a redirect-based grant as a web app with its redirect URIs', () => {
    const body = registrationBody(
      newClient({ grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'], responseTypes: ['code'] }),
      'Weather (x)',
    );
    expect(body).toEqual({
      client_name: 'Weather (x)',
      application_type: 'web',
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: ['https://weather.example.com/cb'],
      token_endpoint_auth_method: 'client_secret_post',
    });
  });

  it('registers a native app for private-use redirect URIs, without client credentials, which Okta refuses there', () => {
    const body = registrationBody(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code'],
        responseTypes: ['code'],
        redirectUris: ['com.example.weather:/callback', 'http://127.0.0.1:8765/cb'],
      }),
      'Weather (x)',
    );
    expect(body).toMatchObject({
      application_type: 'native',
      grant_types: ['authorization_code'],
      redirect_uris: ['com.example.weather:/callback', 'http://127.0.0.1:8765/cb'],
    });
  });

  it('keeps a web app when https redirect URIs are among private-use ones, and lets Okta judge them', () => {
    const body = registrationBody(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code'],
        redirectUris: ['https://weather.example.com/cb', 'com.example.weather:/callback'],
      }),
      'n',
    );
    expect(body.application_type).toBe('web');
  });

  it('never sends the application description or scopes, which Okta’s DCR object does not have', () => {
    const body = registrationBody(newClient({ grantTypes: ['client_credentials', 'implicit'] }), 'n');
    expect(body).not.toHaveProperty('scope');
    expect(body).not.toHaveProperty('description');
  });
});

describe('isOktaNativeApp', () => {
  it.each([
    [['com.example.app:/cb'], true],
    [['com.example.app:/cb', 'http://localhost:8080/cb'], true],
    [['http://localhost:8080/cb'], false],
    [['https://app.example.com/cb', 'com.example.app:/cb'], false],
    [[], false],
  ])('%j → %s', (uris, expected) => {
    expect(isOktaNativeApp(uris)).toBe(expected);
  });
});

describe('usesRedirects', () => {
  it.each([
    [['client_credentials'], false],
    [[], false],
    [null, false],
    [['client_credentials', 'authorization_code'], true],
    [['implicit'], true],
    [['refresh_token'], true],
  ])('%j → %s', (grants, expected) => {
    expect(usesRedirects(grants)).toBe(expected);
  });
});

describe('updateBody', () => {
  const current: OktaClient = oktaClient.parse({
    client_id: '0oa1',
    client_secret: 'should-not-be-sent',
    client_id_issued_at: 1_700_000_000,
    client_secret_expires_at: 0,
    client_name: 'Weather (x)',
    client_uri: null,
    application_type: 'web',
    redirect_uris: ['https://old.example.com/cb'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    _links: { self: { href: 'https://acme.okta.com/x' } },
  });

  it('sends the full object with the change, minus the fields Okta refuses on update', () => {
    expect(updateBody(current, { redirect_uris: ['https://new.example.com/cb'] })).toEqual({
      client_id: '0oa1',
      client_name: 'Weather (x)',
      client_uri: null,
      application_type: 'web',
      redirect_uris: ['https://new.example.com/cb'],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    });
  });

  it('does not modify the current object', () => {
    const before = structuredClone(current);
    updateBody(current, { redirect_uris: [] });
    expect(current).toEqual(before);
  });
});

describe('oktaClient', () => {
  it('accepts Okta’s nulls and keeps unknown fields', () => {
    const parsed = oktaClient.parse({ client_id: '0oa1', client_secret: null, logo_uri: null, jwks: { keys: [] } });
    expect(parsed).toEqual({ client_id: '0oa1', client_secret: null, logo_uri: null, jwks: { keys: [] } });
  });

  it.each([
    ['no client_id', {}],
    ['an empty client_id', { client_id: '' }],
    ['an empty secret', { client_id: '0oa1', client_secret: '' }],
    ['a negative issue time', { client_id: '0oa1', client_id_issued_at: -1 }],
  ])('refuses %s', (_label, body) => {
    expect(oktaClient.safeParse(body).success).toBe(false);
  });
});
