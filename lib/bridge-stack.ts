import { Annotations, CfnOutput, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { BridgeApi } from './bridge-api';
import { BridgeFunction } from './bridge-function';
import { assertDeployableSettings, idpSettingsProblems, needsRegistrationStore, parseIdpType } from './idp-settings';
import { RegistrationTable } from './registration-table';

/** How the adapter serves `POST /{clientId}/new-secret`. */
export type IdpSecretRotation = 'none' | 'read' | 'update';

/**
 * Deployment choices for the bridge. In bin/dcr-bridge.ts each field is read from the CDK
 * context key of the same name (`cdk deploy -c idpType=okta`, or `context` in cdk.json).
 */
export interface BridgeStackProps extends StackProps {
  /**
   * Context `idpType`: which IdP adapter the bridge uses. `generic`, `curity` and `keycloak`
   * (RFC 7591/7592) also get the registration table.
   * @default 'generic'
   */
  readonly idpType?: string;
  /**
   * Context `idpSettings`: the adapter's own settings as an object of `IDP_*` environment
   * variables (e.g. `{"IDP_OKTA_ORG_URL":"https://acme.okta.com"}`), see docs/idps/. Credentials
   * are refused here: they belong in the IdP credentials secret.
   * @default {}
   */
  readonly idpSettings?: Record<string, string>;
  /**
   * Context `idpIssuer`: the IdP's OAuth issuer URL. Passed as `IDP_ISSUER`.
   * @default - not set
   */
  readonly idpIssuer?: string;
  /**
   * Context `idpRegistrationEndpoint`: the IdP's RFC 7591 registration endpoint, when it
   * cannot or should not be discovered from the issuer. Passed as `IDP_REGISTRATION_ENDPOINT`.
   * @default - not set
   */
  readonly idpRegistrationEndpoint?: string;
  /**
   * Context `idpTokenEndpoint`: the IdP's token endpoint, when it cannot be discovered from the
   * issuer (used with `idpInitialTokenScope`). Passed as `IDP_TOKEN_ENDPOINT`.
   * @default - not set
   */
  readonly idpTokenEndpoint?: string;
  /**
   * Context `idpInitialTokenScope`: scope the bridge requests when it obtains an initial
   * access token with its own client credentials. Passed as `IDP_INITIAL_TOKEN_SCOPE`.
   * @default - not set
   */
  readonly idpInitialTokenScope?: string;
  /**
   * Context `idpSecretRotation`: how `POST /{clientId}/new-secret` is served.
   * Passed as `IDP_SECRET_ROTATION`.
   * @default 'none'
   */
  readonly idpSecretRotation?: IdpSecretRotation;
  /**
   * Context `idpCredentialsSecretArn`: complete ARN of an existing Secrets Manager secret with
   * the bridge's IdP credentials (JSON: `client_id`, `client_secret`, `initial_access_token`).
   * The secret must use the AWS managed key; a customer managed key needs its own grant.
   * @default - an empty secret is created for the operator to fill
   */
  readonly idpCredentialsSecretArn?: string;
  /**
   * Context `idpTimeoutMs`: the bridge's deadline for IdP calls; the Lambda timeout is 4 s more.
   * @default 8000
   */
  readonly idpTimeoutMs?: number;
  /**
   * Context `logRetentionDays`: retention of the bridge's log group, in days (a CloudWatch
   * Logs retention value such as 7, 30, 90, 365).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetentionDays?: RetentionDays;
}

/** The DCR bridge: API Gateway → one Lambda → the IdP, with its secrets and registration table. */
export class BridgeStack extends Stack {
  /** The X-API-KEY Konnect must send. */
  public readonly konnectApiKey: ISecret;
  /** The bridge's own credentials at the IdP. */
  public readonly idpCredentials: ISecret;
  /** RFC 7592 registration store; only for adapters that need one. */
  public readonly registrationTable?: ITable;
  /** The bridge Lambda and its log group. */
  public readonly bridge: BridgeFunction;
  /** The Konnect-facing REST API. */
  public readonly api: BridgeApi;

  constructor(scope: Construct, id: string, props: BridgeStackProps = {}) {
    super(scope, id, props);
    const idpType = parseIdpType(props.idpType);
    const environment = this.idpEnvironment(idpType, props);

    this.konnectApiKey = this.createKonnectApiKeySecret();
    this.idpCredentials = this.createOrImportIdpCredentialsSecret(props.idpCredentialsSecretArn);
    this.registrationTable = needsRegistrationStore(idpType, environment) ? this.createRegistrationTable() : undefined;
    this.bridge = this.createBridgeFunction(props);
    this.setBridgeEnvironment(environment);
    this.grantBridgeAccess();
    this.api = this.createApi();
    this.createOutputs();
  }

  /**
   * The function's IdP settings. What the adapter would refuse at cold start is a synth warning
   * (the deploy still works, the bridge then answers 503 naming the setting).
   */
  private idpEnvironment(idpType: string, props: BridgeStackProps): Record<string, string> {
    const settings = props.idpSettings ?? {};
    assertDeployableSettings(settings);
    const environment: Record<string, string | undefined> = {
      ...settings,
      IDP_TYPE: idpType,
      IDP_ISSUER: props.idpIssuer ?? settings.IDP_ISSUER,
      IDP_REGISTRATION_ENDPOINT: props.idpRegistrationEndpoint ?? settings.IDP_REGISTRATION_ENDPOINT,
      IDP_TOKEN_ENDPOINT: props.idpTokenEndpoint ?? settings.IDP_TOKEN_ENDPOINT,
      IDP_INITIAL_TOKEN_SCOPE: props.idpInitialTokenScope ?? settings.IDP_INITIAL_TOKEN_SCOPE,
      IDP_SECRET_ROTATION: props.idpSecretRotation ?? settings.IDP_SECRET_ROTATION,
    };
    const defined = Object.fromEntries(
      Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    const problems = idpSettingsProblems(parseIdpType(idpType), defined);
    if (problems) {
      Annotations.of(this).addWarningV2(
        'dcr-bridge:idpSettings',
        `The ${idpType} adapter would refuse these settings, and the bridge would answer 503: ${problems}. Pass them with -c idpSettings='{...}' (see docs/idps/).`,
      );
    }
    return defined;
  }

  /** The X-API-KEY Konnect sends; generated so its value never appears in the template. */
  private createKonnectApiKeySecret(): ISecret {
    return new Secret(this, 'KonnectApiKey', {
      description: 'X-API-KEY that Konnect sends to the DCR bridge; paste it into the Konnect DCR provider.',
      // Konnect accepts 12-256 characters of [A-Za-z0-9_]; 48 alphanumerics satisfy that.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
  }

  private createOrImportIdpCredentialsSecret(secretArn: string | undefined): ISecret {
    if (secretArn) {
      return Secret.fromSecretCompleteArn(this, 'IdpCredentials', secretArn);
    }
    return new Secret(this, 'IdpCredentials', {
      description:
        'IdP credentials of the DCR bridge. Fill in after deploy as JSON with the fields your IdP adapter needs: ' +
        '{"client_id","client_secret","initial_access_token"}.',
      // A placeholder, not a secret: an empty JSON object rather than CDK's default generated
      // password, which is not JSON and would only confuse the operator filling it in.
      secretStringValue: SecretValue.unsafePlainText('{}'),
    });
  }

  private createRegistrationTable(): ITable {
    return new RegistrationTable(this, 'RegistrationTable').table;
  }

  private createBridgeFunction(props: BridgeStackProps): BridgeFunction {
    return new BridgeFunction(this, 'Bridge', {
      idpTimeoutMs: props.idpTimeoutMs,
      logRetention: props.logRetentionDays,
    });
  }

  /** Unset optional settings stay out of the environment rather than arriving as "". */
  private setBridgeEnvironment(idpEnvironment: Record<string, string>): void {
    const environment: Record<string, string | undefined> = {
      ...idpEnvironment,
      KONNECT_API_KEY_SECRET_ARN: this.konnectApiKey.secretArn,
      IDP_CREDENTIALS_SECRET_ARN: this.idpCredentials.secretArn,
      REGISTRATION_TABLE_NAME: this.registrationTable?.tableName,
      // IDP_TIMEOUT_MS is set by BridgeFunction, next to the timeout derived from it.
    };
    for (const [name, value] of Object.entries(environment)) {
      if (value !== undefined) this.bridge.lambdaFunction.addEnvironment(name, value);
    }
  }

  /** The only grants the bridge has: read both secrets, four item operations on the table. */
  private grantBridgeAccess(): void {
    const fn = this.bridge.lambdaFunction;
    this.konnectApiKey.grantRead(fn);
    this.idpCredentials.grantRead(fn);
    // Exactly the item operations DynamoDbRegistrationStore uses: no scans, queries or batches.
    this.registrationTable?.grant(
      fn,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    );
  }

  private createApi(): BridgeApi {
    return new BridgeApi(this, 'Api', { handler: this.bridge.lambdaFunction });
  }

  private createOutputs(): void {
    new CfnOutput(this, 'DcrBaseUrl', {
      description: 'DCR provider base URL to paste into Konnect',
      value: this.api.baseUrl,
    });
    new CfnOutput(this, 'KonnectApiKeySecretArn', {
      description: 'Secret holding the X-API-KEY for Konnect (read it with get-secret-value)',
      value: this.konnectApiKey.secretArn,
    });
    new CfnOutput(this, 'IdpCredentialsSecretArn', {
      description: 'Secret holding the IdP credentials of the bridge',
      value: this.idpCredentials.secretArn,
    });
    if (this.registrationTable) {
      new CfnOutput(this, 'RegistrationTableName', {
        description: 'DynamoDB table of RFC 7592 registration access tokens',
        value: this.registrationTable.tableName,
      });
    }
  }
}
