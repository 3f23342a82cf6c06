import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';

/** Konnect's own rule for DCR provider API keys. */
export const KONNECT_KEY_PATTERN = /^[A-Za-z0-9_]{12,256}$/;

/** Where the accepted Konnect keys come from; `refresh` bypasses any cache. */
export interface KonnectKeySource {
  keys(refresh: boolean): Promise<readonly string[]>;
}

export class KeyConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyConfigurationError';
  }
}

/**
 * Parses a secret holding one key or a JSON list of keys (several during a rotation). Never
 * includes the value in an error.
 */
export function parseKeySecret(value: string): string[] {
  const trimmed = value.trim();
  let keys: unknown = [trimmed];
  if (trimmed.startsWith('[')) {
    try {
      keys = JSON.parse(trimmed);
    } catch {
      throw new KeyConfigurationError('the Konnect key secret starts with "[" but is not a JSON list');
    }
  }
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new KeyConfigurationError('the Konnect key secret must hold one key or a non-empty JSON list of keys');
  }
  for (const key of keys) {
    if (typeof key !== 'string' || !KONNECT_KEY_PATTERN.test(key)) {
      throw new KeyConfigurationError('every Konnect key must be 12 to 256 characters of A-Z, a-z, 0-9 and _');
    }
  }
  return keys as string[];
}

/** Fixed keys, for local runs (`KONNECT_API_KEYS`). */
export class StaticKeySource implements KonnectKeySource {
  private readonly accepted: readonly string[];

  constructor(keys: readonly string[]) {
    this.accepted = parseKeySecret(JSON.stringify(keys));
  }

  async keys(): Promise<readonly string[]> {
    return this.accepted;
  }
}

/** Keys in AWS Secrets Manager, cached per container by Powertools for `maxAgeSeconds`. */
export class SecretsManagerKeySource implements KonnectKeySource {
  constructor(
    private readonly secrets: SecretsProvider,
    private readonly secretId: string,
    private readonly maxAgeSeconds: number,
  ) {}

  async keys(refresh: boolean): Promise<readonly string[]> {
    const value = await this.secrets.get(this.secretId, { maxAge: this.maxAgeSeconds, forceFetch: refresh });
    if (typeof value !== 'string') throw new KeyConfigurationError('the Konnect key secret has no string value');
    return parseKeySecret(value);
  }
}
