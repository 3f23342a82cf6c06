import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { isKonnectRegion, KONNECT_REGIONS, type KonnectRegion } from '../functions/konnect/konnect-regions';
import { MAX_IDP_TIMEOUT_MS, MIN_IDP_TIMEOUT_MS } from './bridge-function';
import type { BridgeLogLevel, BridgeStackProps, IdpSecretRotation, KonnectProviderRemoval } from './bridge-stack-props';
import { optionalBoolean, optionalNumber, optionalString, optionalStringList } from './context-values';

const SECRET_ROTATIONS: readonly IdpSecretRotation[] = ['none', 'read', 'update'];
const LOG_LEVELS: readonly BridgeLogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'];
const PROVIDER_REMOVALS: readonly KonnectProviderRemoval[] = ['retain', 'destroy'];
const RETENTION_DAYS = new Set<number>(Object.values(RetentionDays).filter((v) => typeof v === 'number'));

/**
 * Reads the bridge's settings from CDK context (keys documented on BridgeStackProps, one key
 * per prop, same name). Anything unusable fails the synth instead of the first request.
 */
export function bridgeStackPropsFromContext(node: Node): BridgeStackProps {
  return {
    idpType: optionalString(node, 'idpType'),
    idpSettings: optionalSettings(node),
    idpIssuer: optionalString(node, 'idpIssuer'),
    idpRegistrationEndpoint: optionalString(node, 'idpRegistrationEndpoint'),
    idpTokenEndpoint: optionalString(node, 'idpTokenEndpoint'),
    idpInitialTokenScope: optionalString(node, 'idpInitialTokenScope'),
    idpSecretRotation: optionalSecretRotation(node),
    idpCredentialsSecretArn: optionalString(node, 'idpCredentialsSecretArn'),
    idpTimeoutMs: optionalIdpTimeoutMs(node),
    logRetentionDays: optionalRetentionDays(node),
    logLevel: optionalLogLevel(node),
    tracing: optionalBoolean(node, 'tracing'),
    tracingSubsegments: optionalBoolean(node, 'tracingSubsegments'),
    reservedConcurrency: optionalNumber(node, 'reservedConcurrency'),
    provisionedConcurrency: optionalNumber(node, 'provisionedConcurrency'),
    memorySize: optionalNumber(node, 'memorySize'),
    throttlingRateLimit: optionalNumber(node, 'throttlingRateLimit', { integer: false }),
    throttlingBurstLimit: optionalNumber(node, 'throttlingBurstLimit'),
    wafEnabled: optionalBoolean(node, 'wafEnabled'),
    wafRateLimit: optionalNumber(node, 'wafRateLimit'),
    allowedSourceCidrs: optionalStringList(node, 'allowedSourceCidrs'),
    domainName: optionalString(node, 'domainName'),
    certificateArn: optionalString(node, 'certificateArn'),
    encryptionKey: optionalString(node, 'encryptionKey'),
    alarmEmail: optionalString(node, 'alarmEmail'),
    alarmTopicArn: optionalString(node, 'alarmTopicArn'),
    alarmPeriodMinutes: optionalNumber(node, 'alarmPeriodMinutes'),
    serverErrorAlarmThreshold: optionalNumber(node, 'serverErrorAlarmThreshold'),
    idpErrorRatioAlarmPercent: optionalNumber(node, 'idpErrorRatioAlarmPercent', { integer: false }),
    idpErrorRatioAlarmMinimumRequests: optionalNumber(node, 'idpErrorRatioAlarmMinimumRequests'),
    authFailureAlarmThreshold: optionalNumber(node, 'authFailureAlarmThreshold'),
    lambdaErrorAlarmThreshold: optionalNumber(node, 'lambdaErrorAlarmThreshold'),
    throttleAlarmThreshold: optionalNumber(node, 'throttleAlarmThreshold'),
    durationAlarmPercentOfTimeout: optionalNumber(node, 'durationAlarmPercentOfTimeout', { integer: false }),
    konnectRegion: optionalKonnectRegion(node),
    konnectApiUrl: optionalString(node, 'konnectApiUrl'),
    konnectTokenSecretArn: optionalString(node, 'konnectTokenSecretArn'),
    konnectProviderName: optionalString(node, 'konnectProviderName'),
    konnectIssuer: optionalString(node, 'konnectIssuer'),
    konnectProviderRemoval: optionalProviderRemoval(node),
    konnectAdoptProvider: optionalBoolean(node, 'konnectAdoptProvider'),
    konnectKeyRotationDays: optionalNumber(node, 'konnectKeyRotationDays'),
    cognitoUserPool: optionalCognitoUserPool(node),
    cognitoDomainPrefix: optionalString(node, 'cognitoDomainPrefix'),
    cognitoResourceServer: optionalString(node, 'cognitoResourceServer'),
    cognitoScopes: optionalStringList(node, 'cognitoScopes'),
    apiGatewayCloudWatchRole: optionalBoolean(node, 'apiGatewayCloudWatchRole'),
  };
}

