import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  KeyConfigurationError,
  type KonnectKeySource,
  SecretReadTimeoutError,
  SecretsManagerKeySource,
  StaticKeySource,
  withinTime,
} from '../auth/konnect-key-source';
import { KonnectKeyVerifier } from '../auth/konnect-key-verifier';
import { serviceUnavailable } from '../commons/bridge-error';
import { ConfigurationError } from '../commons/configuration-error';
import { parseJsonOrUndefined } from '../commons/parse-json';
import { tracer } from '../commons/tracer';
import { createIdpAdapter } from '../idp/create-idp-adapter';
import { type IdpAdapter, remainingCallMs } from '../idp/idp-adapter';
import { type IdpCredentials, idpCredentialsFromEnv, idpCredentialsSecret } from '../idp/idp-credentials';
import { DynamoDbRegistrationStore } from '../store/dynamodb-registration-store';
import { fileRegistrationStore } from '../store/file-registration-store';
import { MemoryRegistrationStore } from '../store/memory-registration-store';
import type { RegistrationStore } from '../store/registration-store';
import type { VerificationLedger } from '../store/verification-ledger';
import { type BridgeConfig, type KeySettings, readBridgeConfig, readKeySettings } from './bridge-config';

/** A secret read outside any request's budget (none happens today) still ends. */
const SECRET_READ_FALLBACK_MS = 5000;

/** What the routes need, built once per container from the environment. */
export interface BridgeDependencies {
  adapter: IdpAdapter;
  keyVerifier: KonnectKeyVerifier;
  /** The whole IdP work of one request must finish within this. */
  idpTimeoutMs: number;
  /** Where Konnect's latest verification client is remembered (the registration store); absent in unit tests. */
  verificationLedger?: VerificationLedger;
}

/**
 * Settings past the key check are wrong: only callers with an accepted key are told which (503);
 * the others get the usual 401, so nobody without a key learns the IdP type or setting names.
 */
export interface MisconfiguredBridge {
  keyVerifier: KonnectKeyVerifier;
  misconfiguration: ConfigurationError;
}

/** What the handler loads: the dependencies, or only the key check when the rest is misconfigured. */
export type LoadedBridge = BridgeDependencies | MisconfiguredBridge;

export const isMisconfigured = (loaded: LoadedBridge): loaded is MisconfiguredBridge => 'misconfiguration' in loaded;

/**
 * The handler's loader. Throws ConfigurationError only when the key settings themselves are
 * wrong (then no caller can be authenticated); other wrong settings make a MisconfiguredBridge.
 */
export function loadBridge(env: NodeJS.ProcessEnv = process.env): LoadedBridge {
  // SDK calls appear in X-Ray as their own subsegments (operation names only, no secret values).
  const secrets = new SecretsProvider({ awsSdkV3Client: tracer.captureAWSv3Client(new SecretsManagerClient({})) });
  const keySettings = readKeySettings(env);
  const keyVerifier = new KonnectKeyVerifier(konnectKeySource(keySettings, secrets), {
    minRefreshIntervalMs: keySettings.KEY_REFRESH_MIN_INTERVAL_SECONDS * 1000,
  });
  try {
    return { ...idpDependencies(readBridgeConfig(env), secrets, env), keyVerifier };
  } catch (error) {
    if (error instanceof ConfigurationError) return { keyVerifier, misconfiguration: error };
    throw error;
  }
}

/** Everything at once; throws ConfigurationError for any wrong setting (tools and tests). */
export function loadBridgeDependencies(env: NodeJS.ProcessEnv = process.env): BridgeDependencies {
  const loaded = loadBridge(env);
  if (isMisconfigured(loaded)) throw loaded.misconfiguration;
  return loaded;
}

