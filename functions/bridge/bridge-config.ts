import * as z from 'zod';
import { ConfigurationError, settingsProblems } from '../commons/configuration-error';
import { IDP_TYPES, type IdpType } from '../idp/create-idp-adapter';
import { optionalSetting } from '../idp/settings';

const seconds = (fallback: number) => z.coerce.number().int().min(0).max(3600).default(fallback);

/**
 * What the bridge reads from its environment besides the adapter's own settings, the same in
 * Lambda and in `npm start`. Secrets come by ARN in Lambda (`*_SECRET_ARN`), by value only locally.
 */
export const bridgeConfig = z
  .object({
    IDP_TYPE: z
      .string()
      .default('generic')
      .refine((value): value is IdpType => (IDP_TYPES as string[]).includes(value), {
        message: `must be one of ${IDP_TYPES.join(', ')}`,
      })
      .transform((value) => value as IdpType),
    IDP_TIMEOUT_MS: z.coerce.number().int().min(500).max(25000).default(8000),
    IDP_CREDENTIALS_SECRET_ARN: optionalSetting,
    REGISTRATION_TABLE_NAME: optionalSetting,
    /** Local runs only: keep registrations in this JSON file instead of memory. */
    REGISTRATION_STORE_FILE: optionalSetting,
    KONNECT_API_KEY_SECRET_ARN: optionalSetting,
    KONNECT_API_KEYS: optionalSetting,
    KEY_CACHE_TTL_SECONDS: seconds(300),
    KEY_REFRESH_MIN_INTERVAL_SECONDS: seconds(10),
    IDP_CREDENTIALS_CACHE_TTL_SECONDS: seconds(300),
  })
  .refine((config) => config.KONNECT_API_KEY_SECRET_ARN || config.KONNECT_API_KEYS, {
    message: 'set KONNECT_API_KEY_SECRET_ARN (or KONNECT_API_KEYS for local runs)',
    path: ['KONNECT_API_KEY_SECRET_ARN'],
  });

export type BridgeConfig = z.output<typeof bridgeConfig>;

/** Validates the environment once per container. */
export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const result = bridgeConfig.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigurationError(`The bridge is misconfigured: ${settingsProblems(result.error)}.`);
}
