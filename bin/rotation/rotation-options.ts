import { parseArgs } from 'node:util';
import type { RotationPhase } from './rotate-konnect-key';

export interface RotationOptions {
  secretId: string;
  phase: RotationPhase;
  region?: string;
}

export const ROTATION_USAGE = `Usage: npm run rotate-key -- --secret-id <KonnectApiKeySecretArn> --phase add|finish [--region <region>]

  --phase add     generate a new key, store ["OLD","NEW"] (the bridge accepts both), print NEW once
  --phase finish  keep only the newest key, once Konnect sends it`;

export class RotationUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RotationUsageError';
  }
}

export function parseRotationArgs(argv: string[]): RotationOptions {
  let values: { 'secret-id'?: string; phase?: string; region?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { 'secret-id': { type: 'string' }, phase: { type: 'string' }, region: { type: 'string' } },
    }));
  } catch (error) {
    throw new RotationUsageError(error instanceof Error ? error.message : String(error));
  }
  const secretId = values['secret-id']?.trim();
  if (!secretId) throw new RotationUsageError('--secret-id is required');
  if (values.phase !== 'add' && values.phase !== 'finish') {
    throw new RotationUsageError('--phase must be add or finish');
  }
  return { secretId, phase: values.phase, region: values.region?.trim() || undefined };
}
