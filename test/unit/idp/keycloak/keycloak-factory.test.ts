import { describe, expect, it } from '@jest/globals';
import { keycloakAdapter } from '../../../../functions/idp/keycloak/keycloak-factory';

const problems = (env: Record<string, string>) => {
  const parsed = keycloakAdapter.settings.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
};

describe('keycloakAdapter settings', () => {
  it('needs the base URL and the realm, and no registration store', () => {
    expect(problems({})).toEqual(['IDP_KEYCLOAK_URL', 'IDP_KEYCLOAK_REALM']);
    expect(problems({ IDP_KEYCLOAK_URL: 'ftp://sso.example.com', IDP_KEYCLOAK_REALM: 'acme' })).toEqual([
      'IDP_KEYCLOAK_URL',
    ]);
    expect(keycloakAdapter.needsRegistrationStore).toBe(false);
  });

  it('takes an optional clientId prefix made of path-safe characters', () => {
    const base = { IDP_KEYCLOAK_URL: 'https://sso.example.com', IDP_KEYCLOAK_REALM: 'acme' };
    expect(problems({ ...base, IDP_KEYCLOAK_CLIENT_ID_PREFIX: 'portal-' })).toEqual([]);
    expect(problems({ ...base, IDP_KEYCLOAK_CLIENT_ID_PREFIX: '' })).toEqual([]);
    expect(problems({ ...base, IDP_KEYCLOAK_CLIENT_ID_PREFIX: 'a/b' })).toEqual(['IDP_KEYCLOAK_CLIENT_ID_PREFIX']);
  });
});
