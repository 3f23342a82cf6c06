import { describe, expect, it } from '@jest/globals';
import { oktaAdapter } from '../../../../functions/idp/okta/okta-factory';

const parse = (env: Record<string, string>) => oktaAdapter.settings.safeParse(env);

describe('oktaAdapter settings', () => {
  it('needs no registration table', () => {
    expect(oktaAdapter.needsRegistrationStore).toBe(false);
  });

  it('defaults to an SSWS API token and trims the org URL', () => {
    const parsed = parse({ IDP_OKTA_ORG_URL: 'https://acme.okta.com/', IDP_OTHER: 'ignored' });
    expect(parsed.success && parsed.data).toEqual({
      IDP_OKTA_ORG_URL: 'https://acme.okta.com',
      IDP_OKTA_AUTH_MODE: 'ssws',
      IDP_OKTA_MANAGE_UNMARKED_CLIENTS: 'false',
    });
  });

  it('accepts a custom domain, OAuth mode with a key id, and managing unmarked clients', () => {
    const parsed = parse({
      IDP_OKTA_ORG_URL: 'https://login.acme.example',
      IDP_OKTA_AUTH_MODE: 'oauth',
      IDP_OKTA_KEY_ID: 'kid-1',
      IDP_OKTA_MANAGE_UNMARKED_CLIENTS: 'true',
    });
    expect(parsed.success && parsed.data).toMatchObject({ IDP_OKTA_AUTH_MODE: 'oauth', IDP_OKTA_KEY_ID: 'kid-1' });
  });

  it.each([
    ['no org URL', {}, 'IDP_OKTA_ORG_URL'],
    ['an empty org URL', { IDP_OKTA_ORG_URL: '' }, 'IDP_OKTA_ORG_URL'],
    ['an org URL with a query', { IDP_OKTA_ORG_URL: 'https://acme.okta.com/?x=1' }, 'IDP_OKTA_ORG_URL'],
    ['a non-http org URL', { IDP_OKTA_ORG_URL: 'ftp://acme.okta.com' }, 'IDP_OKTA_ORG_URL'],
    [
      'an unknown auth mode',
      { IDP_OKTA_ORG_URL: 'https://acme.okta.com', IDP_OKTA_AUTH_MODE: 'basic' },
      'IDP_OKTA_AUTH_MODE',
    ],
    [
      'a non-boolean switch',
      { IDP_OKTA_ORG_URL: 'https://acme.okta.com', IDP_OKTA_MANAGE_UNMARKED_CLIENTS: 'yes' },
      'IDP_OKTA_MANAGE_UNMARKED_CLIENTS',
    ],
  ])('refuses %s, naming the setting', (_label, env, setting) => {
    const parsed = parse(env);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(setting);
  });
});
