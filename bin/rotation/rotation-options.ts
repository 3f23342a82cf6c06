import { parseArgs } from 'node:util';
import { type KonnectRotationOptions, konnectRotationOptions } from './konnect-rotation-options';
import type { RotationPhase } from './rotate-konnect-key';
import { RotationUsageError } from './rotation-usage-error';

export { RotationUsageError };

export interface ManualRotationOptions {
  secretId: string;
  phase: RotationPhase;
  region?: string;
}

export type RotationOptions = ManualRotationOptions | KonnectRotationOptions;

export const isKonnectRotation = (options: RotationOptions): options is KonnectRotationOptions => 'konnect' in options;

export const ROTATION_USAGE = `Usage: npm run rotate-key -- --secret-id <KonnectApiKeySecretArn> --phase add|finish [--region <region>]
       npm run rotate-key -- --secret-id <KonnectApiKeySecretArn> --konnect
           --konnect-region us|eu|au|me|in|sg | --konnect-url <url>
           --provider-name <name> | --provider-id <id> [--owner <stack uuid>]
           [--token-secret-id <arn>] [--accept-delay-ms <ms>] [--region <region>]

  --phase add     generate a new key, store ["OLD","NEW"] (the bridge accepts both), print NEW once
  --phase finish  keep only the newest key, once Konnect sends it
  --konnect       all of it with Konnect's API: store ["OLD","NEW"], PATCH the DCR provider with NEW,
                  verify through Konnect, keep only NEW. Safe to run again after any failure.
                  The Konnect token comes from KONNECT_TOKEN or --token-secret-id, never a flag value.
                  With --owner (the stack UUID in the ConnectKonnectCommand output), a provider whose
                  dcr-bridge-owner label differs is refused.`;

const OPTIONS = {
  'secret-id': { type: 'string' },
  phase: { type: 'string' },
  region: { type: 'string' },
  konnect: { type: 'boolean' },
  'konnect-region': { type: 'string' },
  'konnect-url': { type: 'string' },
  'provider-name': { type: 'string' },
  'provider-id': { type: 'string' },
  owner: { type: 'string' },
  'token-secret-id': { type: 'string' },
  'accept-delay-ms': { type: 'string' },
} as const;

export type RotationArgValues = {
  [name in keyof typeof OPTIONS]?: (typeof OPTIONS)[name]['type'] extends 'boolean' ? boolean : string;
};

export function parseRotationArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): RotationOptions {
  let values: RotationArgValues;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }));
  } catch (error) {
    throw new RotationUsageError(error instanceof Error ? error.message : String(error));
  }
  const secretId = values['secret-id']?.trim();
  if (!secretId) throw new RotationUsageError('--secret-id is required');
  const region = values.region?.trim() || undefined;
  if (values.konnect) return konnectRotationOptions(secretId, region, values, env);
  const konnectOnly = Object.keys(values).find((name) => name !== 'konnect' && !(name in MANUAL_OPTIONS));
  if (konnectOnly) throw new RotationUsageError(`--${konnectOnly} goes with --konnect`);
  if (values.phase !== 'add' && values.phase !== 'finish') {
    throw new RotationUsageError('--phase must be add or finish (or use --konnect)');
  }
  return { secretId, phase: values.phase, region };
}

const MANUAL_OPTIONS = { 'secret-id': true, phase: true, region: true };
