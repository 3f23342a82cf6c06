import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import {
  KeyConfigurationError,
  type KonnectKeySource,
  SecretsManagerKeySource,
  StaticKeySource,
} from '../auth/konnect-key-source';
import { KonnectKeyVerifier } from '../auth/konnect-key-verifier';
import { serviceUnavailable } from '../commons/bridge-error';
import { createIdpAdapter } from '../idp/create-idp-adapter';
import type { IdpCredentials } from '../idp/generic/registration-token';
import type { IdpAdapter } from '../idp/idp-adapter';
import { DynamoDbRegistrationStore } from '../store/dynamodb-registration-store';
import { MemoryRegistrationStore } from '../store/memory-registration-store';
import type { RegistrationStore } from '../store/registration-store';
import { type BridgeConfig, ConfigurationError, readBridgeConfig } from './bridge-config';

/** What the routes need, built once per container from the environment. */
export interface BridgeDependencies {
  adapter: IdpAdapter;
  keyVerifier: KonnectKeyVerifier;
  /** The whole IdP work of one request must finish within this. */
  idpTimeoutMs: number;
}

const idpCredentialsSecret = z.object({
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
  initial_access_token: z.string().optional(),
});

export function loadBridgeDependencies(env: NodeJS.ProcessEnv = process.env): BridgeDependencies {
  const config = readBridgeConfig(env);
  const secrets = new SecretsProvider({ awsSdkV3Client: new SecretsManagerClient({}) });
  const adapter = createIdpAdapter(config, {
    store: registrationStore(config, env),
    credentials: idpCredentials(config, secrets),
  });
  const keyVerifier = new KonnectKeyVerifier(konnectKeySource(config, secrets), {
    minRefreshIntervalMs: config.KEY_REFRESH_MIN_INTERVAL_SECONDS * 1000,
  });
  return { adapter, keyVerifier, idpTimeoutMs: config.IDP_TIMEOUT_MS };
}

function konnectKeySource(config: BridgeConfig, secrets: SecretsProvider): KonnectKeySource {
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

function registrationStore(config: BridgeConfig, env: NodeJS.ProcessEnv): RegistrationStore {
  if (config.REGISTRATION_TABLE_NAME) return new DynamoDbRegistrationStore(config.REGISTRATION_TABLE_NAME);
  // Lambda containers come and go: tokens kept in memory would be lost with them.
  if (env.AWS_LAMBDA_FUNCTION_NAME) {
    throw new ConfigurationError('The bridge is misconfigured: REGISTRATION_TABLE_NAME is required on AWS Lambda.');
  }
  return new MemoryRegistrationStore();
}

function idpCredentials(config: BridgeConfig, secrets: SecretsProvider): () => Promise<IdpCredentials> {
  const secretArn = config.IDP_CREDENTIALS_SECRET_ARN;
  if (!secretArn) {
    const fromEnv: IdpCredentials = {
      clientId: config.IDP_CLIENT_ID,
      clientSecret: config.IDP_CLIENT_SECRET,
      initialAccessToken: config.IDP_INITIAL_ACCESS_TOKEN,
    };
    return async () => fromEnv;
  }
  // Re-read after the cache TTL, so changed IdP credentials apply without a redeploy.
  return async () => {
    const value = await secrets
      .get(secretArn, { maxAge: config.IDP_CREDENTIALS_CACHE_TTL_SECONDS })
      .catch((error: unknown) => {
        throw serviceUnavailable('The bridge cannot read its IdP credentials secret.', error);
      });
    const parsed = idpCredentialsSecret.safeParse(typeof value === 'string' ? safeJson(value) : undefined);
    if (!parsed.success) {
      throw new ConfigurationError(
        'The IdP credentials secret must be a JSON object (client_id, client_secret, initial_access_token).',
      );
    }
    return {
      clientId: parsed.data.client_id,
      clientSecret: parsed.data.client_secret,
      initialAccessToken: parsed.data.initial_access_token,
    };
  };
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}
