import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '../../../../functions/commons/configuration-error';
import { COGNITO_SETTING_NAMES, cognitoSettings } from '../../../../functions/idp/cognito/cognito-settings';
import { createIdpAdapter } from '../../../../functions/idp/create-idp-adapter';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';

const problems = (env: Record<string, string>) => {
  const parsed = cognitoSettings.safeParse(env);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('cognitoSettings', () => {
  it('derives the region, the issuer and the defaults from the user pool id alone', () => {
    expect(cognitoSettings.parse({ IDP_COGNITO_USER_POOL_ID: 'eu-central-1_AbC123' })).toEqual({
      userPoolId: 'eu-central-1_AbC123',
      region: 'eu-central-1',
      issuer: 'https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_AbC123',
      tokenEndpoint: undefined,
      resourceServer: undefined,
      defaultScopes: [],
      identityProviders: ['COGNITO'],
      oauthFlow: 'client_credentials',
    });
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
      }),
    ).toMatchObject({ region: 'eu-west-1', identityProviders: ['COGNITO'], oauthFlow: 'client_credentials' });
  });

  it('names each wrong setting', () => {
    expect(problems({})).toEqual(['IDP_COGNITO_USER_POOL_ID: required']);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'no-underscore' })[0]).toMatch(/^IDP_COGNITO_USER_POOL_ID: must be/);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'local_AbC' })).toEqual([
      'IDP_COGNITO_REGION: the user pool id does not start with a region; set IDP_COGNITO_REGION',
    ]);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'local_AbC', IDP_COGNITO_REGION: 'us-east-1' })).toEqual([]);
    expect(
      problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DOMAIN: 'http://acme.example.com' })[0],
    ).toMatch(/^IDP_COGNITO_DOMAIN: must use https/);
    expect(
      problems({
        IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A',
        IDP_COGNITO_DOMAIN: 'https://acme.example.com/oauth2/token',
      }),
    ).toEqual([expect.stringMatching(/^IDP_COGNITO_DOMAIN: must be the user pool domain without a path/)]);
    expect(problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DEFAULT_SCOPES: 'a b' })).toEqual([
      expect.stringMatching(/^IDP_COGNITO_DEFAULT_SCOPES\.0: each entry must be one scope/),
    ]);
    for (const wrong of ['authorization_code', 'Code', 'implicit']) {
      expect(problems({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_OAUTH_FLOW: wrong })).toEqual([
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
      cognitoSettings.parse({ IDP_COGNITO_USER_POOL_ID: 'eu-west-1_A', IDP_COGNITO_DOMAIN: 'http://127.0.0.1:4100' })
        .tokenEndpoint,
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
