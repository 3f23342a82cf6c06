import { Fn, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  ResourceServerScope,
  UserPool,
  type UserPoolDomain,
  type UserPoolResourceServer,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** Default resource server identifier: tokens then carry scopes such as `api/read`. */
export const DEFAULT_RESOURCE_SERVER = 'api';
/** Default scopes of the resource server; the first is what a client gets when Konnect asks for none. */
export const DEFAULT_SCOPES: readonly string[] = ['read', 'write'];

// API_CreateUserPoolDomain: a prefix of lowercase letters, digits and hyphens, 1-63 characters,
// without the reserved words "aws", "amazon" or "cognito" (developer guide, "Using the prefix domain").
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;
// API_ResourceServerType: Identifier "[\x21\x23-\x5B\x5D-\x7E]+", 1-256 characters.
const RESOURCE_SERVER_ID = /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/;
// API_ResourceServerType: Name "[\w\s+=,.@-]+", 1-256 characters; an identifier such as a URL has others.
const NAME_OTHER_CHARACTERS = /[^\w\s+=,.@-]/g;
// API_ResourceServerScopeType: ScopeName "[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]+" (no "/"), 1-256 characters.
const SCOPE_NAME = /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/;
// API_ResourceServerType: at most 100 scopes per resource server.
const MAX_SCOPES = 100;
/** An account id (12 digits) and a hyphen follow the stack part of the default prefix. */
const STACK_PART_LENGTH = 63 - 13;

export interface CognitoUserPoolProps {
  /**
   * The Cognito domain prefix: the token endpoint is
   * https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token. Unique per region across AWS.
   * @default - the stack name in lower case, a hyphen and the account id
   */
  readonly domainPrefix?: string;
  /**
   * The resource server identifier; tokens carry scopes as `<identifier>/<scope>`.
   * @default 'api'
   */
  readonly resourceServerId?: string;
  /**
   * The resource server's scopes (names without "/"). The first is the default scope of a client
   * for which Konnect asks no scope (client credentials needs at least one).
   * @default ['read', 'write']
   */
  readonly scopes?: readonly string[];
}

/**
 * A user pool for machine-to-machine clients only, for teams without one: no self sign-up, no
 * recovery, kept when the stack goes (the bridge's app clients live in it), with a Cognito domain
 * for the token endpoint and one resource server whose scopes Konnect applications get.
 */
export class CognitoUserPool extends Construct {
  public readonly userPool: UserPool;
  public readonly domain: UserPoolDomain;
  public readonly resourceServer: UserPoolResourceServer;
  public readonly resourceServerId: string;
  public readonly scopes: readonly string[];
  /** https://cognito-idp.<region>.amazonaws.com/<poolId>: the `iss` of its tokens. */
  public readonly issuer: string;
  /** <domain>/oauth2/token. */
  public readonly tokenEndpoint: string;

  constructor(scope: Construct, id: string, props: CognitoUserPoolProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.resourceServerId = assertResourceServerId(props.resourceServerId ?? DEFAULT_RESOURCE_SERVER);
    this.scopes = assertScopes(props.scopes ?? DEFAULT_SCOPES);
    const domainPrefix = props.domainPrefix ?? defaultDomainPrefix(stack.stackName, stack.account);
    if (props.domainPrefix !== undefined) assertDomainPrefix(props.domainPrefix, 'cognitoDomainPrefix');

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: stack.stackName,
      // App clients are made by the bridge; nobody signs up.
      selfSignUpEnabled: false,
      accountRecovery: AccountRecovery.NONE,
      // Every client the bridge created, and its registration record, would be orphaned.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      // Client credentials work on every feature plan; Essentials is the default for new pools.
      featurePlan: FeaturePlan.ESSENTIALS,
      // No users are expected; should someone add one, it gets a strong password and TOTP MFA
      // (no SMS, so no SNS role).
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
    });
    this.acknowledgeMachineToMachineOnly();
    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: this.resourceServerId,
      userPoolResourceServerName: resourceServerNameOf(this.resourceServerId),
      scopes: this.scopes.map(
        (scopeName) => new ResourceServerScope({ scopeName, scopeDescription: `Konnect applications: ${scopeName}` }),
      ),
    });
    // Not userPoolProviderUrl: CloudFormation's ProviderURL has no scheme.
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
    this.tokenEndpoint = `${this.domain.baseUrl()}/oauth2/token`;
  }

  /** The bridge's IDP_COGNITO_* settings for this pool. */
  get settings(): Record<string, string> {
    return {
      IDP_COGNITO_USER_POOL_ID: this.userPool.userPoolId,
      IDP_COGNITO_DOMAIN: this.domain.baseUrl(),
      IDP_COGNITO_RESOURCE_SERVER: this.resourceServerId,
      IDP_COGNITO_DEFAULT_SCOPES: `${this.resourceServerId}/${this.scopes[0]}`,
    };
  }

  private acknowledgeMachineToMachineOnly(): void {
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG8',
      reason:
        'The pool serves OAuth client credentials (machine-to-machine) only: no user signs in, and the Plus ' +
        "feature plan's threat protection acts on user sign-ins, not on client credentials grants. Plus would " +
        'add a per-user price for nothing; app clients and token requests are billed alike on every plan.',
    });
  }
}

