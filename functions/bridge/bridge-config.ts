import { z } from 'zod';

const optionalText = z.preprocess((value) => (value === '' ? undefined : value), z.string().optional());
const optionalUrl = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
);
const seconds = (fallback: number) => z.coerce.number().int().min(0).max(3600).default(fallback);

/**
 * Everything the bridge reads from its environment, the same in Lambda and in `npm start`.
 * Secrets come by ARN in Lambda (`*_SECRET_ARN`) and by value only in local runs.
 */
export const bridgeConfig = z
  .object({
    IDP_TYPE: z.enum(['generic']).default('generic'),
    IDP_ISSUER: optionalUrl,
    IDP_REGISTRATION_ENDPOINT: optionalUrl,
    IDP_TOKEN_ENDPOINT: optionalUrl,
    IDP_INITIAL_TOKEN_SCOPE: optionalText,
    IDP_SECRET_ROTATION: z.enum(['none', 'read', 'update']).default('none'),
    IDP_TIMEOUT_MS: z.coerce.number().int().min(500).max(25000).default(8000),
    IDP_CREDENTIALS_SECRET_ARN: optionalText,
    IDP_CLIENT_ID: optionalText,
    IDP_CLIENT_SECRET: optionalText,
    IDP_INITIAL_ACCESS_TOKEN: optionalText,
    REGISTRATION_TABLE_NAME: optionalText,
    KONNECT_API_KEY_SECRET_ARN: optionalText,
    KONNECT_API_KEYS: optionalText,
    KEY_CACHE_TTL_SECONDS: seconds(300),
    KEY_REFRESH_MIN_INTERVAL_SECONDS: seconds(10),
    IDP_CREDENTIALS_CACHE_TTL_SECONDS: seconds(300),
  })
  .refine((config) => config.IDP_ISSUER || config.IDP_REGISTRATION_ENDPOINT, {
    message: 'set IDP_ISSUER or IDP_REGISTRATION_ENDPOINT',
    path: ['IDP_ISSUER'],
  })
  .refine((config) => config.KONNECT_API_KEY_SECRET_ARN || config.KONNECT_API_KEYS, {
    message: 'set KONNECT_API_KEY_SECRET_ARN (or KONNECT_API_KEYS for local runs)',
    path: ['KONNECT_API_KEY_SECRET_ARN'],
  });

export type BridgeConfig = z.output<typeof bridgeConfig>;

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** Validates the environment once per container; the error names the settings, never their values. */
export function readBridgeConfig(env: NodeJS.ProcessEnv): BridgeConfig {
  const result = bridgeConfig.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigurationError(`The bridge is misconfigured: ${problems.join('; ')}.`);
}
