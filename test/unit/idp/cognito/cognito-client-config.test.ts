import type { UpdateUserPoolClientRequest, UserPoolClientType } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from '@jest/globals';
import {
  cognitoScopes,
  createRequestFor,
  oauthFlowsFor,
  updateRequestFor,
} from '../../../../functions/idp/cognito/cognito-client-config';
import { cognitoSettings } from '../../../../functions/idp/cognito/cognito-settings';
import type { NewClient } from '../../../../functions/idp/idp-adapter';

const settings = cognitoSettings.parse({
  IDP_COGNITO_USER_POOL_ID: 'eu-central-1_Pool1',
  IDP_COGNITO_RESOURCE_SERVER: 'https://api.example.com',
  IDP_COGNITO_DEFAULT_SCOPES: 'https://api.example.com/read',
});
// No resource server nor default scopes: valid in code mode only, here to check the create-time refusals.
const bare = cognitoSettings.parse({ IDP_COGNITO_USER_POOL_ID: 'eu-central-1_Pool1', IDP_COGNITO_OAUTH_FLOW: 'code' });

const newClient = (overrides: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Payments App',
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: {},
  ...overrides,
});

const descriptionOf = (error: () => unknown) => {
  try {
    error();
  } catch (caught) {
    return (caught as { statusCode: number; description: string }).statusCode === 400
      ? (caught as { description: string }).description
      : 'not a 400';
  }
  return 'no error';
};

describe('oauthFlowsFor', () => {
  it('makes every client a client credentials client by default, whatever else Konnect asks for', () => {
    expect(oauthFlowsFor({ grantTypes: ['client_credentials'] }, 'client_credentials')).toEqual({
      flows: ['client_credentials'],
      notGranted: [],
    });
    expect(
      oauthFlowsFor(
        { grantTypes: ['client_credentials', 'authorization_code', 'implicit', 'refresh_token'] },
        'client_credentials',
      ),
    ).toEqual({ flows: ['client_credentials'], notGranted: ['authorization_code', 'implicit', 'refresh_token'] });
  });

  it('makes every client a code-flow client in code mode (Cognito allows no mix with client credentials)', () => {
    expect(oauthFlowsFor({ grantTypes: ['client_credentials'] }, 'code')).toEqual({
      flows: ['code'],
      notGranted: ['client_credentials'],
    });
    expect(
      oauthFlowsFor({ grantTypes: ['client_credentials', 'authorization_code', 'implicit', 'refresh_token'] }, 'code'),
    ).toEqual({ flows: ['code', 'implicit'], notGranted: ['client_credentials'] });
  });
});

describe('cognitoScopes', () => {
  it('reads bare scopes as the resource server’s, keeps full and built-in names, drops repeats', () => {
    expect(
      cognitoScopes(['read', 'https://api.example.com/read', 'other/write'], ['client_credentials'], settings),
    ).toEqual(['https://api.example.com/read', 'other/write']);
    expect(cognitoScopes(['openid', 'email', 'read'], ['code'], settings)).toEqual([
      'openid',
      'email',
      'https://api.example.com/read',
    ]);
  });

  it('falls back to IDP_COGNITO_DEFAULT_SCOPES, and to openid for user flows', () => {
    expect(cognitoScopes([], ['client_credentials'], settings)).toEqual(['https://api.example.com/read']);
    expect(cognitoScopes([], ['code'], bare)).toEqual(['openid']);
  });

  it('refuses, before any call, what Cognito could not make a usable client of', () => {
    expect(descriptionOf(() => cognitoScopes(['read'], ['client_credentials'], bare))).toContain(
      'IDP_COGNITO_RESOURCE_SERVER',
    );
    expect(descriptionOf(() => cognitoScopes([], ['client_credentials'], bare))).toContain(
      'IDP_COGNITO_DEFAULT_SCOPES',
    );
    expect(descriptionOf(() => cognitoScopes(['openid', 'read'], ['client_credentials'], settings))).toContain(
      'openid can only be granted to users',
    );
    const many = Array.from({ length: 51 }, (_, index) => `s${index}`);
    expect(descriptionOf(() => cognitoScopes(many, ['client_credentials'], settings))).toContain('at most 50');
    expect(descriptionOf(() => cognitoScopes(['read'], ['client_credentials'], bare))).toMatch(/^scopes: /);
  });
});

