import { Annotations, CfnOutput, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { IdpType } from '../functions/idp/create-idp-adapter';
import { VERIFICATION_RECORD_KEY } from '../functions/store/verification-ledger';
import { alarmTopic } from './alarm-topic';
import { BridgeAlarms } from './bridge-alarms';
import { BridgeApi } from './bridge-api';
import { BridgeDashboard } from './bridge-dashboard';
import { BridgeDomain } from './bridge-domain';
import { bridgeEncryptionKey } from './bridge-encryption';
import { BridgeFunction } from './bridge-function';
import { BridgeLogQueries } from './bridge-log-queries';
import { BridgeMetrics } from './bridge-metrics';
import type { BridgeStackProps } from './bridge-stack-props';
import { BridgeWaf } from './bridge-waf';
import { assertCognitoProps, cognitoActionsFor, existingUserPoolArn } from './cognito-access';
import { CognitoUserPool, DEPLOY_TIME_SETTING_EXAMPLES } from './cognito-user-pool';
import { assertDeployableSettings, idpSettingsProblems, needsRegistrationStore, parseIdpType } from './idp-settings';
import { connectKonnectCommand } from './konnect-command';
import { KonnectKeyRotation } from './konnect-key-rotation';
import { KonnectProvider } from './konnect-provider';
import { type KonnectSettings, konnectSettings } from './konnect-settings';
import { RegistrationTable } from './registration-table';
import { stackLabel, stackUuid } from './stack-name';

export type {
  BridgeLogLevel,
  BridgeStackProps,
  IdpSecretRotation,
  KonnectProviderRemoval,
} from './bridge-stack-props';

/**
 * The DCR bridge: API Gateway → one Lambda → the IdP, with its secrets and registration table,
 * and what runs it in production: access log, tracing, throttling, optional WAF and custom
 * domain, alarms, a dashboard and saved Logs Insights queries; opt-in, the Konnect DCR provider
 * (created and verified at deploy) and the Konnect key's scheduled rotation. Every physical name
 * derives from the stack name, so several bridges run side by side in one account and region.
 */
export class BridgeStack extends Stack {
  /** The X-API-KEY Konnect must send. */
  public readonly konnectApiKey: ISecret;
  /**
   * The bridge's own credentials at the IdP; none with `idpType=cognito`, whose credential is the
   * function's IAM role.
   */
  public readonly idpCredentials?: ISecret;
  /** The user pool the stack made for `cognitoUserPool=create`. */
  public readonly cognitoUserPool?: CognitoUserPool;
  /**
   * The registration store: RFC 7592 registration access tokens (adapters that keep them) and the
   * pointer to Konnect's latest "Verify" client (every adapter).
   */
  public readonly registrationTable: ITable;
  /** The bridge Lambda and its log group. */
  public readonly bridge: BridgeFunction;
  /** The Konnect-facing REST API. */
  public readonly api: BridgeApi;
  /** Customer managed key, when `encryptionKey` is set. */
  public readonly encryptionKey?: IKey;
  /** Where the alarms notify, when `alarmEmail` or `alarmTopicArn` is set. */
  public readonly alarmTopic?: ITopic;
  public readonly alarms: BridgeAlarms;
  public readonly waf?: BridgeWaf;
  public readonly domain?: BridgeDomain;
  /**
   * Powertools' service name of the stack's functions: the `service` dimension of the bridge's
   * metrics and the `service` field of its log lines. The stack name, so the alarms and dashboard
   * of two bridges in one account never count each other's requests.
   */
  public readonly serviceName: string;
  /** The Konnect DCR provider custom resource, with `konnectTokenSecretArn`. */
  public readonly konnectProvider?: KonnectProvider;
  /** The scheduled Konnect key rotation, with `konnectKeyRotationDays`. */
  public readonly konnectKeyRotation?: KonnectKeyRotation;

  constructor(scope: Construct, id: string, props: BridgeStackProps = {}) {
    super(scope, id, props);
    // CDK refuses an invalid explicit stack name; bin/dcr-bridge.ts checks -c stackName itself.
    this.serviceName = this.stackName;
    assertConsistentProps(props);
    const idpType = parseIdpType(props.idpType);
    assertCognitoProps(idpType, props);
    this.cognitoUserPool = props.cognitoUserPool === 'create' ? this.createCognitoUserPool(props) : undefined;
    const environment = this.idpEnvironment(idpType, props);
    // Adapters that keep per-client records (registration tokens, Curity dcrm's and Cognito's ownership records).
    const keepsClientRecords = needsRegistrationStore(idpType, environment);
    const konnect = konnectSettings(
      { ...props, konnectIssuer: props.konnectIssuer ?? this.cognitoUserPool?.issuer },
      this.stackName,
      idpType,
      environment,
    );

    this.encryptionKey = bridgeEncryptionKey(this, props.encryptionKey);
    this.konnectApiKey = this.createKonnectApiKeySecret(konnect.rotationDays !== undefined);
    // Cognito's credential is the function's role: no secret to fill in, read or rotate.
    this.idpCredentials =
      idpType === 'cognito' ? undefined : this.createOrImportIdpCredentialsSecret(props.idpCredentialsSecretArn);
    this.registrationTable = this.createRegistrationTable();
    this.bridge = this.createBridgeFunction(idpType, props);
    this.setBridgeEnvironment(environment);
    this.grantBridgeAccess(keepsClientRecords);
    if (idpType === 'cognito') this.grantCognitoAppClients(environment);
    this.api = this.createApi(props);
    this.waf = props.wafEnabled ? this.createWaf(props) : this.acknowledgeNoWaf();
    this.domain = this.createDomain(props);

    const metrics = new BridgeMetrics(idpType, BridgeAlarms.periodOf(props.alarmPeriodMinutes), this.serviceName);
    this.alarmTopic = alarmTopic(this, { ...props, encryptionKey: this.encryptionKey });
    this.alarms = new BridgeAlarms(this, 'Alarms', {
      ...props,
      stage: this.api.restApi.deploymentStage,
      lambdaFunction: this.bridge.lambdaFunction,
      timeout: this.bridge.timeout,
      metrics,
      topic: this.alarmTopic,
    });
    this.konnectProvider = konnect.tokenSecretArn ? this.connectKonnect(konnect, props) : undefined;
    this.konnectKeyRotation = konnect.rotationDays ? this.rotateKonnectKey(konnect, props) : undefined;
    new BridgeDashboard(this, 'Dashboard', {
      stage: this.api.restApi.deploymentStage,
      lambdaFunction: this.bridge.lambdaFunction,
      logGroup: this.bridge.logGroup,
      metrics,
      alarms: [...this.alarms.alarms, ...(this.konnectKeyRotation ? [this.konnectKeyRotation.errorsAlarm] : [])],
      period: this.alarms.period,
      timeout: this.bridge.timeout,
      idpErrorRatio: this.alarms.idpErrorRatio,
      idpErrorRatioAlarmPercent: props.idpErrorRatioAlarmPercent ?? 10,
    });
    new BridgeLogQueries(this, 'LogQueries', { logGroup: this.bridge.logGroup });
    this.createOutputs(keepsClientRecords, konnect);
  }

  /** The URL Konnect calls: the custom domain when there is one. */
  get dcrBaseUrl(): string {
    return this.domain?.baseUrl ?? this.api.baseUrl;
  }

  /**
   * The function's IdP settings. What the adapter would refuse at cold start is a synth warning
   * (the deploy still works, the bridge then answers 503 naming the setting).
   */
  private idpEnvironment(idpType: string, props: BridgeStackProps): Record<string, string> {
    const settings = props.idpSettings ?? {};
    assertDeployableSettings(settings);
    const environment: Record<string, string | undefined> = {
      ...this.cognitoUserPool?.settings,
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
    // Values CloudFormation fills in at deploy (the created pool's id and domain) are checked by shape.
    const checkable = Object.fromEntries(
      Object.entries(defined).map(([name, value]) => [
        name,
        Token.isUnresolved(value) ? (DEPLOY_TIME_SETTING_EXAMPLES[name] ?? value) : value,
      ]),
    );
    const problems = idpSettingsProblems(parseIdpType(idpType), checkable);
    if (problems) {
      Annotations.of(this).addWarningV2(
        'dcr-bridge:idpSettings',
        `The ${idpType} adapter would refuse these settings, and the bridge would answer 503: ${problems}. Pass them with -c idpSettings='{...}' (see docs/idps/).`,
      );
    }
    return defined;
  }

  /** The X-API-KEY Konnect sends; generated so its value never appears in the template. */
  private createKonnectApiKeySecret(rotated: boolean): ISecret {
    const secret = new Secret(this, 'KonnectApiKey', {
      description: 'X-API-KEY that Konnect sends to the DCR bridge; paste it into the Konnect DCR provider.',
      encryptionKey: this.encryptionKey,
      // Konnect accepts 12-256 characters of [A-Za-z0-9_]; 48 alphanumerics satisfy that.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    if (rotated) return secret;
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        'A scheduled rotation has to push each new key into the Konnect DCR provider, which needs a Konnect ' +
        'token stored next to the bridge (more privilege than the key it protects), so it is opt-in: ' +
        'konnectKeyRotationDays with konnectTokenSecretArn. Without it, `npm run rotate-key -- --konnect` or the ' +
        'documented two-phase procedure (old and new keys accepted, Konnect updated, old key dropped) rotates.',
    });
    return secret;
  }

  private createOrImportIdpCredentialsSecret(secretArn: string | undefined): ISecret {
    if (secretArn) {
      return Secret.fromSecretCompleteArn(this, 'IdpCredentials', secretArn);
    }
    const secret = new Secret(this, 'IdpCredentials', {
      description:
        'IdP credentials of the DCR bridge. Fill in after deploy as JSON with the fields your IdP adapter needs: ' +
        '{"client_id","client_secret","initial_access_token"}.',
      encryptionKey: this.encryptionKey,
      // A placeholder, not a secret: an empty JSON object rather than CDK's default generated
      // password, which is not JSON and would only confuse the operator filling it in.
      secretStringValue: SecretValue.unsafePlainText('{}'),
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SMG4',
      reason:
        "These are the bridge's credentials at the IdP (client secret, API token, initial access token): only the " +
        'IdP can issue new ones, so Secrets Manager cannot rotate them. The operator rotates them at the IdP and ' +
        'puts the new value; the bridge re-reads the secret after its cache TTL without a redeploy.',
    });
    return secret;
  }

  /** Always created: every adapter keeps the verification pointer there, some also their tokens. */
  private createRegistrationTable(): ITable {
    return new RegistrationTable(this, 'RegistrationTable', { encryptionKey: this.encryptionKey }).table;
  }

  /** The bundle holds only this deployment's adapter (and the X-Ray SDK only with tracingSubsegments). */
  private createBridgeFunction(idpType: IdpType, props: BridgeStackProps): BridgeFunction {
    return new BridgeFunction(this, 'Bridge', {
      idpType,
      serviceName: this.serviceName,
      idpTimeoutMs: props.idpTimeoutMs,
      memorySize: props.memorySize,
      logRetention: props.logRetentionDays,
      logLevel: props.logLevel,
      tracing: props.tracing,
      tracingSubsegments: props.tracingSubsegments,
      reservedConcurrency: props.reservedConcurrency,
      provisionedConcurrency: props.provisionedConcurrency,
      encryptionKey: this.encryptionKey,
    });
  }

  /** Unset optional settings stay out of the environment rather than arriving as "". */
  private setBridgeEnvironment(idpEnvironment: Record<string, string>): void {
    const environment: Record<string, string | undefined> = {
      ...idpEnvironment,
      KONNECT_API_KEY_SECRET_ARN: this.konnectApiKey.secretArn,
      IDP_CREDENTIALS_SECRET_ARN: this.idpCredentials?.secretArn,
      REGISTRATION_TABLE_NAME: this.registrationTable.tableName,
      // IDP_TIMEOUT_MS and the POWERTOOLS_* settings are set by BridgeFunction.
    };
    for (const [name, value] of Object.entries(environment)) {
      if (value !== undefined) this.bridge.lambdaFunction.addEnvironment(name, value);
    }
  }

  /**
   * The only grants the bridge has besides its log group and X-Ray (and Cognito's app clients):
   * read its secrets, item operations on the table (or only the verification pointer's update),
   * and the key that encrypts them.
   */
  private grantBridgeAccess(keepsClientRecords: boolean): void {
    const fn = this.bridge.lambdaFunction;
    this.konnectApiKey.grantRead(fn);
    this.idpCredentials?.grantRead(fn);
    if (this.encryptionKey) {
      // Secrets Manager decrypts the secrets with the key on the function's behalf, and only it
      // may. (grantRead covers the key only when the stack creates it, and then in the key
      // policy; an imported key needs this statement.)
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [this.encryptionKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${this.region}.${this.urlSuffix}` } },
        }),
      );
    }
    if (keepsClientRecords) {
      // Exactly the item operations DynamoDbRegistrationStore uses: no scans, queries or batches.
      // UpdateItem also moves the verification pointer.
      this.registrationTable.grant(
        fn,
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      );
    } else {
      // The table holds only the verification pointer, which one UpdateItem swaps (returning the
      // previous value): that call on that one item is all this adapter's bridge may do.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:UpdateItem'],
          resources: [this.registrationTable.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [VERIFICATION_RECORD_KEY] } },
        }),
      );
    }
    if (this.encryptionKey) {
      // Table.grant adds no key permissions for a custom action list; DynamoDB uses the
      // key on the caller's behalf to read and write items.
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [this.encryptionKey.keyArn],
        }),
      );
    }
  }

  /** A machine-to-machine user pool with a domain and one resource server (`cognitoUserPool=create`). */
  private createCognitoUserPool(props: BridgeStackProps): CognitoUserPool {
    return new CognitoUserPool(this, 'Cognito', {
      domainPrefix: props.cognitoDomainPrefix,
      resourceServerId: props.cognitoResourceServer,
      scopes: props.cognitoScopes,
    });
  }

  /**
   * The Cognito adapter's credential: the app-client and client-secret actions on one user pool,
   * the created one or IDP_COGNITO_USER_POOL_ID's (describe and update in code mode only). Nothing
   * on users, the pool itself or other pools.
   */
  private grantCognitoAppClients(environment: Record<string, string>): void {
    const poolArn = this.cognitoUserPool?.userPool.userPoolArn ?? existingUserPoolArn(this, environment);
    this.bridge.lambdaFunction.addToRolePolicy(
      new PolicyStatement({ actions: cognitoActionsFor(environment), resources: [poolArn] }),
    );
  }

  private createApi(props: BridgeStackProps): BridgeApi {
    return new BridgeApi(this, 'Api', {
      handler: this.bridge.invocationTarget,
      logRetention: props.logRetentionDays,
      encryptionKey: this.encryptionKey,
      tracing: props.tracing,
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
      cloudWatchRole: props.apiGatewayCloudWatchRole,
      allowedSourceCidrs: props.allowedSourceCidrs,
      // Behind a custom domain the stage URL would be a second way in that Konnect never uses
      // (and that changes when the API is replaced): only the domain answers.
      disableExecuteApiEndpoint: Boolean(props.domainName),
    });
  }

  private createWaf(props: BridgeStackProps): BridgeWaf {
    return new BridgeWaf(this, 'Waf', {
      stage: this.api.restApi.deploymentStage,
      rateLimit: props.wafRateLimit,
      allowedSourceCidrs: props.allowedSourceCidrs,
    });
  }

  private acknowledgeNoWaf(): undefined {
    Validations.of(this.api.restApi.deploymentStage).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG3',
      reason:
        'WAF is opt-in (wafEnabled) because a web ACL costs a monthly fee per ACL and rule while Konnect calls the ' +
        'bridge once per application change. Without it the stage throttle bounds the rate, allowedSourceCidrs ' +
        'restricts sources with a free resource policy, API Gateway refuses requests without an X-API-KEY, and ' +
        'the bridge checks the key and bounds every field before anything reaches the IdP.',
    });
    return undefined;
  }

  private createDomain(props: BridgeStackProps): BridgeDomain | undefined {
    if (!props.domainName || !props.certificateArn) return undefined;
    return new BridgeDomain(this, 'Domain', {
      domainName: props.domainName,
      certificateArn: props.certificateArn,
      restApi: this.api.restApi,
      stage: this.api.restApi.deploymentStage,
    });
  }

  /**
   * The Konnect DCR provider, created or updated and verified at every deploy that changes it;
   * after everything Konnect's verify goes through (stage, bridge and grants, domain, WAF).
   */
  private connectKonnect(konnect: KonnectSettings, props: BridgeStackProps): KonnectProvider {
    if (this.domain) {
      Annotations.of(this).addWarningV2(
        'dcr-bridge:konnectDomain',
        `Konnect verifies the provider through ${this.domain.baseUrl} during this deploy: its DNS record must already point at the CustomDomainTarget output, or the deploy fails and rolls back. On a first deploy, deploy without konnectTokenSecretArn, create the record, then deploy with it.`,
      );
    }
    return new KonnectProvider(this, 'KonnectProvider', {
      apiUrl: konnect.apiUrl as string,
      tokenSecretArn: konnect.tokenSecretArn as string,
      keySecret: this.konnectApiKey,
      encryptionKey: this.encryptionKey,
      providerName: konnect.providerName,
      dcrBaseUrl: this.dcrBaseUrl,
      issuer: konnect.issuer as string,
      disableRefreshSecret: konnect.disableRefreshSecret,
      removeOnDelete: konnect.removeOnDelete,
      stackLabel: stackLabel(this.stackName),
      owner: stackUuid(),
      adopt: konnect.adoptProvider,
      serviceName: this.serviceName,
      logRetention: props.logRetentionDays,
      dependsOn: [this.api, this.bridge, ...(this.domain ? [this.domain] : []), ...(this.waf ? [this.waf] : [])],
    });
  }

  /** Secrets Manager rotates the key on a schedule, once the provider exists in Konnect. */
  private rotateKonnectKey(konnect: KonnectSettings, props: BridgeStackProps): KonnectKeyRotation {
    return new KonnectKeyRotation(this, 'KonnectKeyRotation', {
      keySecret: this.konnectApiKey,
      encryptionKey: this.encryptionKey,
      tokenSecretArn: konnect.tokenSecretArn as string,
      apiUrl: konnect.apiUrl as string,
      providerName: konnect.providerName,
      owner: stackUuid(),
      rotationDays: konnect.rotationDays as number,
      serviceName: this.serviceName,
      alarmPeriod: this.alarms.period,
      topic: this.alarmTopic,
      dependsOn: this.konnectProvider ? [this.konnectProvider] : [],
      logRetention: props.logRetentionDays,
    });
  }

  private createOutputs(keepsClientRecords: boolean, konnect: KonnectSettings): void {
    new CfnOutput(this, 'DcrBaseUrl', {
      description: 'DCR provider base URL to paste into Konnect',
      value: this.dcrBaseUrl,
    });
    new CfnOutput(this, 'ConnectKonnectCommand', {
      description:
        'Creates or updates the Konnect DCR provider and has Konnect verify the bridge; run with KONNECT_TOKEN set ' +
        'to a Konnect personal or system account token (replace any <placeholder>)',
      value: connectKonnectCommand(konnect, {
        dcrBaseUrl: this.dcrBaseUrl,
        keySecretArn: this.konnectApiKey.secretArn,
        awsRegion: this.region,
        stackLabel: stackLabel(this.stackName),
        owner: stackUuid(),
      }),
    });
    if (this.konnectProvider) {
      new CfnOutput(this, 'KonnectDcrProviderId', {
        description: `Id of the Konnect DCR provider "${konnect.providerName}" the stack connected and Konnect verified`,
        value: this.konnectProvider.providerId,
      });
    }
    if (this.domain) {
      new CfnOutput(this, 'CustomDomainTarget', {
        description: 'Point a CNAME (or a Route 53 alias) for the custom domain at this regional host name',
        value: this.domain.domain.domainNameAliasDomainName,
      });
      new CfnOutput(this, 'CustomDomainHostedZoneId', {
        description: 'Hosted zone id of CustomDomainTarget, for a Route 53 alias record',
        value: this.domain.domain.domainNameAliasHostedZoneId,
      });
    }
    new CfnOutput(this, 'KonnectApiKeySecretArn', {
      description: 'Secret holding the X-API-KEY for Konnect (read it with get-secret-value)',
      value: this.konnectApiKey.secretArn,
    });
    if (this.idpCredentials) {
      new CfnOutput(this, 'IdpCredentialsSecretArn', {
        description: 'Secret holding the IdP credentials of the bridge',
        value: this.idpCredentials.secretArn,
      });
    }
    if (this.cognitoUserPool) {
      new CfnOutput(this, 'CognitoIssuer', {
        description:
          "Issuer of the created user pool's access tokens: the Konnect auth strategy's issuer (credential claim client_id)",
        value: this.cognitoUserPool.issuer,
      });
      new CfnOutput(this, 'CognitoTokenEndpoint', {
        description:
          "The created user pool's token endpoint, where Konnect applications get access tokens (client credentials)",
        value: this.cognitoUserPool.tokenEndpoint,
      });
    }
    new CfnOutput(this, 'RegistrationTableName', {
      description: keepsClientRecords
        ? `DynamoDB table of the bridge's client records (RFC 7592 registration access tokens, or which clients it created), and of the item ${VERIFICATION_RECORD_KEY}: the client of Konnect's latest Verify, which the bridge removes from the IdP at the next Verify`
        : `DynamoDB table of one item, ${VERIFICATION_RECORD_KEY}: the client of Konnect's latest Verify, which the bridge removes from the IdP at the next Verify`,
      value: this.registrationTable.tableName,
    });
    new CfnOutput(this, 'DashboardName', {
      description: 'CloudWatch dashboard of the bridge',
      value: this.stackName,
    });
    new CfnOutput(this, 'BridgeLogGroupName', {
      description: "The bridge's log group (one JSON line per request; saved Logs Insights queries use it)",
      value: this.bridge.logGroup.logGroupName,
    });
    if (this.alarmTopic) {
      new CfnOutput(this, 'AlarmTopicArn', {
        description: 'SNS topic the alarms notify (ALARM and OK)',
        value: this.alarmTopic.topicArn,
      });
    }
  }
}

/** Options that only make sense together fail the synth instead of being silently ignored. */
function assertConsistentProps(props: BridgeStackProps): void {
  if (Boolean(props.domainName) !== Boolean(props.certificateArn)) {
    throw new Error('domainName and certificateArn go together: set both for a custom domain, or neither');
  }
  if (props.wafRateLimit !== undefined && !props.wafEnabled) {
    throw new Error('wafRateLimit is a WAF rule: set wafEnabled as well');
  }
  const { reservedConcurrency, provisionedConcurrency } = props;
  if (reservedConcurrency !== undefined && (!Number.isInteger(reservedConcurrency) || reservedConcurrency < 1)) {
    throw new Error(`reservedConcurrency must be a positive integer, got ${reservedConcurrency}`);
  }
  if (reservedConcurrency !== undefined && (provisionedConcurrency ?? 0) > reservedConcurrency) {
    throw new Error(
      `provisionedConcurrency (${provisionedConcurrency}) cannot exceed reservedConcurrency (${reservedConcurrency})`,
    );
  }
  for (const [name, value] of [
    ['throttlingRateLimit', props.throttlingRateLimit],
    ['throttlingBurstLimit', props.throttlingBurstLimit],
  ] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value <= 0)) {
      throw new Error(`${name} must be a positive number, got ${value}`);
    }
  }
}
