import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';

/** IdP adapters that speak RFC 7592 and so must keep each client's registration access token. */
const ADAPTERS_WITH_REGISTRATION_STORE: ReadonlySet<string> = new Set(['generic', 'curity', 'keycloak']);

/** Whether the adapter for `idpType` needs the registration table (see functions/store). */
export function needsRegistrationStore(idpType: string): boolean {
  return ADAPTERS_WITH_REGISTRATION_STORE.has(idpType);
}

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
