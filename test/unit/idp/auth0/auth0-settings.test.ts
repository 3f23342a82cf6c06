import { describe, expect, it } from '@jest/globals';
import { auth0Adapter } from '../../../../functions/idp/auth0/auth0-factory';
import { auth0SettingsSchema } from '../../../../functions/idp/auth0/auth0-settings';

describe('Auth0 settings', () => {
  it('derives the token endpoint and the Management API audience from the tenant URL', () => {
    expect(auth0SettingsSchema.parse({ IDP_AUTH0_DOMAIN: 'https://acme.eu.auth0.com/' })).toEqual({
      baseUrl: 'https://acme.eu.auth0.com',
      tokenEndpoint: 'https://acme.eu.auth0.com/oauth/token',
      managementAudience: 'https://acme.eu.auth0.com/api/v2/',
      defaultAudience: undefined,
      defaultScopes: undefined,
    });
  });

  it('reads a bare tenant host as https', () => {
    expect(auth0SettingsSchema.parse({ IDP_AUTH0_DOMAIN: 'acme.us.auth0.com' }).baseUrl).toBe(
      'https://acme.us.auth0.com',
    );
  });

  it('keeps the canonical Management API audience when calls go through a custom domain', () => {
    const settings = auth0SettingsSchema.parse({
      IDP_AUTH0_DOMAIN: 'https://login.acme.com',
      IDP_AUTH0_MANAGEMENT_AUDIENCE: 'https://acme.eu.auth0.com/api/v2/',
      IDP_AUTH0_DEFAULT_AUDIENCE: 'https://api.acme.com',
      IDP_AUTH0_DEFAULT_SCOPES: ' read:orders  write:orders ',
    });
    expect(settings).toEqual({
      baseUrl: 'https://login.acme.com',
      tokenEndpoint: 'https://login.acme.com/oauth/token',
      managementAudience: 'https://acme.eu.auth0.com/api/v2/',
      defaultAudience: 'https://api.acme.com',
      defaultScopes: ['read:orders', 'write:orders'],
    });
  });

  it('treats empty settings as unset', () => {
    const settings = auth0SettingsSchema.parse({
      IDP_AUTH0_DOMAIN: 'https://acme.eu.auth0.com',
      IDP_AUTH0_MANAGEMENT_AUDIENCE: '',
      IDP_AUTH0_DEFAULT_AUDIENCE: '',
      IDP_AUTH0_DEFAULT_SCOPES: '',
    });
    expect(settings.defaultAudience).toBeUndefined();
    expect(settings.defaultScopes).toBeUndefined();
    expect(settings.managementAudience).toBe('https://acme.eu.auth0.com/api/v2/');
  });

  it.each([
    [{}, 'IDP_AUTH0_DOMAIN'],
    [{ IDP_AUTH0_DOMAIN: '' }, 'IDP_AUTH0_DOMAIN'],
    [{ IDP_AUTH0_DOMAIN: 'https://acme.eu.auth0.com/api/v2' }, 'without a path'],
    [{ IDP_AUTH0_DOMAIN: 'ftp://acme.eu.auth0.com' }, 'IDP_AUTH0_DOMAIN'],
    [{ IDP_AUTH0_DOMAIN: 'http://acme.eu.auth0.com' }, 'https'],
    [
      { IDP_AUTH0_DOMAIN: 'acme.eu.auth0.com', IDP_AUTH0_DEFAULT_AUDIENCE: 'https://ACME.eu.auth0.com/api/v2' },
      'Management API',
    ],
    [
      {
        IDP_AUTH0_DOMAIN: 'https://login.acme.com',
        IDP_AUTH0_MANAGEMENT_AUDIENCE: 'https://acme.eu.auth0.com/api/v2/',
        IDP_AUTH0_DEFAULT_AUDIENCE: 'https://acme.eu.auth0.com/api/v2/',
      },
      'Management API',
    ],
  ])('refuses %j', (env, problem) => {
    const result = auth0Adapter.settings.safeParse(env);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(problem);
  });
});
