import type {
  CreateUserPoolClientRequest,
  OAuthFlowType,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { type BridgeError, invalidClientMetadata } from '../../commons/bridge-error';
import type { OAuthGrantType } from '../../contract/grant-translation';
import type { NewClient } from '../idp-adapter';
import { BUILT_IN_SCOPES, type CognitoOAuthFlow, type CognitoSettings } from './cognito-settings';

// API_CreateUserPoolClient: AllowedOAuthScopes holds at most 50 entries.
const MAX_SCOPES = 50;

/** The OAuth flows of a new app client, and the grants Konnect asked for that it does not get. */
export interface FlowChoice {
  flows: OAuthFlowType[];
  notGranted: OAuthGrantType[];
}

/**
 * Cognito does not enable client credentials in the same app client as the code or implicit grant
 * (developer guide, "OAuth 2.0 grants"), so IDP_COGNITO_OAUTH_FLOW picks one kind for every client:
 * client credentials clients (whatever else Konnect asks for: the credentials the bridge returns
 * must work at the token endpoint), or code-flow clients (implicit too when asked; refresh tokens
 * come with the code grant).
 */
export function oauthFlowsFor(client: Pick<NewClient, 'grantTypes'>, mode: CognitoOAuthFlow): FlowChoice {
  if (mode === 'client_credentials') {
    return {
      flows: ['client_credentials'],
      notGranted: client.grantTypes.filter((grant) => grant !== 'client_credentials'),
    };
  }
  return {
    flows: client.grantTypes.includes('implicit') ? ['code', 'implicit'] : ['code'],
    notGranted: client.grantTypes.filter((grant) => grant === 'client_credentials'),
  };
}

/**
 * Konnect's scopes as Cognito scope names: one with "/" is a full "<resource server>/<scope>"
 * name, a built-in one stays as it is, any other is read as a scope of IDP_COGNITO_RESOURCE_SERVER.
 * None asked for: IDP_COGNITO_DEFAULT_SCOPES. Refused here, before any call, when Cognito could
 * not make a usable client of them.
 */
export function cognitoScopes(requested: string[], flows: OAuthFlowType[], settings: CognitoSettings): string[] {
  const mapped = requested.map((scope) => {
    if (scope.includes('/') || BUILT_IN_SCOPES.has(scope)) return scope;
    if (!settings.resourceServer) {
      throw invalidClientMetadata(
        `scopes: "${scope}" names no resource server; request "<resource server>/${scope}", or have the bridge's admin set IDP_COGNITO_RESOURCE_SERVER.`,
      );
    }
    return `${settings.resourceServer}/${scope}`;
  });
  const scopes = [...new Set(mapped.length > 0 ? mapped : settings.defaultScopes)];
  if (scopes.length > MAX_SCOPES) {
    throw invalidClientMetadata(`scopes: Cognito allows at most ${MAX_SCOPES} scopes per app client.`);
  }
  if (flows.includes('client_credentials')) {
    const builtIn = scopes.filter((scope) => BUILT_IN_SCOPES.has(scope));
    if (builtIn.length > 0) {
      throw invalidClientMetadata(
        `scopes: ${builtIn.join(', ')} can only be granted to users; Cognito's client credentials grant takes resource server scopes only.`,
      );
    }
    if (scopes.length === 0) {
      throw invalidClientMetadata(
        "scopes: Cognito's client credentials grant needs at least one resource server scope; request one, or have the bridge's admin set IDP_COGNITO_DEFAULT_SCOPES.",
      );
    }
  }
  // Guess: Cognito wants at least one scope for any OAuth app client; openid is the harmless one.
  return scopes.length > 0 ? scopes : ['openid'];
}

/** A create, and what Konnect asked for that the client does not get (for one log line). */
export interface CreatePlan {
  request: Omit<CreateUserPoolClientRequest, 'UserPoolId'>;
  notGranted: { grants: OAuthGrantType[]; scopes: string[] };
  /** The scopes are the admin's IDP_COGNITO_DEFAULT_SCOPES, not Konnect's: a refusal of them is no 400. */
  defaultScopes: boolean;
}

/** Code-flow clients need a callback URL (API_CreateUserPoolClient: CallbackURLs, for code and implicit). */
export function redirectUrisRequired(): BridgeError {
  return invalidClientMetadata(
    "redirect_uris: this bridge makes Cognito app clients for the authorization code flow (IDP_COGNITO_OAUTH_FLOW=code), which need at least one redirect URI; add one to the application, or have the bridge's admin set IDP_COGNITO_OAUTH_FLOW=client_credentials.",
  );
}

/** CreateUserPoolClient's input for a Konnect application (API_CreateUserPoolClient). */
export function createRequestFor(client: NewClient, clientName: string, settings: CognitoSettings): CreatePlan {
  const { flows, notGranted } = oauthFlowsFor(client, settings.oauthFlow);
  const userFlow = settings.oauthFlow === 'code';
  if (userFlow && client.redirectUris.length === 0) throw redirectUrisRequired();
  // Built-in scopes asked along with a user flow go with that flow, rather than refuse the client.
  const droppedScopes =
    !userFlow && notGranted.some((grant) => grant === 'authorization_code' || grant === 'implicit')
      ? client.scopes.filter((scope) => BUILT_IN_SCOPES.has(scope))
      : [];
  const scopes = client.scopes.filter((scope) => !droppedScopes.includes(scope));
  return {
    request: {
      ClientName: clientName,
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: flows,
      AllowedOAuthScopes: cognitoScopes(scopes, flows, settings),
      ...(userFlow
        ? { CallbackURLs: client.redirectUris, SupportedIdentityProviders: settings.identityProviders }
        : {}),
      // Refresh tokens only: no user sign-in APIs (SRP, password, custom auth) on a Konnect client.
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
    },
    notGranted: { grants: notGranted, scopes: [...new Set(droppedScopes)] },
    defaultScopes: scopes.length === 0,
  };
}

/** Whether a described app client signs users in (code or implicit), so callback URLs mean something to it. */
export function usesCallbacks(current: UserPoolClientType): boolean {
  return (current.AllowedOAuthFlows ?? []).some((flow) => flow !== 'client_credentials');
}

/**
 * Every setting of UpdateUserPoolClient, with where its value comes from. Typed over the SDK's
 * request, so a setting a new SDK version adds fails the build until it is carried over here:
 * UpdateUserPoolClient resets every setting it is not sent to its default (API_UpdateUserPoolClient).
 */
const CARRIED_OVER: Record<
  // PublishSecretsInAWSSecretsManager is never sent: true starts managing the secret and rotates it
  // at once; left out, it stays as it is (API_UpdateUserPoolClient).
  keyof Omit<UpdateUserPoolClientRequest, 'UserPoolId' | 'ClientId' | 'PublishSecretsInAWSSecretsManager'>,
  true
> = {
  ClientName: true,
  RefreshTokenValidity: true,
  AccessTokenValidity: true,
  IdTokenValidity: true,
  TokenValidityUnits: true,
  ReadAttributes: true,
  WriteAttributes: true,
  ExplicitAuthFlows: true,
  SupportedIdentityProviders: true,
  CallbackURLs: true,
  LogoutURLs: true,
  DefaultRedirectURI: true,
  AllowedOAuthFlows: true,
  AllowedOAuthScopes: true,
  AllowedOAuthFlowsUserPoolClient: true,
  AnalyticsConfiguration: true,
  PreventUserExistenceErrors: true,
  EnableTokenRevocation: true,
  EnablePropagateAdditionalUserContextData: true,
  AuthSessionValidity: true,
  RefreshTokenRotation: true,
};

/**
 * The described client, sent back whole with new callback URLs. DefaultRedirectURI stays only
 * while it is still a callback URL (Cognito requires it to be one). PublishSecretsInAWSSecretsManager
 * is left out, which leaves it unchanged (see CARRIED_OVER).
 */
export function updateRequestFor(
  current: UserPoolClientType,
  callbackUrls: string[],
): Omit<UpdateUserPoolClientRequest, 'UserPoolId'> {
  const request: Omit<UpdateUserPoolClientRequest, 'UserPoolId'> = { ClientId: current.ClientId };
  const described = current as Record<string, unknown>;
  const target = request as Record<string, unknown>;
  for (const key of Object.keys(CARRIED_OVER)) {
    if (described[key] !== undefined) target[key] = described[key];
  }
  request.CallbackURLs = callbackUrls;
  if (current.DefaultRedirectURI !== undefined && !callbackUrls.includes(current.DefaultRedirectURI)) {
    delete request.DefaultRedirectURI;
  }
  return request;
}
