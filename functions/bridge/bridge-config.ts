import * as z from 'zod/mini';
import { DEFAULT_KEY_REFRESH_MIN_INTERVAL_SECONDS } from '../auth/key-refresh-interval';
import { ConfigurationError, settingsProblems } from '../commons/configuration-error';
import { IDP_TYPES, type IdpType } from '../idp/create-idp-adapter';
import { optionalSetting } from '../idp/settings';

const seconds = (fallback: number) => z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(3600)), fallback);

/**
 * The longest IDP_TIMEOUT_MS. The deployed Lambda timeout is IDP_TIMEOUT_MS plus the compensation
 * reserve and the answer margin (4 s, see request-budget.ts): 26 s at most, which leaves API
 * Gateway's 29 s integration timeout room for a cold start.
 */
export const MAX_IDP_TIMEOUT_MS = 22_000;

/** The settings the Konnect key check needs: read on their own, so a caller can be authenticated even when the rest is wrong. */
export const keySettings = z
  .object({
    KONNECT_API_KEY_SECRET_ARN: optionalSetting,
    KONNECT_API_KEYS: optionalSetting,
    KEY_CACHE_TTL_SECONDS: seconds(300),
    KEY_REFRESH_MIN_INTERVAL_SECONDS: seconds(DEFAULT_KEY_REFRESH_MIN_INTERVAL_SECONDS),
  })
  .check(
    z.refine((config) => config.KONNECT_API_KEY_SECRET_ARN || config.KONNECT_API_KEYS, {
      message: 'set KONNECT_API_KEY_SECRET_ARN (or KONNECT_API_KEYS for local runs)',
      path: ['KONNECT_API_KEY_SECRET_ARN'],
    }),
  );

export type KeySettings = z.output<typeof keySettings>;

/**
 * What the bridge reads from its environment besides the adapter's own settings, the same in
 * Lambda and in `npm start`. Secrets come by ARN in Lambda (`*_SECRET_ARN`), by value only locally.
 */
export const bridgeConfig = z.intersection(
  z.object({
    IDP_TYPE: z.pipe(
      z._default(z.string(), 'generic').check(
        z.refine((value): value is IdpType => (IDP_TYPES as string[]).includes(value), {
          message: `must be one of ${IDP_TYPES.join(', ')}`,
        }),
      ),
      z.transform((value: string) => value as IdpType),
    ),
    IDP_TIMEOUT_MS: z._default(z.coerce.number().check(z.int(), z.gte(500), z.lte(MAX_IDP_TIMEOUT_MS)), 8000),
    IDP_CREDENTIALS_SECRET_ARN: optionalSetting,
    REGISTRATION_TABLE_NAME: optionalSetting,
    /** Local runs only: keep registrations in this JSON file instead of memory. */
    REGISTRATION_STORE_FILE: optionalSetting,
    IDP_CREDENTIALS_CACHE_TTL_SECONDS: seconds(300),
  }),
  keySettings,
);

export type BridgeConfig = z.output<typeof bridgeConfig>;

/** Validates the environment once per container. */
export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  return parseSettings(bridgeConfig, env);
}

/** Validates only the key check's settings. */
export function readKeySettings(env: NodeJS.ProcessEnv): KeySettings {
  return parseSettings(keySettings, env);
}

function parseSettings<Schema extends z.core.$ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.output<Schema> {
  const result = z.safeParse(schema, env);
  if (result.success) return result.data;
  throw new ConfigurationError(`The bridge is misconfigured: ${settingsProblems(result.error)}.`);
}
