import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret, RotationSchedule } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct, type IDependable } from 'constructs';
import { DEFAULT_ACCEPT_DELAY_MS } from '../functions/konnect/rotate-with-konnect';
import { KonnectFunction } from './konnect-function';
import { secretKeyStatement } from './secret-key-access';

/**
 * How long the rotation waits between adding the new key and giving it to Konnect: the bridge's
 * KEY_REFRESH_MIN_INTERVAL_SECONDS (10 s, which the stack leaves at its default) plus 1 s, so a
 * warm bridge that force-refreshed its keys just before the new one was written has re-read them.
 * Set explicitly, so the template shows it.
 */
export const ACCEPT_DELAY_MS = DEFAULT_ACCEPT_DELAY_MS;

export interface KonnectKeyRotationProps {
  /** The bridge's Konnect key secret, which this rotates. */
  readonly keySecret: ISecret;
  /** The key of `keySecret`, when it is customer managed. */
  readonly encryptionKey?: IKey;
  /** Complete ARN of the secret with the Konnect token. */
  readonly tokenSecretArn: string;
  /** Konnect API base URL, ending in /v2. */
  readonly apiUrl: string;
  readonly providerName: string;
  /** The stack's UUID: the rotation leaves a provider with another dcr-bridge-owner label alone. */
  readonly owner: string;
  /** Days between rotations, 1 to 1000. */
  readonly rotationDays: number;
  readonly serviceName: string;
  /** The window of the errors alarm. */
  readonly alarmPeriod: Duration;
  /** Notified when a rotation step fails, and when a later rotation invocation succeeds. */
  readonly topic?: ITopic;
  /** The rotation schedule waits for these (the Konnect provider must exist before a rotation). */
  readonly dependsOn: readonly IDependable[];
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * Scheduled rotation of the Konnect key: Secrets Manager invokes the rotation Lambda every
 * `rotationDays`; it adds a new key, gives it to Konnect, has Konnect verify, then drops the old
 * key. A failed step leaves both keys accepted and raises the alarm.
 */
export class KonnectKeyRotation extends Construct {
  public readonly handler: KonnectFunction;
  public readonly schedule: RotationSchedule;
  /** Any failed invocation of the rotation Lambda; clears only when a later invocation succeeds. */
  public readonly errorsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: KonnectKeyRotationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.handler = new KonnectFunction(this, 'Rotation', {
      entry: '../functions/konnect/key-rotation-handler.ts',
      handler: 'handler',
      description:
        'Rotates the Konnect key of the DCR bridge and gives the new key to Konnect (Secrets Manager rotation)',
      roleDescription: 'Konnect key rotation: its log group, the Konnect key secret, reading the Konnect token',
      environment: {
        KONNECT_TOKEN_SECRET_ARN: props.tokenSecretArn,
        KONNECT_API_URL: props.apiUrl,
        KONNECT_PROVIDER_NAME: props.providerName,
        KONNECT_PROVIDER_OWNER: props.owner,
        ACCEPT_DELAY_MS: String(ACCEPT_DELAY_MS),
      },
      serviceName: props.serviceName,
      // The longest step waits ACCEPT_DELAY_MS, then updates the provider, and Konnect's verify
      // runs a real create through the bridge and the IdP.
      timeout: Duration.minutes(3),
      logRetention: props.logRetention,
      encryptionKey: props.encryptionKey,
    });
    const fn = this.handler.lambdaFunction;
    this.grantRotation(props);
    // Only Secrets Manager, only for this account and this secret (its documented confused-deputy guard).
    fn.addPermission('InvokedBySecretsManager', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      sourceAccount: stack.account,
      sourceArn: props.keySecret.secretArn,
    });
    // Given a function it owns, CDK's RotationSchedule also grants secretsmanager:GetRandomPassword
    // on "*" (this handler makes its own keys) and the key to the whole function; given a
    // reference it grants nothing, and the grants above are exactly what the handler uses.
    const target = LambdaFunction.fromFunctionAttributes(this, 'RotationTarget', {
      functionArn: fn.functionArn,
      sameEnvironment: true,
      skipPermissions: true,
    });
    this.schedule = props.keySecret.addRotationSchedule('RotationSchedule', {
      rotationLambda: target,
      automaticallyAfter: Duration.days(props.rotationDays),
      // The first rotation waits for the schedule: the provider may not be verified yet.
      rotateImmediatelyOnUpdate: false,
    });
    // The handler's subtree holds its permission and role policy, which Secrets Manager checks.
    this.schedule.node.addDependency(this.handler, ...props.dependsOn);
    this.errorsAlarm = this.createAlarm(props);
  }

  /**
   * Secrets Manager's four rotation calls on the key secret (its documented execution role policy,
   * without GetRandomPassword), reading the token, and the key for the key secret alone.
   */
  private grantRotation(props: KonnectKeyRotationProps): void {
    const role = this.handler.role;
    role.addToPolicy(
      new PolicyStatement({
        actions: [
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetSecretValue',
          'secretsmanager:PutSecretValue',
          'secretsmanager:UpdateSecretVersionStage',
        ],
        resources: [props.keySecret.secretArn],
      }),
    );
    role.addToPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.tokenSecretArn] }),
    );
    if (props.encryptionKey) {
      role.addToPolicy(
        secretKeyStatement(props.encryptionKey, props.keySecret, ['kms:Decrypt', 'kms:GenerateDataKey']),
      );
    }
  }

  private createAlarm(props: KonnectKeyRotationProps): Alarm {
    const period = props.alarmPeriod;
    const alarm = new Alarm(this, 'Errors', {
      alarmName: `${Stack.of(this).stackName}-KonnectKeyRotationErrors`,
      alarmDescription:
        'A step of the scheduled Konnect key rotation failed. Both keys stay accepted, so Konnect keeps working; ' +
        "see the rotation function's log group, fix the cause (Konnect token, Konnect's verify errors) and rotate " +
        'again with `aws secretsmanager rotate-secret` or `npm run rotate-key -- --konnect`.',
      metric: this.handler.lambdaFunction.metricErrors({ period, statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      // The function runs only during a rotation: no data is no news, not recovery. The alarm stays
      // in ALARM until an invocation succeeds (Errors 0), so a stuck rotation never looks cleared.
      treatMissingData: TreatMissingData.IGNORE,
    });
    if (props.topic) {
      const action = new SnsAction(props.topic);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return alarm;
  }
}
