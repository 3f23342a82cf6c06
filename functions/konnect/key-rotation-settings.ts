import { konnectApiUrl } from './konnect-regions';
import { isOwnerValue } from './provider-owner';
import { DEFAULT_ACCEPT_DELAY_MS, type ProviderRef } from './rotate-with-konnect';

export interface KeyRotationSettings {
  tokenSecretArn: string;
  apiUrl: string;
  provider: ProviderRef;
  /** The stack's UUID; the provider's dcr-bridge-owner label must be it. */
  owner?: string;
  acceptDelayMs: number;
}

export class KeyRotationSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRotationSettingsError';
  }
}

/**
 * The rotation Lambda's environment: KONNECT_TOKEN_SECRET_ARN, KONNECT_API_URL (a region or a
 * URL), KONNECT_PROVIDER_NAME (or KONNECT_PROVIDER_ID), KONNECT_PROVIDER_OWNER (the stack's UUID:
 * a provider with another dcr-bridge-owner label is left alone), ACCEPT_DELAY_MS (the bridge's
 * KEY_REFRESH_MIN_INTERVAL_SECONDS plus a margin, in ms; 11000 by default).
 */
export function readKeyRotationSettings(env: NodeJS.ProcessEnv): KeyRotationSettings {
  const problems: string[] = [];
  const setting = (name: string) => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const tokenSecretArn = setting('KONNECT_TOKEN_SECRET_ARN');
  if (!tokenSecretArn) problems.push('KONNECT_TOKEN_SECRET_ARN is required');
  let apiUrl = '';
  try {
    apiUrl = konnectApiUrl(setting('KONNECT_API_URL') ?? '');
  } catch (error) {
    problems.push(`KONNECT_API_URL: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  const id = setting('KONNECT_PROVIDER_ID');
  const name = setting('KONNECT_PROVIDER_NAME');
  if (!id && !name) problems.push('KONNECT_PROVIDER_NAME (or KONNECT_PROVIDER_ID) is required');
  const owner = setting('KONNECT_PROVIDER_OWNER');
  if (owner !== undefined && !isOwnerValue(owner))
    problems.push('KONNECT_PROVIDER_OWNER must be a Konnect label value');
  const delay = setting('ACCEPT_DELAY_MS');
  const acceptDelayMs = delay === undefined ? DEFAULT_ACCEPT_DELAY_MS : Number(delay);
  if (!Number.isInteger(acceptDelayMs) || acceptDelayMs < 0 || acceptDelayMs > 600_000) {
    problems.push('ACCEPT_DELAY_MS must be a whole number of milliseconds, 0 to 600000');
  }
  if (problems.length > 0) throw new KeyRotationSettingsError(`Konnect key rotation: ${problems.join('; ')}.`);
  return {
    tokenSecretArn: tokenSecretArn as string,
    apiUrl,
    provider: id ? { id } : { name: name as string },
    ...(owner ? { owner } : {}),
    acceptDelayMs,
  };
}
