import type { RotationResult } from './rotate-konnect-key';

/**
 * What the operator reads after a phase. After `add` it holds the new key, the only place it is
 * ever shown; the old key is never printed.
 */
export function rotationInstructions(secretId: string, result: RotationResult): string {
  if (result.phase === 'add') {
    return [
      `Stored 2 keys in ${secretId}: the bridge now accepts the current key and this new one.`,
      '',
      'New Konnect API key (shown only now; it is also in the secret):',
      '',
      `    ${result.newKey}`,
      '',
      'Next:',
      '  1. In Konnect: Dev Portal → Application Auth → DCR provider tab → your HTTP DCR provider →',
      '     edit → API Key: paste the key above and save. The bridge accepts it at once.',
      '  2. Check the bridge with the new key (see docs/verify-and-rotation.md):',
      '     npm run verify -- --url <DcrBaseUrl> --key <the new key> --issuer <IdP issuer>',
      `  3. Retire the old key: npm run rotate-key -- --secret-id ${secretId} --phase finish`,
      '',
    ].join('\n');
  }
  if (!result.changed) return `${secretId} already holds a single key; nothing to do.\n`;
  return [
    `Stored only the newest key in ${secretId}.`,
    'Warm bridge containers keep accepting the old key until their key cache expires',
    '(KEY_CACHE_TTL_SECONDS, 5 minutes by default); after that only the new key works.',
    '',
  ].join('\n');
}
