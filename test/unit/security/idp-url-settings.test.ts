import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../functions/commons/configuration-error';
import { ADAPTERS, createIdpAdapter, type IdpType } from '../../../functions/idp/create-idp-adapter';
import { allowedOriginsSetting, isSecureIdpUrl } from '../../../functions/idp/settings';

/** Settings each adapter needs besides the URL under test. */
const BASE: Partial<Record<IdpType, Record<string, string>>> = {
  generic: { IDP_REGISTRATION_ENDPOINT: 'https://idp.example.com/register' },
  curity: { IDP_ISSUER: 'https://idp.example.com/oauth' },
  okta: {},
  keycloak: { IDP_KEYCLOAK_REALM: 'konnect' },
  entra: { IDP_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' },
  auth0: {},
};

// Every IdP URL setting: all read through the shared helpers of functions/idp/settings.ts.
const URL_SETTINGS: [IdpType, string][] = [
  ['generic', 'IDP_ISSUER'],
  ['generic', 'IDP_REGISTRATION_ENDPOINT'],
  ['generic', 'IDP_TOKEN_ENDPOINT'],
  ['curity', 'IDP_ISSUER'],
  ['curity', 'IDP_REGISTRATION_ENDPOINT'],
  ['curity', 'IDP_TOKEN_ENDPOINT'],
  ['okta', 'IDP_OKTA_ORG_URL'],
  ['keycloak', 'IDP_KEYCLOAK_URL'],
  ['entra', 'IDP_ENTRA_LOGIN_URL'],
  ['entra', 'IDP_ENTRA_GRAPH_URL'],
  ['auth0', 'IDP_AUTH0_DOMAIN'],
];

const parse = (idpType: IdpType, setting: string, value: string) =>
  ADAPTERS[idpType].settings.safeParse({ ...BASE[idpType], [setting]: value });

/**
 * Issue 9 finding 4: every IdP base-URL setting took http:// for any host, so one typo sent the
 * bridge's admin credentials in cleartext. https is required, except for this machine.
 */
describe('IdP URL settings require https except for loopback hosts', () => {
  it.each(URL_SETTINGS)('%s refuses %s over http to a remote host, naming the setting', (idpType, setting) => {
    const parsed = parse(idpType, setting, 'http://idp.example.com');

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toContainEqual(
      expect.objectContaining({ path: [setting], message: expect.stringContaining('must use https') }),
    );
  });

  it.each(URL_SETTINGS)('%s accepts %s over https, and over http to loopback hosts', (idpType, setting) => {
    for (const value of [
      'https://idp.example.com',
      'http://127.0.0.1:8080',
      'http://127.10.0.3',
      'http://localhost:3001',
      'http://[::1]:3001',
    ]) {
      expect(parse(idpType, setting, value).error?.issues).toBeUndefined();
    }
  });

  it.each([
    ['http://idp.example.com', false],
    ['http://10.0.0.7:8080', false],
    ['http://169.254.169.254/latest', false],
    ['http://localhost.attacker.example', false],
    ['http://127.0.0.1.nip.io', false],
    ['ftp://idp.example.com', false],
    ['https://idp.example.com', true],
    ['http://127.0.0.1', true],
    ['http://LOCALHOST:1', true],
    ['http://[::1]', true],
  ])('isSecureIdpUrl(%s) is %s', (url, secure) => {
    expect(isSecureIdpUrl(url)).toBe(secure);
  });

  it('makes the bridge answer with a configuration error naming the setting, not its value', () => {
    const create = () =>
      createIdpAdapter(
        {
          idpType: 'generic',
          callTimeoutMs: 1000,
          env: { IDP_ISSUER: 'http://idp.example.com/realms/konnect' },
        },
        { credentials: async () => ({}), store: () => ({}) as never },
      );

    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow(/IDP_ISSUER: must use https/);
    expect(create).not.toThrow(/idp\.example\.com/);
  });
});

describe('IDP_ALLOWED_ORIGINS', () => {
  it('reads comma-separated origins in canonical form', () => {
    expect(
      allowedOriginsSetting.parse(
        ' https://Login.IdP.example:443 , https://idp.example.com:8443/,http://127.0.0.1:9000',
      ),
    ).toEqual(['https://login.idp.example', 'https://idp.example.com:8443', 'http://127.0.0.1:9000']);
  });

  it.each([undefined, ''])('is empty when unset (%j)', (value) => {
    expect(allowedOriginsSetting.parse(value)).toEqual([]);
  });

  it.each([
    ['http to a remote host', 'http://idp.example.com', 'must use https'],
    ['a path', 'https://idp.example.com/oauth', 'origin only'],
    ['no URL', 'idp.example.com', 'origin such as'],
  ])('refuses an entry with %s', (_label, value, message) => {
    const parsed = ADAPTERS.generic.settings.safeParse({ ...BASE.generic, IDP_ALLOWED_ORIGINS: value });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path[0]).toBe('IDP_ALLOWED_ORIGINS');
    expect(parsed.error?.issues[0]?.message).toContain(message);
  });
});
