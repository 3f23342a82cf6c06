import { CognitoError, invalidParameter } from './cognito-fake-errors';

/**
 * The settings of an app client that CreateUserPoolClient and UpdateUserPoolClient both take, with the
 * defaults Cognito applies to a setting a request leaves out. Follows
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_CreateUserPoolClient.html
 * and API_UpdateUserPoolClient.html ("If you don't provide a value for an attribute, Amazon Cognito sets it
 * to its default value").
 */
export interface ClientSettings {
  ClientName: string;
  RefreshTokenValidity: number;
  AccessTokenValidity: number;
  IdTokenValidity: number;
  TokenValidityUnits: { AccessToken: string; IdToken: string; RefreshToken: string };
  ReadAttributes?: string[];
  WriteAttributes?: string[];
  ExplicitAuthFlows: string[];
  SupportedIdentityProviders?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  DefaultRedirectURI?: string;
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  AllowedOAuthFlowsUserPoolClient: boolean;
  AnalyticsConfiguration?: Record<string, unknown>;
  PreventUserExistenceErrors: string;
  EnableTokenRevocation: boolean;
  EnablePropagateAdditionalUserContextData: boolean;
  AuthSessionValidity: number;
  RefreshTokenRotation?: { Feature: string; RetryGracePeriodSeconds?: number };
}

export interface PoolScopes {
  /** Resource server identifier → its scope names (without the identifier). */
  resourceServers: ReadonlyMap<string, ReadonlySet<string>>;
  /** Names usable in SupportedIdentityProviders besides COGNITO. */
  identityProviders: ReadonlySet<string>;
}

/** ClientName: "Length 1–128, pattern [\w\s+=,.@-]+" (API_CreateUserPoolClient). */
export const CLIENT_NAME_PATTERN = /^[\w\s+=,.@-]+$/u;
/** Scopes Cognito defines itself (user pool "standard scopes"), usable with code and implicit only. */
export const STANDARD_SCOPES = new Set(['phone', 'email', 'openid', 'profile', 'aws.cognito.signin.user.admin']);
const FLOWS = new Set(['code', 'implicit', 'client_credentials']);
const EXPLICIT_AUTH_FLOWS = new Set([
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
]);
/** "If you don't specify a value for ExplicitAuthFlows, your app client supports ALLOW_REFRESH_TOKEN_AUTH, ALLOW_USER_SRP_AUTH, and ALLOW_CUSTOM_AUTH." */
const DEFAULT_EXPLICIT_AUTH_FLOWS = ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'];
const UNIT_SECONDS: Record<string, number> = { seconds: 1, minutes: 60, hours: 3600, days: 86_400 };

/**
 * Validates the settings of a create or update request and fills every setting it leaves out with its
 * default — the reset-on-update rule. `hasSecret` is whether the client has (or gets) a secret.
 */
