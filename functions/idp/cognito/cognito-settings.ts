import * as z from 'zod/mini';
import { idpUrl, optionalSetting, requiredSetting } from '../settings';

// API_CreateUserPool / API_DescribeUserPoolClient: UserPoolId is "[\w-]+_[0-9a-zA-Z]+", at most 55 characters.
const USER_POOL_ID = /^([\w-]+)_[0-9a-zA-Z]+$/;
// Region names such as eu-central-1, us-gov-west-1 (guess: the shape, not the list of regions).
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// API_ResourceServerType: Identifier is "[\x21\x23-\x5B\x5D-\x7E]+", 1 to 256 characters.
const RESOURCE_SERVER_ID = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
// API_CreateUserPoolClient: each AllowedOAuthScopes entry is "[\x21\x23-\x5B\x5D-\x7E]+", 1 to 256 characters.
const SCOPE = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
// API_CreateUserPoolClient: each SupportedIdentityProviders entry is 1 to 32 characters.
const IDENTITY_PROVIDER = /^[^\s,]{1,32}$/;

/**
 * The one kind of OAuth flow every app client gets: Cognito does not enable client credentials in
 * the same app client as the code or implicit grant (developer guide, "OAuth 2.0 grants",
 * docs.aws.amazon.com/cognito/latest/developerguide/federation-endpoints-oauth-grants.html).
 */
export const COGNITO_OAUTH_FLOWS = ['client_credentials', 'code'] as const;

/**
 * Scopes Cognito defines itself, taken as they are: OpenID Connect's and Cognito's own
 * (developer guide, "Scopes, M2M, and APIs with resource servers"). Only code-flow clients can use them.
 */
export const BUILT_IN_SCOPES: ReadonlySet<string> = new Set([
  'openid',
  'email',
  'phone',
  'profile',
  'aws.cognito.signin.user.admin',
]);
export type CognitoOAuthFlow = (typeof COGNITO_OAUTH_FLOWS)[number];

/** Comma-separated list; "" or unset is the fallback. */
const commaList = (pattern: RegExp, message: string, fallback: string[]) =>
  z.pipe(
    optionalSetting,
    z.pipe(
      z.transform((value: string | undefined) =>
        value === undefined
          ? fallback
          : value
              .split(',')
              .map((entry) => entry.trim())
              .filter(Boolean),
      ),
      z.array(z.string().check(z.regex(pattern, message))),
    ),
  );

/** The user pool domain as an https base, e.g. https://acme.auth.eu-central-1.amazoncognito.com (no path). */
const domainSetting = z.pipe(
  z.transform((value: unknown) => (value === '' ? undefined : value)),
  z.optional(
    z.pipe(
      idpUrl('must be the https base URL of the user pool domain').check(
        z.refine((value) => !URL.canParse(value) || ['', '/'].includes(new URL(value).pathname), {
          message: 'must be the user pool domain without a path, e.g. https://acme.auth.eu-central-1.amazoncognito.com',
        }),
      ),
      z.transform((value: string) => value.replace(/\/+$/, '')),
    ),
  ),
);

const cognitoEnvironment = z.object({
  IDP_COGNITO_USER_POOL_ID: z.pipe(
    requiredSetting,
    z.string().check(z.maxLength(55), z.regex(USER_POOL_ID, 'must be a user pool id such as eu-central-1_AbC123')),
  ),
  IDP_COGNITO_REGION: z.pipe(
    optionalSetting,
    z.optional(z.string().check(z.regex(REGION, 'must be an AWS region such as eu-central-1'))),
  ),
  IDP_COGNITO_DOMAIN: domainSetting,
  IDP_COGNITO_RESOURCE_SERVER: z.pipe(
    optionalSetting,
    z.optional(z.string().check(z.regex(RESOURCE_SERVER_ID, 'must be a resource server identifier'))),
  ),
  IDP_COGNITO_DEFAULT_SCOPES: commaList(SCOPE, 'each entry must be one scope such as my-api/read', []),
  IDP_COGNITO_IDENTITY_PROVIDERS: commaList(IDENTITY_PROVIDER, 'each entry must be an identity provider name', [
    'COGNITO',
  ]),
  IDP_COGNITO_OAUTH_FLOW: z.pipe(
    optionalSetting,
    z._default(z.enum(COGNITO_OAUTH_FLOWS, 'must be "client_credentials" or "code"'), 'client_credentials'),
  ),
});

