import type { StackProps } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { KonnectRegion } from '../functions/konnect/konnect-regions';

/** How the adapter serves `POST /{clientId}/new-secret`. */
export type IdpSecretRotation = 'none' | 'read' | 'update';

/** What deleting the stack does to the Konnect DCR provider the stack created. */
export type KonnectProviderRemoval = 'retain' | 'destroy';

/** Powertools log levels the bridge's logger accepts. */
export type BridgeLogLevel = 'TRACE' | 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'CRITICAL' | 'SILENT';

/**
 * Deployment choices for the bridge. In bin/dcr-bridge.ts each field is read from the CDK
 * context key of the same name (`cdk deploy -c idpType=okta`, or `context` in cdk.json).
 * `-c stackName=…` (default `DcrBridge`, bin/dcr-bridge.ts) names the stack; every physical name, the metrics
 * `service` dimension and the Konnect provider name derive from it, so several bridges can run
 * in one account and region.
 */
export interface BridgeStackProps extends StackProps {
  /**
   * Context `idpType`: which IdP adapter the bridge uses. `generic`, `curity` and `cognito`
   * also get item access to the registration table (their per-client records).
   * @default 'generic'
   */
  readonly idpType?: string;
  /**
   * Context `idpSettings`: the adapter's own settings as an object of `IDP_*` environment
   * variables (e.g. `{"IDP_OKTA_ORG_URL":"https://acme.okta.com"}`), see docs/idps/. Credentials
   * are refused here: they belong in the IdP credentials secret.
   * @default {}
   */
  readonly idpSettings?: Record<string, string>;
  /**
   * Context `idpIssuer`: the IdP's OAuth issuer URL. Passed as `IDP_ISSUER`.
   * @default - not set
   */
  readonly idpIssuer?: string;
  /**
   * Context `idpRegistrationEndpoint`: the IdP's RFC 7591 registration endpoint, when it
   * cannot or should not be discovered from the issuer. Passed as `IDP_REGISTRATION_ENDPOINT`.
   * @default - not set
   */
  readonly idpRegistrationEndpoint?: string;
  /**
   * Context `idpTokenEndpoint`: the IdP's token endpoint, when it cannot be discovered from the
   * issuer (used with `idpInitialTokenScope`). Passed as `IDP_TOKEN_ENDPOINT`.
   * @default - not set
   */
  readonly idpTokenEndpoint?: string;
  /**
   * Context `idpInitialTokenScope`: scope the bridge requests when it obtains an initial
   * access token with its own client credentials. Passed as `IDP_INITIAL_TOKEN_SCOPE`.
   * @default - not set
   */
  readonly idpInitialTokenScope?: string;
  /**
   * Context `idpSecretRotation`: how `POST /{clientId}/new-secret` is served.
   * Passed as `IDP_SECRET_ROTATION`.
   * @default 'none'
   */
  readonly idpSecretRotation?: IdpSecretRotation;
  /**
   * Context `idpCredentialsSecretArn`: complete ARN of an existing Secrets Manager secret with
   * the bridge's IdP credentials (JSON: `client_id`, `client_secret`, `initial_access_token`).
   * The secret must use the AWS managed key; a customer managed key needs its own grant.
   * Refused with `idpType=cognito`, which has no IdP credentials (the role is its credential).
   * @default - an empty secret is created for the operator to fill (none for cognito)
   */
  readonly idpCredentialsSecretArn?: string;
  /**
   * Context `idpTimeoutMs`: the bridge's deadline for a request (500–22000 ms); the Lambda timeout
   * is 4 s more (at most 26 s), so the bridge answers before API Gateway's 29 s integration timeout.
   * @default 8000
   */
  readonly idpTimeoutMs?: number;
  /**
   * Context `logRetentionDays`: retention of every log group of the stack (the bridge's and the
   * API access log), in days (a CloudWatch Logs retention value such as 7, 30, 90, 365).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetentionDays?: RetentionDays;
  /**
   * Context `logLevel`: the bridge's Powertools log level (`POWERTOOLS_LOG_LEVEL`).
   * @default 'INFO'
   */
  readonly logLevel?: BridgeLogLevel;

