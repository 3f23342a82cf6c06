import { parseArgs } from 'node:util';
import { z } from 'zod';

/** What one verify run needs; every duration in milliseconds. */
export interface VerifyOptions {
  /** The bridge's base URL (Konnect's DCR base URL), without a trailing slash. */
  url: string;
  /** The X-API-KEY Konnect sends. */
  key: string;
  /** Where the issued credentials are tried; found by discovery from `issuer` when not given. */
  tokenEndpoint?: string;
  issuer?: string;
  /** Scopes asked for at create and at the token endpoint. */
  scopes: string[];
  /**
   * The token requests' `scope` instead of `scopes`: for IdPs that ignore the registered scopes,
   * or whose token endpoint requires one. Unset = `scopes`.
   */
  tokenScopes?: string[];
  /** Sent as `audience` in token requests (Auth0 without a default audience). */
  audience?: string;
  /** Bound for every single HTTP request. */
  timeoutMs: number;
  /** How long a secret change may take to reach the IdP's token endpoint (Auth0: up to 30 s). */
  propagationWaitMs: number;
  /** For IdPs that cannot rotate (Konnect's "Disable refresh secret" is on). */
  skipRotation: boolean;
  /** Also play Konnect's "Verify" button: two creates with its placeholder ids ("test portal_id"). */
  konnectVerify?: boolean;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Read from the environment when --key is not given, so the key need not be in shell history. */
export const KEY_ENV_VAR = 'DCR_BRIDGE_API_KEY';

export const VERIFY_USAGE = `Usage: npm run verify -- --url <bridge base URL> --key <X-API-KEY>
         [--token-endpoint <url> | --issuer <url>] [--scope <scope>]... [--token-scope <scope>]...
         [--audience <aud>] [--timeout-ms <ms>] [--propagation-wait-ms <ms>] [--skip-rotation]
         [--konnect-verify]

Plays Konnect against a bridge: create, token, rotate, event hooks, delete, delete again, and the
refusals (no key, wrong key, bad body), then says how the IdP behind it treats client secrets.
Cleans up what it created. Exit code 0 when every check passes, 1 when one fails, 2 on a usage
error.

  --url                  the bridge's base URL (Konnect's DCR base URL); http:// is fine locally
  --key                  the Konnect API key (or set ${KEY_ENV_VAR})
  --token-endpoint       the IdP's token endpoint, to try the issued credentials
  --issuer               the IdP's issuer, to find the token endpoint by discovery
                         (without either, the token checks are skipped)
  --scope                a scope for the client and the token request; repeat or space-separate
  --token-scope          the token requests' scope instead of --scope (IdPs that ignore registered
                         scopes, or whose token endpoint requires one); repeat or space-separate
  --audience             sent as audience in token requests (Auth0)
  --timeout-ms           bound for every request (default 15000)
  --propagation-wait-ms  how long secret changes may take to reach the IdP (default 0; Auth0: 30000)
  --skip-rotation        for IdPs that cannot rotate ("Disable refresh secret" on in Konnect)
  --konnect-verify       also send two creates shaped like Konnect's Verify button ("test portal_id")
                         and check that the bridge keeps only the latest verification client`;

const httpUrl = (name: string) =>
  z
    .string()
    .refine((value) => URL.canParse(value) && ['http:', 'https:'].includes(new URL(value).protocol), {
      message: `${name} must be an http:// or https:// URL`,
    })
    .transform((value) => value.replace(/\/+$/, ''));

const milliseconds = (name: string, fallback: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value) => (value === undefined ? fallback : Number(value)))
    .refine((value) => Number.isInteger(value) && value >= 0 && value <= max, {
      message: `${name} must be a whole number of milliseconds from 0 to ${max}`,
    });

const schema = z
  .object({
    url: httpUrl('--url'),
    key: z.string().min(1, `--key (or ${KEY_ENV_VAR}) is required`),
    'token-endpoint': httpUrl('--token-endpoint').optional(),
    issuer: httpUrl('--issuer').optional(),
    scope: z.array(z.string()).default([]),
    'token-scope': z.array(z.string()).optional(),
    audience: z.string().min(1, '--audience must not be empty').optional(),
    'timeout-ms': milliseconds('--timeout-ms', 15_000, 120_000).refine((value) => value > 0, {
      message: '--timeout-ms must be more than 0',
    }),
    'propagation-wait-ms': milliseconds('--propagation-wait-ms', 0, 300_000),
    'skip-rotation': z.boolean().default(false),
    'konnect-verify': z.boolean().default(false),
  })
  .refine((options) => !(options['token-endpoint'] && options.issuer), {
    message: 'give either --token-endpoint or --issuer, not both',
  });

/** Parses the command line; throws UsageError with a message fit for the terminal. */
export function parseVerifyArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): VerifyOptions {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        key: { type: 'string' },
        'token-endpoint': { type: 'string' },
        issuer: { type: 'string' },
        scope: { type: 'string', multiple: true },
        'token-scope': { type: 'string', multiple: true },
        audience: { type: 'string' },
        'timeout-ms': { type: 'string' },
        'propagation-wait-ms': { type: 'string' },
        'skip-rotation': { type: 'boolean' },
        'konnect-verify': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.url === undefined) throw new UsageError('--url is required');
  const parsed = schema.safeParse({ ...values, key: values.key ?? env[KEY_ENV_VAR] ?? '' });
  if (!parsed.success) {
    throw new UsageError(parsed.error.issues.map((issue) => issue.message).join('; '));
  }
  const options = parsed.data;
  const tokenScopes = options['token-scope'] && scopeList(options['token-scope']);
  if (tokenScopes?.length === 0) throw new UsageError('--token-scope must not be empty');
  return {
    url: options.url,
    key: options.key,
    tokenEndpoint: options['token-endpoint'],
    issuer: options.issuer,
    scopes: scopeList(options.scope),
    tokenScopes,
    audience: options.audience,
    timeoutMs: options['timeout-ms'],
    propagationWaitMs: options['propagation-wait-ms'],
    skipRotation: options['skip-rotation'],
    konnectVerify: options['konnect-verify'],
  };
}

/** Repeated and space-separated values alike: `--scope "a b" --scope c` → a, b, c. */
function scopeList(values: string[]): string[] {
  return values.flatMap((value) => value.split(/\s+/)).filter(Boolean);
}
