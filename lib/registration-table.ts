import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** DynamoDB table of per-client RFC 7592 credentials, keyed by `clientId`. */
export class RegistrationTable extends Construct {
  public readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'clientId', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Without the stored registration access tokens the IdP clients can no longer be
      // rotated or deleted through the bridge, so the table outlives the stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
