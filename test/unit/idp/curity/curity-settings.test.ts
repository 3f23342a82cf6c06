import { describe, expect, it } from '@jest/globals';
import { curitySettings } from '../../../../functions/idp/curity/curity-settings';

const ISSUER = 'https://idsvr.example.com/oauth/v2/oauth-anonymous';

describe('curitySettings', () => {
  it('defaults to dcrm management with the "dcr" and "dcrm" scopes', () => {
    expect(curitySettings.parse({ IDP_ISSUER: ISSUER })).toEqual({
      IDP_ISSUER: ISSUER,
      IDP_ALLOWED_ORIGINS: [],
      IDP_CURITY_MANAGEMENT: 'dcrm',
      IDP_CURITY_DCR_SCOPE: 'dcr',
      IDP_CURITY_DCRM_SCOPE: 'dcrm',
    });
  });

  it('treats empty settings as unset, as the CDK may pass them', () => {
    const parsed = curitySettings.parse({
      IDP_ISSUER: ISSUER,
      IDP_CURITY_MANAGEMENT: '',
      IDP_CURITY_DCR_SCOPE: '',
      IDP_REGISTRATION_ENDPOINT: '',
    });
    expect(parsed.IDP_CURITY_MANAGEMENT).toBe('dcrm');
    expect(parsed.IDP_CURITY_DCR_SCOPE).toBe('dcr');
    expect(parsed.IDP_REGISTRATION_ENDPOINT).toBeUndefined();
  });

  it('takes explicit endpoints, the rat mode and other scope names', () => {
    const parsed = curitySettings.parse({
      IDP_ISSUER: ISSUER,
      IDP_REGISTRATION_ENDPOINT: 'https://idsvr.example.com/token-service/oauth-registration',
      IDP_TOKEN_ENDPOINT: 'https://idsvr.example.com/oauth/v2/oauth-token',
      IDP_CURITY_MANAGEMENT: 'rat',
      IDP_CURITY_DCR_SCOPE: 'konnect_dcr',
    });
    expect(parsed).toMatchObject({ IDP_CURITY_MANAGEMENT: 'rat', IDP_CURITY_DCR_SCOPE: 'konnect_dcr' });
  });

  it('takes IDP_ALLOWED_ORIGINS, as the generic adapter does, for endpoints on another origin', () => {
    const parsed = curitySettings.parse({ IDP_ISSUER: ISSUER, IDP_ALLOWED_ORIGINS: 'https://dcr.example.com' });
    expect(parsed.IDP_ALLOWED_ORIGINS).toEqual(['https://dcr.example.com']);
  });

  it.each([
    ['no issuer', {}, 'IDP_ISSUER'],
    ['an unknown mode', { IDP_ISSUER: ISSUER, IDP_CURITY_MANAGEMENT: 'admin' }, 'IDP_CURITY_MANAGEMENT'],
    ['two scopes in one', { IDP_ISSUER: ISSUER, IDP_CURITY_DCRM_SCOPE: 'dcrm openid' }, 'IDP_CURITY_DCRM_SCOPE'],
  ])('refuses %s, naming the setting', (_label, env, name) => {
    const parsed = curitySettings.safeParse(env);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toContain(name);
  });
});