export function clientSettings(
  input: Record<string, unknown>,
  pool: PoolScopes,
  hasSecret: boolean,
  currentName?: string,
): ClientSettings {
  // Guess: an update without ClientName keeps the name (the name is required at create only).
  const name = input.ClientName ?? currentName;
  if (typeof name !== 'string' || name.length < 1 || name.length > 128 || !CLIENT_NAME_PATTERN.test(name)) {
    throw validation('clientName', 'Member must satisfy regular expression pattern: [\\w\\s+=,.@-]+ and length 1-128');
  }
  const units = record(input.TokenValidityUnits) ?? {};
  const settings: ClientSettings = {
    ClientName: name,
    RefreshTokenValidity: integer(input.RefreshTokenValidity, 'refreshTokenValidity') ?? 30,
    AccessTokenValidity: integer(input.AccessTokenValidity, 'accessTokenValidity') ?? 60,
    IdTokenValidity: integer(input.IdTokenValidity, 'idTokenValidity') ?? 60,
    // Guess: the units Cognito reports for defaults; what counts is the duration they give.
    TokenValidityUnits: {
      AccessToken: unit(units.AccessToken, input.AccessTokenValidity === undefined ? 'minutes' : 'hours'),
      IdToken: unit(units.IdToken, input.IdTokenValidity === undefined ? 'minutes' : 'hours'),
      RefreshToken: unit(units.RefreshToken, 'days'),
    },
    ReadAttributes: strings(input.ReadAttributes, 'readAttributes', 2048),
    WriteAttributes: strings(input.WriteAttributes, 'writeAttributes', 2048),
    ExplicitAuthFlows: strings(input.ExplicitAuthFlows, 'explicitAuthFlows', 20) ?? DEFAULT_EXPLICIT_AUTH_FLOWS,
    SupportedIdentityProviders: strings(input.SupportedIdentityProviders, 'supportedIdentityProviders', 100),
    CallbackURLs: strings(input.CallbackURLs, 'callbackURLs', 100),
    LogoutURLs: strings(input.LogoutURLs, 'logoutURLs', 100),
    DefaultRedirectURI: optionalString(input.DefaultRedirectURI, 'defaultRedirectURI'),
    AllowedOAuthFlows: strings(input.AllowedOAuthFlows, 'allowedOAuthFlows', 3),
    AllowedOAuthScopes: strings(input.AllowedOAuthScopes, 'allowedOAuthScopes', 50),
    AllowedOAuthFlowsUserPoolClient: input.AllowedOAuthFlowsUserPoolClient === true,
    AnalyticsConfiguration: record(input.AnalyticsConfiguration),
    PreventUserExistenceErrors:
      optionalString(input.PreventUserExistenceErrors, 'preventUserExistenceErrors') ?? 'LEGACY',
    // "If you don't include this parameter, token revocation is automatically activated".
    EnableTokenRevocation: input.EnableTokenRevocation !== false,
    EnablePropagateAdditionalUserContextData: input.EnablePropagateAdditionalUserContextData === true,
    AuthSessionValidity: integer(input.AuthSessionValidity, 'authSessionValidity') ?? 3,
    RefreshTokenRotation: record(input.RefreshTokenRotation) as ClientSettings['RefreshTokenRotation'],
  };
  checkValidities(settings);
  checkEnums(settings);
  checkUrls(settings);
  checkOAuth(settings, pool, hasSecret);
  return dropEmpty(settings);
}

/** Seconds an access token lives for a client with these settings. */
export function accessTokenSeconds(settings: ClientSettings): number {
  return settings.AccessTokenValidity * (UNIT_SECONDS[settings.TokenValidityUnits.AccessToken] ?? 3600);
}

function checkValidities(settings: ClientSettings): void {
  const seconds = (value: number, key: keyof ClientSettings['TokenValidityUnits']) =>
    value * (UNIT_SECONDS[settings.TokenValidityUnits[key]] ?? 1);
  // "between 5 minutes and 1 day" for access and ID tokens; refresh tokens 60 minutes to 10 years.
  for (const [value, key] of [
    [settings.AccessTokenValidity, 'AccessToken'],
    [settings.IdTokenValidity, 'IdToken'],
  ] as const) {
    const lifetime = seconds(value, key);
    if (lifetime < 300 || lifetime > 86_400) {
      throw invalidParameter(`${key} validity must be between 5 minutes and 1 day.`);
    }
  }
  const refresh = seconds(settings.RefreshTokenValidity, 'RefreshToken');
  if (refresh < 3600 || refresh > 315_360_000) {
    throw invalidParameter('RefreshToken validity must be between 60 minutes and 10 years.');
  }
  if (settings.AuthSessionValidity < 3 || settings.AuthSessionValidity > 15) {
    throw validation('authSessionValidity', 'Member must have value between 3 and 15');
  }
}

function checkEnums(settings: ClientSettings): void {
  for (const flow of settings.ExplicitAuthFlows) {
    if (!EXPLICIT_AUTH_FLOWS.has(flow)) throw validation('explicitAuthFlows', `Unknown value ${flow}`);
  }
  for (const flow of settings.AllowedOAuthFlows ?? []) {
    if (!FLOWS.has(flow))
      throw validation('allowedOAuthFlows', 'Member must satisfy enum value set: [implicit, client_credentials, code]');
  }
  if (!['LEGACY', 'ENABLED'].includes(settings.PreventUserExistenceErrors)) {
    throw validation('preventUserExistenceErrors', 'Member must satisfy enum value set: [LEGACY, ENABLED]');
  }
}

/**
 * CallbackURLs and LogoutURLs (1–1024 characters each, at most 100): "Be an absolute URI … Not include a
 * fragment component … Amazon Cognito requires HTTPS over HTTP except for http://localhost for testing
 * purposes only. App callback URLs such as myapp://example are also supported." DefaultRedirectURI must be
 * one of the CallbackURLs.
 */
