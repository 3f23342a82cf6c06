import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const repoRoot = join(import.meta.dirname, '..', '..');
const KEY = 'verify_cli_key_0123456789';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command from the repository root, killed if it outlives `timeoutMs`. */
function run(command: string, args: string[], timeoutMs = 25_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    delete env.DCR_BRIDGE_API_KEY;
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');

describe('the verify command line', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('expected the embedded IdP');
    idp = bridge.local.idp;
  });

  afterAll(async () => {
    await bridge?.stop();
  });

  it('`npm run verify` passes against a running local bridge and exits 0', async () => {
    const clientsBefore = idp.clientCount();

    const result = await run('npm', [
      'run',
      'verify',
      '--silent',
      '--',
      '--url',
      bridge.local.bridgeUrl,
      '--key',
      KEY,
      '--token-endpoint',
      idp.tokenEndpoint,
    ]);

    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^PASS {2}new secret accepted by the IdP +200 /m);
    expect(result.stdout).toMatch(/^verify: PASSED — 16 passed, 0 failed, 0 skipped in \d+ ms$/m);
    expect(result.stdout).not.toContain(KEY);
    expect(result.code).toBe(0);
    expect(idp.clientCount()).toBe(clientsBefore);
  }, 30_000);

  it('exits 1 with the reason when the key is wrong', async () => {
    const result = await run(tsx, ['bin/verify.ts', '--url', bridge.local.bridgeUrl, '--key', 'wrong_cli_key_000000']);

    expect(result.stdout).toContain('--key is not a key the bridge accepts');
    expect(result.stdout).toMatch(/^verify: FAILED — /m);
    expect(result.code).toBe(1);
  }, 30_000);

  it('exits 2 with the usage when --url is missing', async () => {
    const result = await run(tsx, ['bin/verify.ts', '--key', KEY]);

    expect(result.stderr).toContain('verify: --url is required');
    expect(result.stderr).toContain('Usage: npm run verify -- --url <bridge base URL> --key <X-API-KEY>');
    expect(result.stdout).toBe('');
    expect(result.code).toBe(2);
  }, 30_000);
});