describe('createRequestFor', () => {
  const codeSettings = { ...settings, oauthFlow: 'code' as const };

  it('asks for a secret, the OAuth flow, its scopes, and nothing a user sign-in needs', () => {
    expect(createRequestFor(newClient(), 'Payments App dcr-bridge.00000000', settings)).toEqual({
      request: {
        ClientName: 'Payments App dcr-bridge.00000000',
        GenerateSecret: true,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['client_credentials'],
        AllowedOAuthScopes: ['https://api.example.com/read'],
        ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
      },
      notGranted: { grants: [], scopes: [] },
      defaultScopes: false,
    });
  });

  it('makes a client credentials client of a code-flow request by default, and says what it did not grant', () => {
    const plan = createRequestFor(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code', 'refresh_token'],
        redirectUris: ['https://app/cb'],
        scopes: ['openid', 'email', 'read'],
      }),
      'n',
      settings,
    );
    expect(plan.request).toMatchObject({
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthScopes: ['https://api.example.com/read'],
    });
    expect(plan.request).not.toHaveProperty('CallbackURLs');
    expect(plan.request).not.toHaveProperty('SupportedIdentityProviders');
    expect(plan.notGranted).toEqual({ grants: ['authorization_code', 'refresh_token'], scopes: ['openid', 'email'] });
    // Only the user flow's scopes: left with none, the default scopes apply.
    expect(
      createRequestFor(
        newClient({
          grantTypes: ['client_credentials', 'implicit'],
          redirectUris: ['https://app/cb'],
          scopes: ['openid'],
        }),
        'n',
        settings,
      ).request.AllowedOAuthScopes,
    ).toEqual(['https://api.example.com/read']);
  });

  it('still refuses user scopes on a request for client credentials alone', () => {
    expect(descriptionOf(() => createRequestFor(newClient({ scopes: ['openid'] }), 'n', settings))).toContain(
      'openid can only be granted to users',
    );
  });

  it('gives code-flow clients their callback URLs and identity providers in code mode', () => {
    const plan = createRequestFor(
      newClient({
        grantTypes: ['client_credentials', 'authorization_code'],
        redirectUris: ['https://app/cb'],
        scopes: ['openid', 'read'],
      }),
      'n',
      codeSettings,
    );
    expect(plan.request).toMatchObject({
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'https://api.example.com/read'],
      CallbackURLs: ['https://app/cb'],
      SupportedIdentityProviders: ['COGNITO'],
    });
    expect(plan.notGranted).toEqual({ grants: ['client_credentials'], scopes: [] });
    expect(
      createRequestFor(newClient({ redirectUris: ['https://app/cb'] }), 'n', codeSettings).request.AllowedOAuthFlows,
    ).toEqual(['code']);
  });

  it('refuses a code-flow client without redirect URIs, naming the field and the setting', () => {
    const description = descriptionOf(() => createRequestFor(newClient(), 'n', codeSettings));
    expect(description).toMatch(/^redirect_uris: /);
    expect(description).toContain('IDP_COGNITO_OAUTH_FLOW');
  });
});

it('says when the scopes are the admin’s defaults (Konnect sent none), so their refusal is no 400', () => {
  expect(createRequestFor(newClient({ scopes: [] }), 'n', settings)).toMatchObject({
    request: { AllowedOAuthScopes: ['https://api.example.com/read'] },
    defaultScopes: true,
  });
});

describe('updateRequestFor', () => {
  const described: UserPoolClientType = {
    UserPoolId: 'eu-central-1_Pool1',
    ClientId: 'client1',
    ClientName: 'Payments App dcr-bridge.00000000',
    ClientSecret: 'not-sent-back-0000000000',
    CreationDate: new Date(0),
    LastModifiedDate: new Date(0),
    RefreshTokenValidity: 30,
    AccessTokenValidity: 60,
    IdTokenValidity: 60,
    TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
    ReadAttributes: ['email'],
    WriteAttributes: ['email'],
    ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
    SupportedIdentityProviders: ['COGNITO'],
    CallbackURLs: ['https://app/old', 'https://app/kept'],
    LogoutURLs: ['https://app/logout'],
    DefaultRedirectURI: 'https://app/kept',
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid'],
    AllowedOAuthFlowsUserPoolClient: true,
    AnalyticsConfiguration: { ApplicationId: 'a', UserDataShared: false },
    PreventUserExistenceErrors: 'ENABLED',
    EnableTokenRevocation: true,
    EnablePropagateAdditionalUserContextData: false,
    AuthSessionValidity: 3,
    RefreshTokenRotation: { Feature: 'DISABLED' },
  };

  it('sends back every setting Cognito described, with the new callback URLs', () => {
    const request = updateRequestFor(described, ['https://app/kept', 'https://app/new']);
    const { UserPoolId, ClientSecret, CreationDate, LastModifiedDate, ...settable } = described;
    expect(request).toEqual({ ...settable, CallbackURLs: ['https://app/kept', 'https://app/new'] });
    // Read-only parts of the description are never sent.
    expect(Object.keys(request)).not.toEqual(expect.arrayContaining(['ClientSecret']));
  });

  it('drops a default redirect URI that is no longer a callback URL', () => {
    const request: Partial<UpdateUserPoolClientRequest> = updateRequestFor(described, ['https://app/new']);
    expect(request.DefaultRedirectURI).toBeUndefined();
    expect(request.CallbackURLs).toEqual(['https://app/new']);
  });

  it('never sends PublishSecretsInAWSSecretsManager: true would rotate the secret at once (API_UpdateUserPoolClient)', () => {
    const request = updateRequestFor({ ...described, ClientSecretArn: 'arn:x' }, ['https://app/new']);
    expect(request).not.toHaveProperty('PublishSecretsInAWSSecretsManager');
    expect(request).not.toHaveProperty('ClientSecretArn');
  });
});
