import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalEnvironment } from '../../bin/local/local-environment';
import { captureOutput } from './captured-output';

export interface TestBridge {
  local: LocalEnvironment;
  output: ReturnType<typeof captureOutput>;
  stop(): Promise<void>;
}

/**
 * Starts the local bridge (and the embedded IdP unless `env` names one) on free ports, with logs
 * captured. One per test file: like a Lambda container, the handler reads its environment once.
 */
export async function startTestBridge(keys: string[], env: Record<string, string> = {}): Promise<TestBridge> {
  for (const name of Object.keys(process.env)) if (name.startsWith('IDP_')) delete process.env[name];
  // A bridge in front of a configured IdP keeps registrations in a file: one per test file, not the repo's.
  const storeFolder = mkdtempSync(join(tmpdir(), 'dcr-bridge-test-'));
  Object.assign(process.env, { REGISTRATION_STORE_FILE: join(storeFolder, 'registrations.json') }, env, {
    KONNECT_API_KEYS: keys.join(','),
  });
  const output = captureOutput();
  // Imported after the environment is set, as Lambda reads it at cold start.
  const { startLocalEnvironment } = await import('../../bin/local/local-environment');
  const local = await startLocalEnvironment({ port: 0 });
  return {
    local,
    output,
    stop: async () => {
      output.restore();
      await local.close();
      rmSync(storeFolder, { recursive: true, force: true });
    },
  };
}