export interface CognitoSettings {
  userPoolId: string;
  /** IDP_COGNITO_REGION, else the user pool id's prefix. */
  region: string;
  /** https://cognito-idp.<region>.amazonaws.com/<userPoolId>: the Konnect auth strategy's issuer. */
  issuer: string;
  /** Informational: <domain>/oauth2/token, when IDP_COGNITO_DOMAIN is set. */
  tokenEndpoint?: string;
  /** Konnect scopes without "/" are read as scopes of this resource server. */
  resourceServer?: string;
  /** Full scope names given to a client when Konnect asks for none (client credentials needs one). */
  defaultScopes: string[];
  /** SupportedIdentityProviders of code-flow clients. */
  identityProviders: string[];
  /** IDP_COGNITO_OAUTH_FLOW: client credentials clients (the default), or code-flow clients. */
  oauthFlow: CognitoOAuthFlow;
}

/** A scope without "/" that is not built in, read as one of the resource server's (as Konnect's scopes are). */
const isBareScope = (scope: string) => !scope.includes('/') && !BUILT_IN_SCOPES.has(scope);

/** IDP_TYPE=cognito settings; the SDK endpoint override is the SDK's own AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER. */
export const cognitoSettings = z
  .pipe(
    cognitoEnvironment,
    z.transform((env: z.output<typeof cognitoEnvironment>): CognitoSettings => {
      const region = env.IDP_COGNITO_REGION ?? (USER_POOL_ID.exec(env.IDP_COGNITO_USER_POOL_ID)?.[1] as string);
      const resourceServer = env.IDP_COGNITO_RESOURCE_SERVER;
      return {
        userPoolId: env.IDP_COGNITO_USER_POOL_ID,
        region,
        issuer: `https://cognito-idp.${region}.amazonaws.com/${env.IDP_COGNITO_USER_POOL_ID}`,
        tokenEndpoint: env.IDP_COGNITO_DOMAIN && `${env.IDP_COGNITO_DOMAIN}/oauth2/token`,
        resourceServer,
        // Mapped like Konnect's scopes, so "read" means the same in both places.
        defaultScopes: [
          ...new Set(
            env.IDP_COGNITO_DEFAULT_SCOPES.map((scope) =>
              resourceServer && isBareScope(scope) ? `${resourceServer}/${scope}` : scope,
            ),
          ),
        ],
        identityProviders: env.IDP_COGNITO_IDENTITY_PROVIDERS,
        oauthFlow: env.IDP_COGNITO_OAUTH_FLOW,
      };
    }),
  )
  .check(
    z.refine((settings) => REGION.test(settings.region), {
      message: 'the user pool id does not start with a region; set IDP_COGNITO_REGION',
      path: ['IDP_COGNITO_REGION'],
    }),
    z.refine((settings) => !settings.defaultScopes.some(isBareScope), {
      message: 'a scope without "/" needs IDP_COGNITO_RESOURCE_SERVER; or give the full name <resource server>/<scope>',
      path: ['IDP_COGNITO_DEFAULT_SCOPES'],
    }),
    // Konnect's Verify, and every application without scopes, would otherwise get a 400.
    z.refine((settings) => settings.oauthFlow !== 'client_credentials' || settings.defaultScopes.length > 0, {
      message:
        "required with IDP_COGNITO_OAUTH_FLOW=client_credentials: Cognito's client credentials grant needs at least one resource server scope, and Konnect sends none for Verify and for applications without scopes",
      path: ['IDP_COGNITO_DEFAULT_SCOPES'],
    }),
    z.refine(
      (settings) =>
        settings.oauthFlow !== 'client_credentials' ||
        !settings.defaultScopes.some((scope) => BUILT_IN_SCOPES.has(scope)),
      {
        message:
          "with IDP_COGNITO_OAUTH_FLOW=client_credentials only resource server scopes: Cognito's built-in scopes are for users",
        path: ['IDP_COGNITO_DEFAULT_SCOPES'],
      },
    ),
  );

/**
 * The user pool and its region alone: what the IAM grant and the Konnect issuer need at synth,
 * whatever the other settings say (their problems stay synth warnings).
 */
export function cognitoUserPoolOf(env: Record<string, string | undefined>) {
  const parsed = cognitoSettings.safeParse({
    IDP_COGNITO_USER_POOL_ID: env.IDP_COGNITO_USER_POOL_ID,
    IDP_COGNITO_REGION: env.IDP_COGNITO_REGION,
    // Code-flow clients need no default scope: the other settings do not matter here.
    IDP_COGNITO_OAUTH_FLOW: 'code',
  });
  return parsed.success
    ? {
        success: true as const,
        data: { userPoolId: parsed.data.userPoolId, region: parsed.data.region, issuer: parsed.data.issuer },
      }
    : { success: false as const, error: parsed.error };
}

/** Setting names, for the CDK side and docs. */
export const COGNITO_SETTING_NAMES = Object.keys(cognitoEnvironment.shape) as (keyof typeof cognitoEnvironment.shape)[];
