import type { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { logger } from '../commons/logger';

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

export interface SecretKeySourceOptions {
  now?: () => number;
  /** Longest wait for one read of the secret; a read that takes longer counts as failed. */
  readTimeoutMs?: number;
}

/** Secrets Manager has no deadline of its own (the SDK waits indefinitely by default). */
const DEFAULT_READ_TIMEOUT_MS = 3000;
/** After a failed read, keys still within their grace are used this long before the next try. */
const RETRY_AFTER_FAILURE_MS = 5000;

/**
 * Keys in AWS Secrets Manager, cached per container for `maxAgeSeconds`, then read again.
 *
 * When a read fails (unreachable, throttled, access denied, a malformed value) the keys read
 * before keep working for a short outage: up to 2 × `maxAgeSeconds` after the last successful
 * read (a grace of one more cache period), re-trying at most every few seconds. Past that, and
 * with no keys read yet, the read fails and the bridge fails closed. A secret that no longer
 * exists (deleted, or scheduled for deletion) is an answer, not an outage: its keys stop being
 * accepted at once.
 */
export class SecretsManagerKeySource implements KonnectKeySource {
  private cached?: { keys: readonly string[]; readAt: number };
  private retryAt = Number.NEGATIVE_INFINITY;
  private reading?: Promise<readonly string[]>;
  private readonly now: () => number;
  private readonly readTimeoutMs: number;

  constructor(
    private readonly secrets: SecretsProvider,
    private readonly secretId: string,
    private readonly maxAgeSeconds: number,
    options: SecretKeySourceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  }

  /** How long keys read once keep working while the secret cannot be read again. */
  get graceMs(): number {
    return 2 * this.maxAgeSeconds * 1000;
  }

  async keys(refresh: boolean): Promise<readonly string[]> {
    const cached = this.cached;
    if (!refresh && cached) {
      const age = this.now() - cached.readAt;
      if (age < this.maxAgeSeconds * 1000) return cached.keys;
      // In an outage: keep to the keys read before until the next try.
      if (this.now() < this.retryAt && age <= this.graceMs) return cached.keys;
    }
    // Requests arriving together share one read.
    this.reading ??= this.read().finally(() => {
      this.reading = undefined;
    });
    return this.reading;
  }

  private async read(): Promise<readonly string[]> {
    try {
      const value = await withinTime(
        this.secrets.get(this.secretId, { maxAge: this.maxAgeSeconds, forceFetch: true }),
        this.readTimeoutMs,
      );
      if (typeof value !== 'string') throw new KeyConfigurationError('the Konnect key secret has no string value');
      const keys = parseKeySecret(value);
      this.cached = { keys, readAt: this.now() };
      this.retryAt = Number.NEGATIVE_INFINITY;
      return keys;
    } catch (error) {
      return this.afterFailedRead(error);
    }
  }

  private afterFailedRead(error: unknown): readonly string[] {
    const reason = errorName(error);
    if (secretIsGone(error)) {
      this.cached = undefined;
      logger.error('The Konnect key secret no longer exists; no key is accepted until it is restored', { reason });
      throw new KeyConfigurationError('the Konnect key secret no longer exists');
    }
    const cached = this.cached;
    const age = cached ? this.now() - cached.readAt : Number.POSITIVE_INFINITY;
    if (!cached || age > this.graceMs) throw error;
    this.retryAt = this.now() + Math.min(RETRY_AFTER_FAILURE_MS, this.maxAgeSeconds * 1000);
    const fields = { reason, keys_age_seconds: Math.floor(age / 1000), grace_seconds: this.graceMs / 1000 };
    // A malformed value needs a person; an outage usually passes by itself.
    if (error instanceof KeyConfigurationError) {
      logger.error(
        'The Konnect key secret holds no valid keys; using the ones read before until the grace ends',
        fields,
      );
    } else {
      logger.warn('Could not re-read the accepted keys; using the ones read before until the grace ends', fields);
    }
    return cached.keys;
  }
}

/** Rejects with `late()` when `promise` takes longer than `ms`; the late result is dropped. */
export function withinTime<T>(
  promise: Promise<T>,
  ms: number,
  late: () => Error = () => new SecretReadTimeoutError('the Konnect key secret'),
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class SecretReadTimeoutError extends Error {
  constructor(what: string) {
    super(`${what} could not be read in time`);
    this.name = 'SecretReadTimeoutError';
  }
}

/**
 * Secrets Manager's answers for a deleted secret: ResourceNotFoundException, or, during the
 * recovery window, InvalidRequestException saying the secret is marked for deletion. Powertools
 * wraps them (GetParameterError), so the cause chain is searched; by name, as SDK classes may be
 * duplicated across installs.
 */
function secretIsGone(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const { name, message, cause } = current as { name?: unknown; message?: unknown; cause?: unknown };
    if (name === 'ResourceNotFoundException') return true;
    if (name === 'InvalidRequestException' && /deletion|deleted/i.test(String(message))) return true;
    current = cause;
  }
  return false;
}

/** The most specific error name in the chain, for logs (never a message: it may quote the value). */
function errorName(error: unknown): string {
  let name = 'unknown';
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const link = current as { name?: unknown; cause?: unknown };
    if (typeof link.name === 'string') name = link.name;
    current = link.cause;
  }
  return name;
}