function optionalLogLevel(node: Node): BridgeLogLevel | undefined {
  const value = optionalString(node, 'logLevel')?.toUpperCase();
  if (value !== undefined && !LOG_LEVELS.includes(value as BridgeLogLevel)) {
    throw new Error(`context logLevel must be one of ${LOG_LEVELS.join(', ')}, got ${value}`);
  }
  return value as BridgeLogLevel | undefined;
}

/** Checked here too (BridgeFunction checks props) so the message names the context key. */
function optionalIdpTimeoutMs(node: Node): number | undefined {
  const value = optionalNumber(node, 'idpTimeoutMs');
  if (value !== undefined && (value < MIN_IDP_TIMEOUT_MS || value > MAX_IDP_TIMEOUT_MS)) {
    throw new Error(
      `context idpTimeoutMs must be between ${MIN_IDP_TIMEOUT_MS} and ${MAX_IDP_TIMEOUT_MS}, got ${value}`,
    );
  }
  return value;
}

function optionalRetentionDays(node: Node): RetentionDays | undefined {
  const value = optionalNumber(node, 'logRetentionDays');
  if (value !== undefined && !RETENTION_DAYS.has(value)) {
    throw new Error(`context logRetentionDays must be a CloudWatch Logs retention (e.g. 7, 30, 90), got ${value}`);
  }
  return value;
}

function optionalKonnectRegion(node: Node): KonnectRegion | undefined {
  const value = optionalString(node, 'konnectRegion');
  if (value !== undefined && !isKonnectRegion(value)) {
    throw new Error(`context konnectRegion must be one of ${KONNECT_REGIONS.join(', ')}, got ${value}`);
  }
  return value;
}

function optionalProviderRemoval(node: Node): KonnectProviderRemoval | undefined {
  const value = optionalString(node, 'konnectProviderRemoval');
  if (value !== undefined && !PROVIDER_REMOVALS.includes(value as KonnectProviderRemoval)) {
    throw new Error(`context konnectProviderRemoval must be one of ${PROVIDER_REMOVALS.join(', ')}, got ${value}`);
  }
  return value as KonnectProviderRemoval | undefined;
}

function optionalCognitoUserPool(node: Node): 'create' | undefined {
  const value = optionalString(node, 'cognitoUserPool');
  if (value !== undefined && value !== 'create') {
    throw new Error(`context cognitoUserPool must be create (or unset for an existing pool), got ${value}`);
  }
  return value;
}

function optionalSecretRotation(node: Node): IdpSecretRotation | undefined {
  const value = optionalString(node, 'idpSecretRotation');
  if (value !== undefined && !SECRET_ROTATIONS.includes(value as IdpSecretRotation)) {
    throw new Error(`context idpSecretRotation must be one of ${SECRET_ROTATIONS.join(', ')}, got ${value}`);
  }
  return value as IdpSecretRotation | undefined;
}

/** `-c idpSettings='{"IDP_X":"..."}'` arrives as a string, cdk.json gives an object. */
function optionalSettings(node: Node): Record<string, string> | undefined {
  const value: unknown = node.tryGetContext('idpSettings');
  if (value === undefined || value === '') return undefined;
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new Error('context idpSettings must be a JSON object of IDP_* settings');
    }
  }
  const isStringRecord =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((item) => typeof item === 'string');
  if (!isStringRecord) throw new Error('context idpSettings must be a JSON object of string values');
  return parsed as Record<string, string>;
}
