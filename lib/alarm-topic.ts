import { Stack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface AlarmTopicOptions {
  /** Creates a topic with this e-mail subscription. */
  readonly alarmEmail?: string;
  /** Uses an existing topic instead. */
  readonly alarmTopicArn?: string;
  /** Encrypts a created topic; its key policy must let CloudWatch alarms use it. */
  readonly encryptionKey?: IKey;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** The topic the alarms notify, if the operator asked for one. */
export function alarmTopic(scope: Construct, options: AlarmTopicOptions): ITopic | undefined {
  const { alarmEmail, alarmTopicArn } = options;
  if (alarmEmail && alarmTopicArn) throw new Error('Set alarmEmail or alarmTopicArn, not both');
  if (alarmTopicArn) {
    if (!TOPIC_ARN.test(alarmTopicArn)) throw new Error('alarmTopicArn must be an SNS topic ARN');
    return Topic.fromTopicArn(scope, 'AlarmTopic', alarmTopicArn);
  }
  if (!alarmEmail) return undefined;
  if (!EMAIL.test(alarmEmail)) throw new Error('alarmEmail must be an e-mail address');
  const topic = new Topic(scope, 'AlarmTopic', {
    // The sender name of the e-mails: says which bridge when an account runs several (SNS allows 100 characters).
    displayName: `DCR bridge alarms: ${Stack.of(scope).stackName}`.slice(0, 100),
    masterKey: options.encryptionKey,
    // Deny publishing over plain HTTP.
    enforceSSL: true,
  });
  topic.addSubscription(new EmailSubscription(alarmEmail));
  return topic;
}
