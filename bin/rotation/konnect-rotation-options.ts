import { konnectApiUrl } from '../../functions/konnect/konnect-regions';
import { KonnectTokenError, parseKonnectToken } from '../../functions/konnect/konnect-token';
import { isOwnerValue } from '../../functions/konnect/provider-owner';
import type { ProviderRef } from '../../functions/konnect/rotate-with-konnect';
import type { RotationArgValues } from './rotation-options';
import { RotationUsageError } from './rotation-usage-error';

export interface KonnectRotationOptions {
  secretId: string;
  konnect: true;
  /** Konnect's API base, e.g. https://eu.api.konghq.com/v2. */
  konnectUrl: string;
  provider: ProviderRef;
  /** The stack's UUID: a provider whose dcr-bridge-owner label differs is refused. */
  owner?: string;
  /** Where the Konnect token is when KONNECT_TOKEN is unset. */
  tokenSecretId?: string;
  acceptDelayMs?: number;
  region?: string;
}

/** `--konnect` mode; the token itself is never an option (it would sit in the shell history). */
export function konnectRotationOptions(
  secretId: string,
  region: string | undefined,
  values: RotationArgValues,
  env: NodeJS.ProcessEnv,
): KonnectRotationOptions {
  if (values.phase !== undefined) {
    throw new RotationUsageError('--phase does not go with --konnect: --konnect runs every step itself');
  }
  const konnectUrl = oneOf(values, 'konnect-region', 'konnect-url');
  const providerName = values['provider-name']?.trim();
  const providerId = values['provider-id']?.trim();
  if (Boolean(providerName) === Boolean(providerId)) {
    throw new RotationUsageError('--konnect needs exactly one of --provider-name and --provider-id');
  }
  const tokenSecretId = values['token-secret-id']?.trim() || undefined;
  if (!tokenSecretId && !env.KONNECT_TOKEN?.trim()) {
    throw new RotationUsageError(
      '--konnect needs the Konnect token: set KONNECT_TOKEN or pass --token-secret-id <arn>',
    );
  }
  if (!tokenSecretId) {
    try {
      parseKonnectToken(env.KONNECT_TOKEN);
    } catch (error) {
      if (error instanceof KonnectTokenError) throw new RotationUsageError(`KONNECT_TOKEN: ${error.message}`);
      throw error;
    }
  }
  const owner = values.owner?.trim() || undefined;
  if (owner !== undefined && !isOwnerValue(owner)) {
    throw new RotationUsageError('--owner must be the stack UUID (letters, digits, "-", at most 63 characters)');
  }
  let acceptDelayMs: number | undefined;
  if (values['accept-delay-ms'] !== undefined) {
    acceptDelayMs = Number(values['accept-delay-ms']);
    if (!/^\d+$/.test(values['accept-delay-ms'].trim()) || acceptDelayMs > 600_000) {
      throw new RotationUsageError('--accept-delay-ms must be a whole number of milliseconds, 0 to 600000');
    }
  }
  let url: string;
  try {
    url = konnectApiUrl(konnectUrl);
  } catch (error) {
    throw new RotationUsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    secretId,
    konnect: true,
    konnectUrl: url,
    provider: providerId ? { id: providerId } : { name: providerName as string },
    ...(owner ? { owner } : {}),
    tokenSecretId,
    acceptDelayMs,
    region,
  };
}

function oneOf(values: RotationArgValues, first: 'konnect-region', second: 'konnect-url'): string {
  const a = values[first]?.trim();
  const b = values[second]?.trim();
  if (Boolean(a) === Boolean(b))
    throw new RotationUsageError(`--konnect needs exactly one of --${first} and --${second}`);
  return (a ?? b) as string;
}
