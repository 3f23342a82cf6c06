import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { konnectApiUrl } from '../../functions/konnect/konnect-regions';
import { parseKonnectToken, readKonnectToken } from '../../functions/konnect/konnect-token';

/**
 * Where a command finds Konnect: the API base (--konnect-region or --konnect-url) and the token
 * (KONNECT_TOKEN, or --token-secret-id). The token is never a flag value: it would land in shell
 * history and process listings.
 */
export interface KonnectAccess {
  apiUrl: string;
  token: { fromEnv: string } | { secretId: string };
}

export class KonnectAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KonnectAccessError';
  }
}

export const KONNECT_ACCESS_USAGE = `  --konnect-region <us|eu|au|me|in|sg>   Konnect region of the organization, or
  --konnect-url <url>                    the API base URL (https), e.g. https://eu.api.konghq.com/v2
  --token-secret-id <arn>                Secrets Manager secret holding the Konnect token (plain or {"token": "..."});
                                         default: the KONNECT_TOKEN environment variable`;

/** From parsed flags and the environment; throws KonnectAccessError on a usage problem. */
export function konnectAccess(
  values: { 'konnect-region'?: string; 'konnect-url'?: string; 'token-secret-id'?: string },
  env: NodeJS.ProcessEnv,
): KonnectAccess {
  const region = values['konnect-region']?.trim();
  const url = values['konnect-url']?.trim();
  if (region && url) throw new KonnectAccessError('give --konnect-region or --konnect-url, not both');
  if (!region && !url) throw new KonnectAccessError('--konnect-region or --konnect-url is required');
  let apiUrl: string;
  try {
    apiUrl = konnectApiUrl((region ?? url) as string);
  } catch (error) {
    throw new KonnectAccessError(error instanceof Error ? error.message : String(error));
  }
  const secretId = values['token-secret-id']?.trim();
  if (secretId) return { apiUrl, token: { secretId } };
  const fromEnv = env.KONNECT_TOKEN;
  if (!fromEnv?.trim()) {
    throw new KonnectAccessError('set KONNECT_TOKEN (a Konnect personal or system-account token) or --token-secret-id');
  }
  try {
    return { apiUrl, token: { fromEnv: parseKonnectToken(fromEnv) } };
  } catch (error) {
    throw new KonnectAccessError(`KONNECT_TOKEN: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The token itself, read from Secrets Manager when it lives there. */
export async function konnectToken(access: KonnectAccess, secretsManager: () => SecretsManagerClient): Promise<string> {
  if ('fromEnv' in access.token) return access.token.fromEnv;
  return readKonnectToken(secretsManager(), access.token.secretId);
}
