import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface RegistrationTableProps {
  /**
   * Customer managed key for the table.
   * @default - the AWS managed key for DynamoDB
   */
  readonly encryptionKey?: IKey;
}

/**
 * DynamoDB table keyed by `clientId`: per-client RFC 7592 credentials (for adapters that keep
 * them) and, for every adapter, the item `#konnect-verification` naming the client of Konnect's
 * latest "Verify".
 */
export class RegistrationTable extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string, props: RegistrationTableProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'clientId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      ...(props.encryptionKey
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: props.encryptionKey }
        : { encryption: TableEncryption.AWS_MANAGED }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Without the stored registration access tokens the IdP clients can no longer be
      // rotated or deleted through the bridge, so the table outlives the stack, and a
      // delete-table call (console, CLI, another stack) fails until protection is switched off.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
  }
}
