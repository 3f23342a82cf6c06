import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

const repoRoot = join(import.meta.dirname, '..', '..');

/** The bash block between the walkthrough markers in README.md, as a user would copy it. */
async function readmeWalkthrough(): Promise<string> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  const section = /<!-- walkthrough:start -->\s*```bash\n([\s\S]*?)```\s*<!-- walkthrough:end -->/.exec(readme);
  if (!section?.[1]) throw new Error('README.md has no walkthrough block');
  return section[1];
}

function waitForOutput(child: ChildProcess, text: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no "${text}" within ${timeoutMs} ms:\n${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code}:\n${seen}`));
    });
  });
}

describe('README walkthrough, verbatim against `npm start`', () => {
  let server: ChildProcess;
  let banner: string;
  let workDir: string;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'dcr-walkthrough-'));
    // Exactly the README's command: `KONNECT_API_KEYS=local_walkthrough_key npm start`.
    const env: NodeJS.ProcessEnv = { ...process.env, KONNECT_API_KEYS: 'local_walkthrough_key' };
    for (const name of Object.keys(env)) if (name.startsWith('IDP_') || name === 'PORT') delete env[name];
    server = spawn('npm', ['start'], { cwd: repoRoot, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    banner = await waitForOutput(server, 'Press Ctrl-C to stop.', 30_000);
  }, 40_000);

  afterAll(async () => {
    const running = server.exitCode === null && server.signalCode === null;
    if (running && server.pid) process.kill(-server.pid, 'SIGKILL');
    await rm(workDir, { recursive: true, force: true });
  });

  it('prints the bridge URL, the key, the IdP issuer and token endpoint, and a curl example', () => {
    expect(banner).toContain('http://127.0.0.1:3000');
    expect(banner).toContain('local_walkthrough_key');
    expect(banner).toContain('Embedded IdP issuer:               http://127.0.0.1:3001');
    expect(banner).toContain('http://127.0.0.1:3001/token');
    expect(banner).toContain("curl -s -X POST http://127.0.0.1:3000/ -H 'X-API-KEY: local_walkthrough_key'");
  });

  it('runs every step of the walkthrough with the promised results', async () => {
    const script = await readmeWalkthrough();
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: workDir,
      timeout: 30_000,
    });
    expect(stdout).toMatch(/"client_id":"[^"]+","client_secret":"[^"]+"/);
    expect(stdout).toContain('"access_token"');
    expect(stdout).toContain('old secret: 401');
    expect(stdout).toContain('new secret: 200');
    expect(stdout).toContain('{"event_type":"update_application","handled":true}');
    expect(stdout).toContain('wrong key: 401');
    expect(stdout).toContain('"error":"invalid_request"');
    expect(stdout).toContain('delete: 204');
    expect(stdout).toContain('credentials after delete: 401');
    expect(stdout).toContain('delete again: 204');
  }, 40_000);

  it('passes `npm run verify` against it, as the README suggests', async () => {
    // The key from the environment, so that neither npm's echo of the command nor verify prints it.
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', 'verify', '--', '--url', 'http://127.0.0.1:3000', '--issuer', 'http://127.0.0.1:3001'],
      { cwd: repoRoot, timeout: 60_000, env: { ...process.env, DCR_BRIDGE_API_KEY: 'local_walkthrough_key' } },
    );
    expect(stdout).toContain('verify: PASSED');
    expect(stdout).not.toContain('local_walkthrough_key');
  }, 70_000);

  it('stops cleanly on Ctrl-C, releasing both ports', async () => {
    let output = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    server.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
    // A terminal's Ctrl-C signals the whole foreground process group: npm, tsx and the server.
    if (server.pid) process.kill(-server.pid, 'SIGINT');
    await exited;
    for (const port of [3000, 3001]) {
      await expect(fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
    }
    expect(output).not.toMatch(/error/i);
  }, 15_000);
});
