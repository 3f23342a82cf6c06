import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Alias, Architecture, type IFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { IdpType } from '../functions/idp/create-idp-adapter';

// Resolved from this file, not the cwd, so synth works from any directory (cdk, jest, tsx).
export const BRIDGE_ENTRY = fileURLToPath(new URL('../functions/bridge/index.ts', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/**
 * Modules the Lambda bundle takes from elsewhere: `node:http` from a stand-in that hands out the
 * same module through process.getBuiltinModule, because an ESM import of node:http loads undici at
 * cold start.
 */
export const BRIDGE_ALIASES: Readonly<Record<string, string>> = {
  'node:http': fileURLToPath(new URL('../functions/commons/node-http-status-codes.ts', import.meta.url)),
};

/**
 * Headroom between the bridge's request deadline and the Lambda timeout: compensation of a
 * half-done change (3 s) and the bridge's own answer (1 s) run inside the function's timeout
 * (functions/bridge/request-budget.ts).
 */
export const TIMEOUT_HEADROOM_MS = 4000;
/** API Gateway's REST integration timeout: past it the caller gets API Gateway's 504, whatever the function does. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_S = 29;
/**
 * Left between the Lambda timeout and API Gateway's: a cold start's init phase, which the
 * Lambda timeout does not include, and API Gateway's own overhead.
 */
const GATEWAY_MARGIN_S = 3;
/** The longest Lambda timeout: 26 s. */
export const MAX_LAMBDA_TIMEOUT_S = API_GATEWAY_INTEGRATION_TIMEOUT_S - GATEWAY_MARGIN_S;
/** The range of `idpTimeoutMs` (and the bridge's IDP_TIMEOUT_MS): at most 22 s. */
export const MIN_IDP_TIMEOUT_MS = 500;
export const MAX_IDP_TIMEOUT_MS = MAX_LAMBDA_TIMEOUT_S * 1000 - TIMEOUT_HEADROOM_MS;

/**
 * The shared contract with the bridge's Powertools Metrics and Logger: the namespace is common,
 * the `service` dimension is the stack name (BridgeFunctionProps.serviceName), so two bridges in
 * one account never add up in each other's alarms. SERVICE_NAME is what the code uses without one.
 */
export const SERVICE_NAME = 'dcr-bridge';
export const METRICS_NAMESPACE = 'DcrBridge';

/**
 * How esbuild bundles the bridge, common to every deployment; bridgeBundling() adds what depends
 * on the deployment. Exported so that `npm run bench` builds with exactly CDK's options (and
 * checks its output against CDK's asset byte for byte).
 */
export const BRIDGE_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  minify: true,
  sourceMap: true,
  // Stack traces still map to file and line; without every source embedded the map is a third
  // of the size, and cheaper for --enable-source-maps, which reads it at cold start.
  sourcesContent: false,
  target: 'node24',
  mainFields: ['module', 'main'],
  // CJS dependencies call require(); an ESM bundle has none unless we create it.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  // The Node 24 runtime ships AWS SDK v3.
  externalModules: ['@aws-sdk/*'],
  // Comments kept as "legal" (`/*!`, `@preserve`) are today only dependencies' coverage hints.
  esbuildArgs: { '--legal-comments': 'none' },
};

/**
 * The runtime's AWS SDK clients the bridge's core imports (Secrets Manager for its keys, DynamoDB
 * for the registration table): external in every bundle, so they come from the Node 24 runtime.
 */
export const RUNTIME_SDK_CLIENTS: readonly string[] = ['@aws-sdk/client-secrets-manager', '@aws-sdk/client-dynamodb'];

/**
 * Adapters whose AWS SDK client is bundled instead of taken from the runtime: the Cognito client
 * secret operations (AddUserPoolClientSecret, ListUserPoolClientSecrets, DeleteUserPoolClientSecret)
 * are newer than some runtime SDKs, and the bundle brings its own copy of the SDK core with it.
 */
const BUNDLED_SDK_ADAPTERS: ReadonlySet<IdpType> = new Set<IdpType>(['cognito']);

/** What a deployment's bundle holds besides the common core. */
export interface BridgeBundleContents {
  /** The one IdP adapter in the bundle. @default 'generic' */
  readonly idpType?: IdpType;
  /** Powertools Tracer and the X-Ray SDK, for the bridge's own subsegments. @default false */
  readonly xraySdk?: boolean;
}

/**
 * BRIDGE_BUNDLING for one deployment. The two `define`s are bundle-time constants the bridge's
 * code branches on, so esbuild leaves the dead branches' imports out of the bundle: every IdP
 * adapter but the deployed one (functions/idp/create-idp-adapter.ts), and without `xraySdk`
 * Powertools Tracer with aws-xray-sdk-core and cls-hooked (functions/commons/tracer.ts). For
 * cognito only the runtime's two clients stay external, and its own SDK client is bundled.
 */
export function bridgeBundling({ idpType = 'generic', xraySdk = false }: BridgeBundleContents = {}): BundlingOptions {
  return {
    ...BRIDGE_BUNDLING,
    esbuildArgs: {
      ...BRIDGE_BUNDLING.esbuildArgs,
      ...Object.fromEntries(Object.entries(BRIDGE_ALIASES).map(([from, to]) => [`--alias:${from}`, to])),
    },
    // Everything but the runtime's clients is bundled: the adapter's SDK client and the SDK core it needs.
    ...(BUNDLED_SDK_ADAPTERS.has(idpType) ? { externalModules: [...RUNTIME_SDK_CLIENTS] } : {}),
    define: {
      'process.env.BRIDGE_BUNDLED_IDP_TYPE': JSON.stringify(idpType),
      'process.env.BRIDGE_BUNDLED_XRAY_SDK': JSON.stringify(String(xraySdk)),
    },
  };
}

/**
 * Lambda memory, which also sets the function's CPU share: AWS allocates CPU in proportion to
 * memory, one vCPU at 1,769 MB ("Configure Lambda function memory", Lambda developer guide).
 * Almost every call Konnect makes is a cold start, and a cold create is CPU-bound: about 170 ms of
 * CPU time (user + system, all threads) for the default bundle on one x86 core of the bench
 * machine (Node 24), of which the IdP round trip is no part. At 512 MB (0.29 vCPU) that CPU time
 * alone takes at least 590 ms, at 1,024 MB 290 ms, at 1,769 MB 170 ms; more than one vCPU buys
 * little, as the cold path is one JavaScript thread. Up to 1,769 MB the CPU-bound part costs
 * the same GB-seconds whatever the size (half the CPU, twice the time); only time spent waiting
 * for the IdP costs more, at calls minutes or days apart a fraction of a cent a month.
 */
export const DEFAULT_MEMORY_MB = 1769;

/**
 * Monthly price of one provisioned-concurrency environment per GB of memory: $0.0000033334 per
 * GB-second (Arm, US East (N. Virginia), AWS Lambda pricing as of 2026-12-04) for 730 hours.
 * Invocations it serves are billed on top, at a lower duration rate than on-demand.
 */
export const PROVISIONED_USD_PER_GB_MONTH = 0.0000033334 * 730 * 3600;

export interface BridgeFunctionProps {
  /**
   * Powertools' service name: the `service` dimension of every metric and the `service` field
   * of every log line. The stack passes its stack name.
   * @default SERVICE_NAME
   */
  readonly serviceName?: string;
  /**
   * The bridge's deadline for a request, after which it answers 504 itself; 500 to 22000.
   * The Lambda timeout is this plus 4 s, so Lambda never kills a request the bridge could answer,
   * and at most 26 s, so the bridge answers before API Gateway gives up at 29 s.
   * @default 8000
   */
  readonly idpTimeoutMs?: number;
  /**
   * Lambda memory in MB; also buys CPU (one vCPU at 1,769 MB), which shortens cold starts
   * (see DEFAULT_MEMORY_MB for why 1,769).
   * @default 1769
   */
  readonly memorySize?: number;
  /**
   * The IdP adapter the bundle holds: the only one it can run (IDP_TYPE must match).
   * @default 'generic'
   */
  readonly idpType?: IdpType;
  /**
   * Provisioned concurrency: environments kept initialised, so that up to this many concurrent
   * requests never wait for a cold start. API Gateway then calls the alias `live`, which carries
   * it. Costs about $15.13 a month per environment at 1,769 MB (Arm, us-east-1, pricing as of
   * 2026-12-04: $0.0000033334 per GB-second provisioned, 730 hours), whether or not Konnect calls,
   * plus the invocations themselves; 0 keeps the function on demand.
   * @default 0
   */
  readonly provisionedConcurrency?: number;
  /**
   * Retention of the function's log group.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
  /**
   * Powertools log level (`DEBUG`, `INFO`, `WARN`, `ERROR`).
   * @default 'INFO'
   */
  readonly logLevel?: string;
  /**
   * AWS X-Ray active tracing: Lambda records each invocation (initialisation, invocation,
   * overhead) in the request's trace, without any X-Ray code in the bundle.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * The bridge's own X-Ray subsegments on top of active tracing: the handler annotated with
   * operation, outcome and status, each IdP call (method and status only) and each AWS SDK call.
   * They need Powertools Tracer and the X-Ray SDK in the bundle (about 120 kB more, and a
   * slower cold start); aws-xray-sdk-core is in maintenance mode until its end of support on
   * 2027-02-25. Requires `tracing`.
   * @default false
   */
  readonly tracingSubsegments?: boolean;
  /**
   * Reserved concurrent executions.
   * @default - the account's unreserved pool
   */
  readonly reservedConcurrency?: number;
  /**
   * Customer managed key for the log group.
   * @default - CloudWatch Logs' own encryption
   */
  readonly encryptionKey?: IKey;
}

/** The bridge Lambda with the house defaults: Node 24 on ARM, ESM bundle, own log group. */
export class BridgeFunction extends Construct {
  /** The underlying function, for grants, environment and integrations. */
  public readonly lambdaFunction: NodejsFunction;
  /** The function's log group. */
  public readonly logGroup: LogGroup;
  /** The Lambda timeout: the IdP deadline plus headroom, in whole seconds. */
  public readonly timeout: Duration;
  /** What API Gateway invokes: the alias with the provisioned concurrency, or the function itself. */
  public readonly invocationTarget: IFunction;

  constructor(scope: Construct, id: string, props: BridgeFunctionProps = {}) {
    super(scope, id);
    const idpTimeoutMs = props.idpTimeoutMs ?? 8000;
    if (!Number.isInteger(idpTimeoutMs) || idpTimeoutMs < MIN_IDP_TIMEOUT_MS || idpTimeoutMs > MAX_IDP_TIMEOUT_MS) {
      throw new Error(
        `idpTimeoutMs must be an integer from ${MIN_IDP_TIMEOUT_MS} to ${MAX_IDP_TIMEOUT_MS} (the Lambda timeout, 4 s more, must end ${GATEWAY_MARGIN_S} s before API Gateway's ${API_GATEWAY_INTEGRATION_TIMEOUT_S} s), got ${idpTimeoutMs}`,
      );
    }
    const tracing = props.tracing ?? true;
    const subsegments = props.tracingSubsegments ?? false;
    if (subsegments && !tracing) {
      throw new Error('tracingSubsegments adds to active tracing: set tracing as well');
    }
    const memorySize = props.memorySize ?? DEFAULT_MEMORY_MB;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10240) {
      throw new Error(`memorySize must be an integer from 128 to 10240 (MB), got ${memorySize}`);
    }
    const provisioned = props.provisionedConcurrency ?? 0;
    if (!Number.isInteger(provisioned) || provisioned < 0) {
      throw new Error(`provisionedConcurrency must be a whole number (0 = off), got ${provisioned}`);
    }
    // Lambda timeouts are whole seconds; round up so the headroom never shrinks.
    this.timeout = Duration.seconds(Math.ceil((idpTimeoutMs + TIMEOUT_HEADROOM_MS) / 1000));

    // Explicit log group: retention without CDK's LogRetention helper Lambda.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });

    // Own role instead of AWSLambdaBasicExecutionRole, whose logs:* statements cover every log
    // group of the account: this one may only write to its own log group.
    const role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'DCR bridge function: its log group, its two secrets, its registration table',
    });
    this.logGroup.grantWrite(role);

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      description: 'DCR bridge between Kong Konnect Dev Portal and the OAuth IdP',
      entry: BRIDGE_ENTRY,
      depsLockFilePath: LOCK_FILE,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize,
      timeout: this.timeout,
      logGroup: this.logGroup,
      role,
      tracing: tracing ? Tracing.ACTIVE : Tracing.DISABLED,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName ?? SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        // Handler responses carry client secrets: they must never become trace metadata.
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        // Only the bundle with subsegments holds Powertools Tracer; say so for every other one.
        ...(subsegments ? {} : { POWERTOOLS_TRACE_ENABLED: 'false' }),
        // Same number as the timeout above, so deadline and timeout cannot drift apart.
        IDP_TIMEOUT_MS: String(idpTimeoutMs),
      },
      bundling: bridgeBundling({ idpType: props.idpType, xraySdk: subsegments }),
    });
    if (tracing) this.acknowledgeXrayWildcard(role);
    this.invocationTarget =
      provisioned > 0
        ? new Alias(this, 'Live', {
            aliasName: 'live',
            version: this.lambdaFunction.currentVersion,
            provisionedConcurrentExecutions: provisioned,
          })
        : this.lambdaFunction;
  }

  /** The one wildcard resource of the stack, and why it cannot be narrowed. */
  private acknowledgeXrayWildcard(role: Role): void {
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error('BridgeFunction: the role has no default policy to acknowledge');
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only xray:PutTraceSegments and xray:PutTelemetryRecords (added by active tracing) use Resource "*": ' +
        'X-Ray supports no resource-level permissions for these actions. Every other statement names its resource.',
    });
  }
}
