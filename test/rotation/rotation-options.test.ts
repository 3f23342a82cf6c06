import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parseRotationArgs, RotationUsageError } from '../../bin/rotation/rotation-options';

const repoRoot = join(import.meta.dirname, '..', '..');

describe('parseRotationArgs', () => {
  it('reads the secret, the phase and the region', () => {
    expect(parseRotationArgs(['--secret-id', 'arn:x', '--phase', 'add', '--region', 'eu-west-1'])).toEqual({
      secretId: 'arn:x',
      phase: 'add',
      region: 'eu-west-1',
    });
    expect(parseRotationArgs(['--secret-id=arn:x', '--phase=finish'])).toEqual({
      secretId: 'arn:x',
      phase: 'finish',
      region: undefined,
    });
  });

  it.each([
    [['--phase', 'add'], '--secret-id is required'],
    [['--secret-id', 'arn:x'], '--phase must be add or finish'],
    [['--secret-id', 'arn:x', '--phase', 'rotate'], '--phase must be add or finish'],
    [['--secret-id', 'arn:x', '--phase', 'add', '--force'], "Unknown option '--force'"],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseRotationArgs(argv)).toThrow(RotationUsageError);
    expect(() => parseRotationArgs(argv)).toThrow(message);
  });
});

describe('the rotate-key command line', () => {
  it('exits 2 with the usage on a usage error, before touching AWS', () => {
    const result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['bin/rotate-konnect-key.ts', '--phase', 'add'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 20_000,
      },
    );

    expect(result.stderr).toContain('rotate-key: --secret-id is required');
    expect(result.stderr).toContain(
      'Usage: npm run rotate-key -- --secret-id <KonnectApiKeySecretArn> --phase add|finish',
    );
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  }, 25_000);
});