function checkUrls(settings: ClientSettings): void {
  for (const [field, urls] of [
    ['CallbackURLs', settings.CallbackURLs],
    ['LogoutURLs', settings.LogoutURLs],
  ] as const) {
    for (const url of urls ?? []) {
      const problem = redirectUriProblem(url);
      if (problem) throw invalidParameter(`${field}: ${problem}`);
    }
  }
  if (settings.DefaultRedirectURI !== undefined && !settings.CallbackURLs?.includes(settings.DefaultRedirectURI)) {
    throw invalidParameter('DefaultRedirectURI must be one of the CallbackURLs.');
  }
}

export function redirectUriProblem(url: string): string | undefined {
  if (url.length < 1 || url.length > 1024) return 'a URL must be 1 to 1024 characters long.';
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'a URL must be an absolute URI.';
  }
  if (parsed.hash !== '' || url.includes('#')) return 'a URL must not include a fragment component.';
  if (parsed.protocol === 'http:' && parsed.hostname !== 'localhost') {
    return 'HTTPS is required over HTTP except for http://localhost.';
  }
  return undefined;
}

/**
 * The OAuth rules: "You can't enable client credentials grants in the same app client as either implicit or
 * authorization code grants" (developer guide, OAuth 2.0 grants); client credentials needs a client secret
 * and custom (resource server) scopes only; every scope must exist (ScopeDoesNotExistException).
 * Flows with AllowedOAuthFlowsUserPoolClient false are accepted and stored, and the token endpoint then
 * answers invalid_grant (observed: hashicorp/terraform-provider-aws#34945, aws/aws-sdk-js-v3#7158).
 * Guesses: the exception types and texts of the flow rules, and that AllowedOAuthFlowsUserPoolClient true
 * needs flows and scopes.
 */
function checkOAuth(settings: ClientSettings, pool: PoolScopes, hasSecret: boolean): void {
  const flows = settings.AllowedOAuthFlows ?? [];
  const scopes = settings.AllowedOAuthScopes ?? [];
  for (const scope of scopes) {
    if (STANDARD_SCOPES.has(scope)) continue;
    const slash = scope.lastIndexOf('/');
    const server = slash > 0 ? pool.resourceServers.get(scope.slice(0, slash)) : undefined;
    if (!server?.has(scope.slice(slash + 1))) {
      throw new CognitoError('ScopeDoesNotExistException', `Invalid scope requested: ${scope}`);
    }
  }
  for (const provider of settings.SupportedIdentityProviders ?? []) {
    if (provider !== 'COGNITO' && !pool.identityProviders.has(provider)) {
      throw invalidParameter(`The provider ${provider} does not exist for User Pool.`);
    }
  }
  if (settings.AllowedOAuthFlowsUserPoolClient && (flows.length === 0 || scopes.length === 0)) {
    throw invalidParameter(
      'AllowedOAuthFlows and AllowedOAuthScopes are required if user pool client is allowed to use OAuth flows.',
    );
  }
  if (flows.includes('client_credentials')) {
    if (flows.length > 1) {
      throw new CognitoError(
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected with either implicit or code flows.',
      );
    }
    if (!hasSecret) {
      throw new CognitoError(
        'InvalidOAuthFlowException',
        'client_credentials flow can not be selected if client does not have a client secret.',
      );
    }
    if (scopes.some((scope) => STANDARD_SCOPES.has(scope))) {
      throw new CognitoError('InvalidOAuthFlowException', 'client_credentials flow can only use custom scopes.');
    }
  }
  if ((flows.includes('code') || flows.includes('implicit')) && (settings.CallbackURLs ?? []).length === 0) {
    throw invalidParameter('CallbackURLs are required for code and implicit flows.');
  }
}

/** The message AWS validation gives a member that breaks its constraint. */
function validation(member: string, constraint: string): CognitoError {
  return invalidParameter(
    `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`,
  );
}

function integer(value: unknown, member: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw validation(member, 'Member must be a non-negative integer');
  }
  return value;
}

function unit(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || !(value in UNIT_SECONDS)) {
    throw validation('tokenValidityUnits', 'Member must satisfy enum value set: [seconds, minutes, hours, days]');
  }
  return value;
}

function strings(value: unknown, member: string, max: number): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw validation(member, 'Member must be a list of strings');
  }
  if (value.length > max) throw validation(member, `Member must have length less than or equal to ${max}`);
  return [...new Set(value as string[])];
}

function optionalString(value: unknown, member: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(member, 'Member must be a string');
  return value;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** Empty lists are not reported back, as with a client that never had them. */
function dropEmpty(settings: ClientSettings): ClientSettings {
  const copy: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(copy)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete copy[key];
  }
  return copy as unknown as ClientSettings;
}