/** A valid Name for the identifier: https://orders.example.com → https---orders.example.com. */
export function resourceServerNameOf(identifier: string): string {
  return identifier.replace(NAME_OTHER_CHARACTERS, '-').slice(0, 256);
}

/** "<stack name, lower case>-<account id>": unique per account, readable, within 63 characters. */
function defaultDomainPrefix(stackName: string, account: string): string {
  const stackPart = stackName.toLowerCase().slice(0, STACK_PART_LENGTH).replace(/-+$/, '');
  assertDomainPrefix(stackPart, 'the stack name (the default cognitoDomainPrefix)');
  return Token.isUnresolved(account) ? Fn.join('-', [stackPart, account]) : `${stackPart}-${account}`;
}

function assertDomainPrefix(prefix: string, source: string): void {
  if (!DOMAIN_PREFIX.test(prefix) || RESERVED_IN_PREFIX.test(prefix)) {
    throw new Error(
      `${source} must be a Cognito domain prefix: lowercase letters, digits and hyphens, at most 63 characters, without "aws", "amazon" or "cognito"; got ${JSON.stringify(prefix)}. Set -c cognitoDomainPrefix=<prefix>.`,
    );
  }
}

function assertResourceServerId(identifier: string): string {
  if (!RESOURCE_SERVER_ID.test(identifier)) {
    throw new Error(
      `cognitoResourceServer must be a resource server identifier (1-256 printable ASCII characters without space, " or \\), got ${JSON.stringify(identifier)}`,
    );
  }
  return identifier;
}

function assertScopes(scopes: readonly string[]): readonly string[] {
  if (scopes.length === 0 || scopes.length > MAX_SCOPES) {
    throw new Error(`cognitoScopes must list 1 to ${MAX_SCOPES} scopes, got ${scopes.length}`);
  }
  for (const scope of scopes) {
    if (!SCOPE_NAME.test(scope)) {
      throw new Error(
        `cognitoScopes: ${JSON.stringify(scope)} is not a scope name (printable ASCII without space, ", / or \\)`,
      );
    }
  }
  if (new Set(scopes).size !== scopes.length) throw new Error('cognitoScopes must not repeat a scope');
  return scopes;
}

/**
 * Examples of the settings CloudFormation fills in at deploy, in the shape the adapter expects,
 * so the synth-time check of the other settings can run (the created values are right by construction).
 */
export const DEPLOY_TIME_SETTING_EXAMPLES: Readonly<Record<string, string>> = {
  IDP_COGNITO_USER_POOL_ID: 'us-east-1_Example0',
  IDP_COGNITO_DOMAIN: 'https://example.auth.us-east-1.amazoncognito.com',
};