  // --- Tracing and concurrency ---

  /**
   * Context `tracing`: AWS X-Ray on the function (active tracing) and on the API stage. Lambda
   * records each invocation in the request's trace itself: the bundle needs no X-Ray code for it.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * Context `tracingSubsegments`: the bridge's own X-Ray subsegments on top of `tracing`: the
   * handler annotated with operation, outcome and status, each IdP call (method and status, never
   * URLs or bodies) and each Secrets Manager and DynamoDB call. They need Powertools Tracer and
   * the X-Ray SDK in the bundle (about 120 kB more, and a slower cold start), so they are off by
   * default; aws-xray-sdk-core is in maintenance mode until its end of support on 2027-02-25.
   * @default false
   */
  readonly tracingSubsegments?: boolean;
  /**
   * Context `reservedConcurrency`: reserved concurrent executions of the bridge. Caps how many
   * requests reach the IdP at once (protects its rate limits) and guarantees that capacity.
   * Unset by default because accounts with a low concurrency quota (new accounts have 10)
   * refuse any reservation; the stage throttle already bounds the rate.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly reservedConcurrency?: number;
  /**
   * Context `provisionedConcurrency`: Lambda environments kept initialised, so that up to this
   * many concurrent requests never wait for a cold start (API Gateway then calls the function's
   * alias `live`, which carries them). Each costs about $15.13 a month at the default 1,769 MB,
   * whether or not Konnect calls ($0.0000033334 per GB-second, Arm, US East (N. Virginia), AWS
   * Lambda pricing as of 2026-12-04, 730 hours; the invocations it serves are billed on top).
   * At most `reservedConcurrency` when both are set. 0 keeps the function on demand.
   * @default 0
   */
  readonly provisionedConcurrency?: number;
  /**
   * Context `memorySize`: the function's memory in MB (128–10240), which also sets its CPU share
   * (one vCPU at 1,769 MB). The default gives the CPU-bound cold start a whole vCPU; see the README.
   * @default 1769
   */
  readonly memorySize?: number;

  // --- Edge ---

  /**
   * Context `throttlingRateLimit`: steady-state requests per second the stage accepts; beyond
   * it API Gateway answers 429. Konnect calls once per application change.
   * @default 10
   */
  readonly throttlingRateLimit?: number;
  /**
   * Context `throttlingBurstLimit`: burst size the stage accepts above the rate.
   * @default 20
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Context `wafEnabled`: an AWS WAF web ACL on the stage, with a per-IP rate-based rule, a
   * body size limit (64 KB) and, with `allowedSourceCidrs`, an IP allow-list. Off by default:
   * it costs a monthly fee per web ACL and rule, and the bridge checks the key on every call.
   * @default false
   */
  readonly wafEnabled?: boolean;
  /**
   * Context `wafRateLimit`: requests per 5 minutes from one IP address before WAF blocks that
   * address (WAF's minimum is 10). Only with `wafEnabled`.
   * @default 300
   */
  readonly wafRateLimit?: number;
  /**
   * Context `allowedSourceCidrs` (JSON array or comma-separated; a bare address is one host): the
   * only source addresses that may call the API, e.g. Konnect's egress addresses for your
   * region. Enforced by an API resource policy (free, no WAF needed) and, with `wafEnabled`, also
   * by a WAF rule.
   * @default - every source address
   */
  readonly allowedSourceCidrs?: string[];
  /**
   * Context `domainName`: a custom domain for the API (a regional API Gateway domain name
   * mapped to the stage), so Konnect's DCR base URL survives a redeploy. Requires
   * `certificateArn`. The default execute-api endpoint is then switched off. DNS stays with the
   * operator: point a CNAME or alias at the `CustomDomainTarget` output.
   * @default - the execute-api URL only
   */
  readonly domainName?: string;
  /**
   * Context `certificateArn`: ACM certificate for `domainName`, in the stack's region.
   * @default - required with `domainName`
   */
  readonly certificateArn?: string;

  // --- Encryption ---

