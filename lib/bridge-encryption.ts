import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';

const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/**
 * The stack's customer managed key, when `encryptionKey` asks for one: `create` makes a key with
 * rotation whose policy lets CloudWatch Logs (log groups) and CloudWatch alarms (the alarm topic)
 * use it; an ARN imports an existing key, whose policy the operator maintains.
 */
export function bridgeEncryptionKey(scope: Construct, setting: string | undefined): IKey | undefined {
  if (setting === undefined || setting === '') return undefined;
  if (setting !== 'create') {
    if (!KEY_ARN.test(setting)) {
      throw new Error(`encryptionKey must be "create" or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)`);
    }
    return Key.fromKeyArn(scope, 'EncryptionKey', setting);
  }
  const key = new Key(scope, 'EncryptionKey', {
    description: 'DCR bridge: registration table, secrets, log groups and alarm topic',
    enableKeyRotation: true,
    // Default RETAIN: the registration table outlives the stack and cannot be read without it.
  });
  allowCloudWatchLogs(key);
  allowCloudWatchAlarms(key);
  return key;
}

/** CloudWatch Logs encrypts log groups with the key; only this account's and region's groups. */
function allowCloudWatchLogs(key: Key): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
      principals: [new ServicePrincipal(`logs.${stack.region}.${stack.urlSuffix}`)],
      actions: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:DescribeKey',
      ],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
        },
      },
    }),
  );
}

/** CloudWatch alarms publish to the encrypted alarm topic; only this account's alarms. */
function allowCloudWatchAlarms(key: Key): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      // In a key policy, "*" means this key.
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
      },
    }),
  );
}
