import { CustomResource, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct, type IDependable } from 'constructs';
import { KonnectFunction } from './konnect-function';
import { secretKeyStatement } from './secret-key-access';

export interface KonnectProviderProps {
  /** Konnect API base URL, ending in /v2. */
  readonly apiUrl: string;
  /** Complete ARN of the secret with the Konnect token; only ever referenced, never resolved. */
  readonly tokenSecretArn: string;
  /** The bridge's Konnect key secret: the newest key goes to Konnect. */
  readonly keySecret: ISecret;
  /** The key of `keySecret`, when it is customer managed. */
  readonly encryptionKey?: IKey;
  readonly providerName: string;
  readonly dcrBaseUrl: string;
  readonly issuer: string;
  readonly disableRefreshSecret: boolean;
  /** Delete the Konnect provider with the stack. */
  readonly removeOnDelete: boolean;
  /** Value of the provider's `dcr-bridge-stack` label. */
  readonly stackLabel: string;
  /** Value of the provider's `dcr-bridge-owner` label (the stack's UUID): only that provider is changed or deleted. */
  readonly owner: string;
  /** Take over a same-named provider without owner label. */
  readonly adopt: boolean;
  readonly serviceName: string;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
  /** What Konnect's verify must find deployed: the API stage, the bridge and its grants, the domain. */
  readonly dependsOn: readonly IDependable[];
}

/**
 * The Konnect HTTP DCR provider as a CloudFormation custom resource: created or updated at
 * deploy (found by name), then verified by Konnect through the deployed bridge; a failed verify
 * fails the deploy with Konnect's errors. A provider of that name owned by another stack (its
 * dcr-bridge-owner label) fails the deploy untouched; one without owner label too, unless `adopt`.
 * Deleting the stack keeps the provider unless `removeOnDelete`, as auth strategies may point at it.
 */
export class KonnectProvider extends Construct {
  /** Konnect's id of the provider. */
  public readonly providerId: string;
  public readonly handler: KonnectFunction;
  public readonly resource: CustomResource;

  constructor(scope: Construct, id: string, props: KonnectProviderProps) {
    super(scope, id);
    this.handler = new KonnectFunction(this, 'OnEvent', {
      entry: '../functions/konnect/provider-resource.ts',
      handler: 'onEvent',
      description: 'Creates, updates and verifies the Konnect DCR provider of the DCR bridge (custom resource)',
      roleDescription: 'Konnect DCR provider custom resource: its log group, the Konnect token, the Konnect key',
      environment: {
        KONNECT_TOKEN_SECRET_ARN: props.tokenSecretArn,
        KONNECT_API_KEY_SECRET_ARN: props.keySecret.secretArn,
      },
      serviceName: props.serviceName,
      // Konnect's verify is a real create through the bridge and the IdP (at most 26 s), after
      // the lookup and the create or update, each of which may wait out a 429.
      timeout: Duration.minutes(3),
      logRetention: props.logRetention,
      encryptionKey: props.encryptionKey,
    });
    this.grantSecrets(props);

    const provider = this.createProvider(props);
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::KonnectDcrProvider',
      properties: {
        KonnectApiUrl: props.apiUrl,
        ProviderName: props.providerName,
        DcrBaseUrl: props.dcrBaseUrl,
        Issuer: props.issuer,
        DisableRefreshSecret: String(props.disableRefreshSecret),
        RemoveOnDelete: String(props.removeOnDelete),
        StackLabel: props.stackLabel,
        Owner: props.owner,
        Adopt: String(props.adopt),
      },
    });
    this.resource.node.addDependency(...props.dependsOn);
    this.providerId = this.resource.getAttString('ProviderId');
  }

  /** Read only: the token and the key, and the stack's key for the key secret alone. */
  private grantSecrets(props: KonnectProviderProps): void {
    const role = this.handler.role;
    role.addToPolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.tokenSecretArn, props.keySecret.secretArn],
      }),
    );
    if (props.encryptionKey)
      role.addToPolicy(secretKeyStatement(props.encryptionKey, props.keySecret, ['kms:Decrypt']));
  }

  /**
   * CDK's provider framework around the handler, with its own role and log group instead of the
   * AWS managed basic execution policy (which could write to every log group of the account).
   */
  private createProvider(props: KonnectProviderProps): Provider {
    const logGroup = new LogGroup(this, 'FrameworkLogGroup', {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      encryptionKey: props.encryptionKey,
    });
    const role = new Role(this, 'FrameworkRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Konnect DCR provider custom resource framework: its log group, invoking the handler',
    });
    logGroup.grantWrite(role);
    const provider = new Provider(this, 'Provider', {
      onEventHandler: this.handler.lambdaFunction,
      frameworkOnEventRole: role,
      logGroup,
    });
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error('KonnectProvider: the framework role has no default policy to acknowledge');
    const handlerId = Stack.of(this).getLogicalId(this.handler.lambdaFunction.node.defaultChild as CfnFunction);
    Validations.of(policy).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${handlerId}.Arn>:*]`,
      reason:
        "CDK's provider framework grants lambda:InvokeFunction on the handler and its versions (ARN:*), " +
        'which Lambda needs to invoke a qualified ARN; the statement names only this one handler function.',
    });
    return provider;
  }
}
