import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bridgeBundling } from './bridge-function';

const LOCK_FILE = fileURLToPath(new URL('../package-lock.json', import.meta.url));

export interface KonnectFunctionProps {
  /** Source file under functions/konnect, resolved from this file. */
  readonly entry: string;
  readonly handler: string;
  readonly description: string;
  /** Says what the role may do, for whoever reads it in IAM. */
  readonly roleDescription: string;
  readonly environment: Record<string, string>;
  /** Powertools' service name: the stack's, as for the bridge. */
  readonly serviceName: string;
  /** Konnect's verify runs a real create through the bridge and the IdP: minutes, not seconds. */
  readonly timeout: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** @default - CloudWatch Logs' own encryption */
  readonly encryptionKey?: IKey;
}

/**
 * A Lambda that talks to Konnect, with the bridge's house defaults: Node 24 on ARM, the bridge's
 * esbuild options, its own log group and a role that may only write there until grants are added.
 * No X-Ray: these run at deploy and on a schedule, and tracing would need a wildcard grant.
 */
export class KonnectFunction extends Construct {
  public readonly lambdaFunction: NodejsFunction;
  public readonly role: Role;
  public readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: KonnectFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription,
    });
    this.logGroup.grantWrite(this.role);
    this.lambdaFunction = new NodejsFunction(this, 'Function', {
      description: props.description,
      entry: fileURLToPath(new URL(props.entry, import.meta.url)),
      depsLockFilePath: LOCK_FILE,
      handler: props.handler,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: props.timeout,
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        // The bundle holds no Powertools Tracer (bridgeBundling without the X-Ray SDK).
        POWERTOOLS_TRACE_ENABLED: 'false',
        ...props.environment,
      },
      bundling: bridgeBundling(),
    });
  }
}