  /**
   * Context `encryptionKey`: a customer managed KMS key for the registration table, the two
   * secrets the stack creates, the log groups and the alarm topic. `create` creates one with
   * yearly rotation (retained on stack deletion, as the retained table needs it); a key ARN
   * imports one, whose key policy must then allow CloudWatch Logs and CloudWatch alarms
   * (see the README, "Imported KMS key").
   * @default - AWS managed encryption
   */
  readonly encryptionKey?: string;

  // --- Alarms ---

  /**
   * Context `alarmEmail`: creates an SNS topic with this e-mail subscription for the alarms
   * (ALARM and OK). The address must confirm the subscription.
   * @default - no topic is created
   */
  readonly alarmEmail?: string;
  /**
   * Context `alarmTopicArn`: an existing SNS topic for the alarms (ALARM and OK), instead of
   * `alarmEmail`.
   * @default - no topic is used
   */
  readonly alarmTopicArn?: string;
  /**
   * Context `alarmPeriodMinutes`: the window of the count alarms (5xx, 401s, Lambda errors and
   * throttles), the IdP error ratio and the p99 duration.
   * @default 5
   */
  readonly alarmPeriodMinutes?: number;
  /**
   * Context `serverErrorAlarmThreshold`: 5xx answers of the API within the window that raise
   * the alarm (the bridge's own 5xx include the IdP's failures as 502/503/504).
   * @default 1
   */
  readonly serverErrorAlarmThreshold?: number;
  /**
   * Context `idpErrorRatioAlarmPercent`: share of requests within the window that failed
   * because of the IdP (`Outcome=idp_error`), in percent, that raises the alarm.
   * @default 10
   */
  readonly idpErrorRatioAlarmPercent?: number;
  /**
   * Context `idpErrorRatioAlarmMinimumRequests`: requests a window needs before the IdP error
   * ratio counts; below it the ratio is 0, so one failed call in a quiet window (100 %) does not
   * raise the alarm. The `Api5xx` alarm still sees every failure.
   * @default 5
   */
  readonly idpErrorRatioAlarmMinimumRequests?: number;
  /**
   * Context `authFailureAlarmThreshold`: requests with a wrong X-API-KEY within the window that
   * raise the alarm (someone probing the key, or Konnect holding a stale key). Requests without
   * the header never reach the function: API Gateway refuses them.
   * @default 5
   */
  readonly authFailureAlarmThreshold?: number;
  /**
   * Context `lambdaErrorAlarmThreshold`: failed invocations (crashes, timeouts) within the window.
   * @default 1
   */
  readonly lambdaErrorAlarmThreshold?: number;
  /**
   * Context `throttleAlarmThreshold`: throttled invocations within the window.
   * @default 1
   */
  readonly throttleAlarmThreshold?: number;
  /**
   * Context `durationAlarmPercentOfTimeout`: p99 duration, as a percentage of the function
   * timeout, that raises the alarm: the IdP is getting slow enough to approach the deadline.
   * @default 80
   */
  readonly durationAlarmPercentOfTimeout?: number;

  // --- Konnect ---

