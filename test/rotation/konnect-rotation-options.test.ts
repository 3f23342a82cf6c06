import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from '@jest/globals';
import { progressLine, runKonnectRotation } from '../../bin/rotation/konnect-rotation';
import { isKonnectRotation, parseRotationArgs, RotationUsageError } from '../../bin/rotation/rotation-options';
import type { DcrProviderApi } from '../../functions/konnect/dcr-provider';
import { readKeyRotationSettings } from '../../functions/konnect/key-rotation-settings';

const repoRoot = join(import.meta.dirname, '..', '..');
const BASE = ['--secret-id', 'arn:x', '--konnect'];
const WITH_TOKEN = { KONNECT_TOKEN: 'kpat_TokenFromTheEnvironment0123456789' };

describe('rotate-key --konnect options', () => {
  it('reads the region or URL, the provider, and where the token is', () => {
    const options = parseRotationArgs(
      [...BASE, '--konnect-region', 'eu', '--provider-name', 'dcr-okta-partners'],
      WITH_TOKEN,
    );
    expect(
      parseRotationArgs(
        [...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--owner', '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f'],
        WITH_TOKEN,
      ),
    ).toMatchObject({ owner: '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f' });
    expect(isKonnectRotation(options)).toBe(true);
    expect(options).toEqual({
      secretId: 'arn:x',
      konnect: true,
      konnectUrl: 'https://eu.api.konghq.com/v2',
      provider: { name: 'dcr-okta-partners' },
    });
    expect(
      parseRotationArgs(
        [
          ...BASE,
          '--konnect-url',
          'http://127.0.0.1:8080',
          '--provider-id',
          'p-1',
          '--token-secret-id',
          'arn:token',
          '--accept-delay-ms',
          '0',
          '--region',
          'eu-west-1',
        ],
        {},
      ),
    ).toEqual({
      secretId: 'arn:x',
      konnect: true,
      konnectUrl: 'http://127.0.0.1:8080/v2',
      provider: { id: 'p-1' },
      tokenSecretId: 'arn:token',
      acceptDelayMs: 0,
      region: 'eu-west-1',
    });
  });

  it('keeps the manual phases as they were', () => {
    const options = parseRotationArgs(['--secret-id', 'arn:x', '--phase', 'add']);
    expect(isKonnectRotation(options)).toBe(false);
    expect(options).toEqual({ secretId: 'arn:x', phase: 'add' });
  });

  it.each([
    [[...BASE, '--provider-name', 'n'], WITH_TOKEN, 'exactly one of --konnect-region and --konnect-url'],
    [[...BASE, '--konnect-region', 'eu', '--konnect-url', 'https://x'], WITH_TOKEN, 'exactly one of --konnect-region'],
    [[...BASE, '--konnect-region', 'mars', '--provider-name', 'n'], WITH_TOKEN, 'neither a Konnect region'],
    [[...BASE, '--konnect-url', 'http://konnect.example.com', '--provider-name', 'n'], WITH_TOKEN, 'must be https'],
    [[...BASE, '--konnect-region', 'eu'], WITH_TOKEN, 'exactly one of --provider-name and --provider-id'],
    [[...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--provider-id', 'i'], WITH_TOKEN, 'exactly one'],
    [[...BASE, '--konnect-region', 'eu', '--provider-name', 'n'], {}, 'set KONNECT_TOKEN or pass --token-secret-id'],
    [[...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--phase', 'add'], WITH_TOKEN, '--phase does not go'],
    [
      [...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--accept-delay-ms', '1.5'],
      WITH_TOKEN,
      'whole number',
    ],
    [
      [...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--token', 'kpat_x'],
      WITH_TOKEN,
      "Unknown option '--token'",
    ],
    [
      ['--secret-id', 'arn:x', '--phase', 'add', '--provider-name', 'n'],
      WITH_TOKEN,
      '--provider-name goes with --konnect',
    ],
    [
      [...BASE, '--konnect-region', 'eu', '--provider-name', 'n'],
      { KONNECT_TOKEN: 'kpat_pasted with a space' },
      'KONNECT_TOKEN: the Konnect token contains spaces',
    ],
    [
      [...BASE, '--konnect-region', 'eu', '--provider-name', 'n', '--owner', 'not a label!'],
      WITH_TOKEN,
      '--owner must be the stack UUID',
    ],
  ])('refuses %j', (argv, env, message) => {
    expect(() => parseRotationArgs(argv, env)).toThrow(RotationUsageError);
    expect(() => parseRotationArgs(argv, env)).toThrow(message);
  });

  it('exits 2 with the usage, before touching AWS or Konnect, and never echoes the token', () => {
    const result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['bin/rotate-konnect-key.ts', ...BASE, '--konnect-region', 'eu'],
      { cwd: repoRoot, encoding: 'utf8', timeout: 20_000, env: { ...process.env, ...WITH_TOKEN } },
    );
    expect(result.stderr).toContain('rotate-key: --konnect needs exactly one of --provider-name and --provider-id');
    expect(result.stderr).toContain('--konnect       all of it with Konnect');
    expect(result.stderr + result.stdout).not.toContain(WITH_TOKEN.KONNECT_TOKEN);
    expect(result.status).toBe(2);
  }, 25_000);

  it('reads KONNECT_TOKEN as connect-konnect does: plain or {"token": ...}, trimmed', async () => {
    const given: string[] = [];
    // Secrets Manager: no scheduled rotation under way.
    const client = { send: async () => ({ RotationEnabled: false }) } as unknown as SecretsManagerClient;
    for (const KONNECT_TOKEN of ['{"token": "kpat_FromJson0123456789"}', '  kpat_FromJson0123456789\n']) {
      const attempt = runKonnectRotation(
        { secretId: 'arn:x', konnect: true, konnectUrl: 'https://eu.api.konghq.com/v2', provider: { name: 'n' } },
        {
          client,
          env: { KONNECT_TOKEN },
          print: () => undefined,
          konnectApi: (_url, token) => {
            given.push(token);
            return {
              findByName: async () => {
                throw new Error('stop here');
              },
            } as unknown as DcrProviderApi;
          },
        },
      );
      await expect(attempt).rejects.toThrow('stop here');
    }
    expect(given).toEqual(['kpat_FromJson0123456789', 'kpat_FromJson0123456789']);
  });

  it('progress lines name the secret and the provider, never a key', () => {
    expect(progressLine({ step: 'verified' }, 'arn:x')).toContain('dcr-bridge-key label');
    expect(progressLine({ step: 'waiting-for-bridge', ms: 11_000 }, 'arn:x')).toBe(
      'Waiting 11 s, so that every bridge container accepts the new key before Konnect sends it…',
    );
    expect(progressLine({ step: 'rotation-resumed', keysStored: 2 }, 'arn:x')).toContain('arn:x already holds 2 keys');
  });
});

describe('the rotation Lambda settings', () => {
  const env = {
    KONNECT_TOKEN_SECRET_ARN: 'arn:token',
    KONNECT_API_URL: 'eu',
    KONNECT_PROVIDER_NAME: 'DcrBridge',
  };

  it('reads a region or URL, the provider, and the accept delay (11 s by default)', () => {
    expect(readKeyRotationSettings(env)).toEqual({
      tokenSecretArn: 'arn:token',
      apiUrl: 'https://eu.api.konghq.com/v2',
      provider: { name: 'DcrBridge' },
      acceptDelayMs: 11_000,
    });
    expect(
      readKeyRotationSettings({ ...env, KONNECT_PROVIDER_OWNER: '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f' }),
    ).toMatchObject({ owner: '51b7a3c0-8e2f-11ef-9a4b-0a1b2c3d4e5f' });
    expect(readKeyRotationSettings({ ...env, KONNECT_PROVIDER_ID: 'p-1', ACCEPT_DELAY_MS: '31000' })).toMatchObject({
      provider: { id: 'p-1' },
      acceptDelayMs: 31_000,
    });
  });

  it('names every wrong setting at once', () => {
    expect(() =>
      readKeyRotationSettings({ KONNECT_API_URL: 'http://konnect.example.com', ACCEPT_DELAY_MS: 'soon' }),
    ).toThrow(
      /KONNECT_TOKEN_SECRET_ARN is required; KONNECT_API_URL: .*https.*; KONNECT_PROVIDER_NAME \(or KONNECT_PROVIDER_ID\) is required; ACCEPT_DELAY_MS/,
    );
  });
});
