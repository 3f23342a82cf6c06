import { Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';

/**
 * Use of the stack's key for one secret only: through Secrets Manager, and with that secret's
 * ARN as encryption context (Secrets Manager's documented statement for a customer managed key),
 * so the grant opens no other secret or table encrypted with the same key.
 */
export function secretKeyStatement(key: IKey, secret: ISecret, actions: string[]): PolicyStatement {
  const stack = Stack.of(secret);
  return new PolicyStatement({
    actions,
    resources: [key.keyArn],
    conditions: {
      StringEquals: {
        'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}`,
        'kms:EncryptionContext:SecretARN': secret.secretArn,
      },
    },
  });
}