  /**
   * Context `konnectRegion`: the Konnect region of the organisation (`us`, `eu`, `au`, `me`, `in`,
   * `sg`); the API is https://{region}.api.konghq.com/v2. Used by the DCR provider custom resource
   * and the scheduled key rotation, and written into the `ConnectKonnectCommand` output.
   * @default - none: the custom resource then needs `konnectApiUrl`
   */
  readonly konnectRegion?: KonnectRegion;
  /**
   * Context `konnectApiUrl`: the Konnect API base URL (https, ending in /v2) instead of
   * `konnectRegion`, e.g. for a new region.
   * @default - from `konnectRegion`
   */
  readonly konnectApiUrl?: string;
  /**
   * Context `konnectTokenSecretArn`: complete ARN of a Secrets Manager secret holding a Konnect
   * personal or system account token (plain, or JSON `{"token":"…"}`). Switches on the custom
   * resource that creates or updates the HTTP DCR provider at every deploy and has Konnect verify
   * the bridge; the deploy fails with Konnect's errors if verify fails. Only that resource's and the
   * key rotation's roles may read the secret; its value never enters the template. The secret
   * must use the AWS managed key (a customer managed key needs its own grant).
   * @default - the provider is connected by hand or with `npm run connect-konnect`
   */
  readonly konnectTokenSecretArn?: string;
  /**
   * Context `konnectProviderName`: the DCR provider's name in Konnect (how it is found again).
   * @default - the stack name
   */
  readonly konnectProviderName?: string;
  /**
   * Context `konnectIssuer`: the issuer the DCR provider gets.
   * @default - IDP_ISSUER (generic, curity), the realm URL (keycloak), the tenant URL with "/"
   * (auth0), https://cognito-idp.<region>.amazonaws.com/<poolId> (cognito); okta and entra must set it
   */
  readonly konnectIssuer?: string;
  /**
   * Context `konnectProviderRemoval`: `retain` leaves the Konnect DCR provider in place when the
   * stack is deleted (auth strategies may still point at it); `destroy` deletes it, only if its
   * `dcr-bridge-owner` label is this stack's and no auth strategy uses it.
   * @default 'retain'
   */
  readonly konnectProviderRemoval?: KonnectProviderRemoval;
  /**
   * Context `konnectAdoptProvider`: take over an existing DCR provider of that name that has no
   * `dcr-bridge-owner` label (one made by hand in Konnect, or connected without `--owner`); the
   * stack then labels it as its own. Without it such a provider fails the deploy, and one labelled
   * by another stack always does: the stack only changes or deletes the provider it owns.
   * Requires `konnectTokenSecretArn`.
   * @default false
   */
  readonly konnectAdoptProvider?: boolean;
  /**
   * Context `konnectKeyRotationDays`: rotate the Konnect key every this many days (1-1000) with a
   * Secrets Manager rotation Lambda that adds a new key, pushes it to Konnect, has Konnect verify
   * and then drops the old key; failures raise an alarm. Requires `konnectTokenSecretArn`.
   * @default - no scheduled rotation (`npm run rotate-key -- --konnect` rotates on demand)
   */
  readonly konnectKeyRotationDays?: number;

  // --- Amazon Cognito (idpType cognito) ---

  /**
   * Context `cognitoUserPool`: `create` makes a user pool for machine-to-machine clients (no self
   * sign-up, deletion-protected, retained on stack deletion) with a Cognito domain and one
   * resource server, and points the bridge's IDP_COGNITO_* settings at it; outputs CognitoIssuer and
   * CognitoTokenEndpoint. Only with `idpType=cognito`. Without it, name an existing pool with
   * `IDP_COGNITO_USER_POOL_ID` in `idpSettings`.
   * @default - an existing pool (IDP_COGNITO_USER_POOL_ID)
   */
  readonly cognitoUserPool?: 'create';
  /**
   * Context `cognitoDomainPrefix`: the created pool's Cognito domain prefix (lowercase letters,
   * digits, hyphens; unique per region across AWS; no "aws", "amazon", "cognito"): the token
   * endpoint is https://<prefix>.auth.<region>.amazoncognito.com/oauth2/token.
   * @default - the stack name in lower case, a hyphen and the account id
   */
  readonly cognitoDomainPrefix?: string;
  /**
   * Context `cognitoResourceServer`: the created pool's resource server identifier; tokens carry
   * scopes as `<identifier>/<scope>`, and Konnect scopes without "/" are read as its scopes.
   * @default 'api'
   */
  readonly cognitoResourceServer?: string;
  /**
   * Context `cognitoScopes` (JSON array or comma-separated): the created resource server's scopes.
   * The first is the scope a client gets when Konnect asks for none (IDP_COGNITO_DEFAULT_SCOPES).
   * @default ['read', 'write']
   */
  readonly cognitoScopes?: string[];

  // --- Account-level settings ---

  /**
   * Context `apiGatewayCloudWatchRole`: also set the account's API Gateway CloudWatch Logs role
   * (region-wide; one per account and region), which API Gateway needs to write the access
   * log. Leave off when the account already has one (`aws apigateway get-account`). The role
   * is retained on stack deletion, as other APIs of the account may rely on it. With several
   * bridges in one account and region, set it on one of them at most: each stack that sets it
   * replaces the account's role with its own, and every API of the region then logs through it.
   * @default false
   */
  readonly apiGatewayCloudWatchRole?: boolean;
}