function idpDependencies(
  config: BridgeConfig,
  secrets: SecretsProvider,
  env: NodeJS.ProcessEnv,
): Omit<BridgeDependencies, 'keyVerifier'> {
  // Built on first use (only some adapters and Konnect's Verify need it), then shared.
  let store: (RegistrationStore & VerificationLedger) | undefined;
  const sharedStore = () => {
    store ??= registrationStore(config, env);
    return store;
  };
  const adapter = createIdpAdapter(
    { idpType: config.IDP_TYPE, callTimeoutMs: config.IDP_TIMEOUT_MS, env },
    { store: sharedStore, credentials: idpCredentials(config, secrets, env) },
  );
  const verificationLedger: VerificationLedger = {
    replaceVerificationClient: (clientId) => sharedStore().replaceVerificationClient(clientId),
  };
  return { adapter, idpTimeoutMs: config.IDP_TIMEOUT_MS, verificationLedger };
}

function konnectKeySource(config: KeySettings, secrets: SecretsProvider): KonnectKeySource {
  if (config.KONNECT_API_KEY_SECRET_ARN) {
    return new SecretsManagerKeySource(secrets, config.KONNECT_API_KEY_SECRET_ARN, config.KEY_CACHE_TTL_SECONDS);
  }
  const keys = (config.KONNECT_API_KEYS ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
  try {
    return new StaticKeySource(keys);
  } catch (error) {
    // Names the setting (the contract's 503), never its value: KeyConfigurationError carries none.
    if (error instanceof KeyConfigurationError) {
      throw new ConfigurationError(`The bridge is misconfigured: KONNECT_API_KEYS: ${error.message}.`);
    }
    throw error;
  }
}

function registrationStore(config: BridgeConfig, env: NodeJS.ProcessEnv): RegistrationStore & VerificationLedger {
  if (config.REGISTRATION_TABLE_NAME) {
    // Every call ends with the request's budget (remainingCallMs), not whenever DynamoDB answers.
    return new DynamoDbRegistrationStore(
      config.REGISTRATION_TABLE_NAME,
      // Built, and its SDK module loaded, on the first table call: most adapters' creates make none.
      async () => tracer.captureAWSv3Client(new (await import('@aws-sdk/client-dynamodb')).DynamoDBClient({})),
      { callTimeoutMs: remainingCallMs },
    );
  }
  // Lambda containers come and go: tokens kept in memory would be lost with them.
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new ConfigurationError('The bridge is misconfigured: REGISTRATION_TABLE_NAME is required on AWS Lambda.');
  }
  if (config.REGISTRATION_STORE_FILE) return fileRegistrationStore(config.REGISTRATION_STORE_FILE);
  return new MemoryRegistrationStore();
}

function idpCredentials(
  config: BridgeConfig,
  secrets: SecretsProvider,
  env: NodeJS.ProcessEnv,
): () => Promise<IdpCredentials> {
  const secretArn = config.IDP_CREDENTIALS_SECRET_ARN;
  if (!secretArn) {
    const fromEnv = idpCredentialsFromEnv(env);
    return async () => fromEnv;
  }
  // Re-read after the cache TTL, so changed IdP credentials apply without a redeploy.
  // Within the request's budget: the SDK would wait for Secrets Manager indefinitely.
  return async () => {
    const value = await withinTime(
      secrets.get(secretArn, { maxAge: config.IDP_CREDENTIALS_CACHE_TTL_SECONDS }),
      remainingCallMs() ?? SECRET_READ_FALLBACK_MS,
      () => new SecretReadTimeoutError('the IdP credentials secret'),
    ).catch((error: unknown) => {
      throw serviceUnavailable('The bridge cannot read its IdP credentials secret.', error);
    });
    const parsed = idpCredentialsSecret.safeParse(typeof value === 'string' ? parseJsonOrUndefined(value) : undefined);
    if (!parsed.success) {
      throw new ConfigurationError(
        'The IdP credentials secret must be a JSON object (client_id, client_secret, initial_access_token, api_token, private_key).',
      );
    }
    return parsed.data;
  };
}
