import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../../functions/commons/configuration-error';
import { COGNITO_SETTING_NAMES, cognitoSettings } from '../../../../functions/idp/cognito/cognito-settings';
import { createIdpAdapter } from '../../../../functions/idp/create-idp-adapter';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';

const problems = (env: Record<string, string>) => {
  const parsed = cognitoSettings.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};
/** Problems besides the default scopes client credentials requires. */
const otherProblems = (env: Record<string, string>) => {
  const parsed = cognitoSettings.safeParse({ IDP_COGNITO_DEFAULT_SCOPES: 'api/read', ...env });
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('cognitoSettings', () => {
  it('derives the region, the issuer and the defaults from the user pool id alone', () => {
    expect(
      cognitoSettings.parse({
        IDP_COGNITO_USER_POOL_ID: 'eu-central-1_AbC123',
        IDP_COGNITO_DEFAULT_SCOPES: 'api/read',
      }),
    ).toEqual({
      userPoolId: 'eu-central-1_AbC123',
      region: 'eu-central-1',
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123',
      tokenEndpoint: undefined,
      resourceServer: undefined,
      defaultScopes: ['api/read'],
      identityProviders: ['COGNITO'],
      oauthFlow: 'client_credentials',
    });
    expect(
      cognitoSettings.parse({ IDP_COGNITO_USER_POOL_ID: 'eu-central-1_AbC123', IDP_COGNITO_OAUTH_FLOW: 'code' })
        .defaultScopes,
    ).toEqual([]);
  });

  it('requires IDP_COGNITO_DEFAULT_SCOPES with client credentials: Konnect’s Verify sends no scope', () => {
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A' })).toEqual([
      expect.stringMatching(/^IDP_COGNITO_DEFAULT_SCOPES: required with IDP_COGNITO_OAUTH_FLOW=client_credentials/),
    ]);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DEFAULT_SCOPES: 'openid' })).toEqual([
      expect.stringMatching(
        /^IDP_COGNITO_DEFAULT_SCOPES: with IDP_COGNITO_OAUTH_FLOW=client_credentials only resource server scopes/,
      ),
    ]);
  });

  it('maps a default scope without "/" through the resource server, as Konnect’s scopes, and refuses it without one', () => {
    expect(
      cognitoSettings.parse({
        IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A',
        IDP_COGNITO_RESOURCE_SERVER: 'https://api.example.com',
        IDP_COGNITO_DEFAULT_SCOPES: 'read,https://api.example.com/read,other/write',
      }).defaultScopes,
    ).toEqual(['https://api.example.com/read', 'other/write']);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DEFAULT_SCOPES: 'read' })).toEqual([
      expect.stringMatching(/^IDP_COGNITO_DEFAULT_SCOPES: a scope without "\/" needs IDP_COGNITO_RESOURCE_SERVER/),
    ]);
  });

  it('reads the domain, the resource server and the comma lists', () => {
    const settings = cognitoSettings.parse({
      IDP_COGNITO_USER_POOL_ID: 'us-east-1_x9',
      IDP_COGNITO_REGION: 'us-east-1',
      IDP_COGNITO_DOMAIN: 'https://acme.auth.us-east-1.amazoncognito.com/',
      IDP_COGNITO_RESOURCE_SERVER: 'https://api.example.com',
      IDP_COGNITO_DEFAULT_SCOPES: ' https://api.example.com/read , api/write ,',
      IDP_COGNITO_IDENTITY_PROVIDERS: 'COGNITO,Google',
      IDP_COGNITO_OAUTH_FLOW: 'code',
    });
    expect(settings).toMatchObject({
      tokenEndpoint: 'https://acme.auth.us-east-1.amazoncognito.com/oauth2/token',
      resourceServer: 'https://api.example.com',
      defaultScopes: ['https://api.example.com/read', 'api/write'],
      identityProviders: ['COGNITO', 'Google'],
      oauthFlow: 'code',
    });
  });

  it('treats empty values as unset', () => {
    expect(
      cognitoSettings.parse({
        IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A',
        IDP_COGNITO_REGION: '',
        IDP_COGNITO_DOMAIN: '',
        IDP_COGNITO_IDENTITY_PROVIDERS: '',
        IDP_COGNITO_OAUTH_FLOW: '',
        IDP_COGNITO_DEFAULT_SCOPES: 'api/read',
      }),
    ).toMatchObject({ region: 'eu-west-1', identityProviders: ['COGNITO'], oauthFlow: 'client_credentials' });
  });

  it('names each wrong setting', () => {
    expect(otherProblems({})).toEqual(['IDP_COGNITO_USER_POOL_ID: required']);
    expect(otherProblems({ IDP_COGNITO_USER_POOL_ID: 'no-underscore' })[0]).toMatch(
      /^IDP_COGNITO_USER_POOL_ID: must be/,
    );
    expect(otherProblems({ IDP_COGNITO_USER_POOL_ID: 'local_AbC' })).toEqual([
      'IDP_COGNITO_REGION: the user pool id does not start with a region; set IDP_COGNITO_REGION',
    ]);
    expect(otherProblems({ IDP_COGNITO_USER_POOL_ID: 'local_AbC', IDP_COGNITO_REGION: 'us-east-1' })).toEqual([]);
    expect(
      otherProblems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DOMAIN: 'http://acme.example.com' })[0],
    ).toMatch(/^IDP_COGNITO_DOMAIN: must use https/);
    expect(
      otherProblems({
        IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A',
        IDP_COGNITO_DOMAIN: 'https://acme.example.com/oauth2/token',
      }),
    ).toEqual([expect.stringMatching(/^IDP_COGNITO_DOMAIN: must be the user pool domain without a path/)]);
    expect(otherProblems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DEFAULT_SCOPES: 'a b' })).toEqual([
      expect.stringMatching(/^IDP_COGNITO_DEFAULT_SCOPES\.0: each entry must be one scope/),
    ]);
    for (const wrong of ['authorization_code', 'Code', 'implicit']) {
      expect(otherProblems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_OAUTH_FLOW: wrong })).toEqual([
        'IDP_COGNITO_OAUTH_FLOW: must be "client_credentials" or "code"',
      ]);
    }
  });

  it('makes a wrong IDP_COGNITO_OAUTH_FLOW a misconfiguration naming it (the bridge answers 503)', () => {
    const build = (flow: string) => () =>
      createIdpAdapter(
        {
          idpType: 'cognito',
          callTimeoutMs: 1000,
          env: { IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_OAUTH_FLOW: flow },
        },
        { credentials: async () => ({}), store: () => new MemoryRegistrationStore() },
      );
    expect(build('implicit')).toThrow(ConfigurationError);
    expect(build('implicit')).toThrow('IDP_COGNITO_OAUTH_FLOW: must be "client_credentials" or "code"');
    expect(build('code')).not.toThrow();
  });

  it('allows http to a loopback domain (the fake token endpoint)', () => {
    expect(
      cognitoSettings.parse({
        IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A',
        IDP_COGNITO_DOMAIN: 'http://127.0.0.1:4100',
        IDP_COGNITO_OAUTH_FLOW: 'code',
      }).tokenEndpoint,
    ).toBe('http://127.0.0.1:4100/oauth2/token');
  });

  it('lists its setting names for the CDK side', () => {
    expect(COGNITO_SETTING_NAMES).toEqual([
      'IDP_COGNITO_USER_POOL_ID',
      'IDP_COGNITO_REGION',
      'IDP_COGNITO_DOMAIN',
      'IDP_COGNITO_RESOURCE_SERVER',
      'IDP_COGNITO_DEFAULT_SCOPES',
      'IDP_COGNITO_IDENTITY_PROVIDERS',
      'IDP_COGNITO_OAUTH_FLOW',
    ]);
  });
});
