import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

// Resolved from this file, not the cwd, so synth works from any directory (cdk, jest, tsx).
const BRIDGE_ENTRY = fileURLToPath(new URL('../functions/bridge/index.ts', import.meta.url));
const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

/** Headroom between the bridge's IdP deadline and the Lambda timeout, for the bridge's own 504. */
const TIMEOUT_HEADROOM_MS = 4000;

export interface BridgeFunctionProps {
  /**
   * How long the bridge waits for the IdP before answering 504 itself.
   * The Lambda timeout is this plus 4 s, so Lambda never kills a request the bridge could answer.
   * @default 8000
   */
  readonly idpTimeoutMs?: number;
  /**
   * Lambda memory; also buys CPU, which shortens cold starts.
   * @default 512
   */
  readonly memorySize?: number;
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
}

/** The bridge Lambda with the house defaults: Node 24 on ARM, ESM bundle, own log group. */
export class BridgeFunction extends Construct {
  /** The underlying function, for grants, environment and integrations. */
  public readonly lambdaFunction: NodejsFunction;
  /** The function's log group. */
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: BridgeFunctionProps = {}) {
    super(scope, id);
    const idpTimeoutMs = props.idpTimeoutMs ?? 8000;

    // Explicit log group: retention without CDK's LogRetention helper Lambda.
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
    });

    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      description: 'DCR bridge between Kong Konnect Dev Portal and the OAuth IdP',
      entry: BRIDGE_ENTRY,
      depsLockFilePath: LOCK_FILE,
      handler: 'handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      // Lambda timeouts are whole seconds; round up so the headroom never shrinks.
      timeout: Duration.seconds(Math.ceil((idpTimeoutMs + TIMEOUT_HEADROOM_MS) / 1000)),
      logGroup: this.logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'dcr-bridge',
        POWERTOOLS_LOG_LEVEL: props.logLevel ?? 'INFO',
        // Same number as the timeout above, so deadline and timeout cannot drift apart.
        IDP_TIMEOUT_MS: String(idpTimeoutMs),
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: 'node24',
        mainFields: ['module', 'main'],
        // CJS dependencies call require(); an ESM bundle has none unless we create it.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        // The Node 24 runtime ships AWS SDK v3.
        externalModules: ['@aws-sdk/*'],
      },
    });
  }
}
