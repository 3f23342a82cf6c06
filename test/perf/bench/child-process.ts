import { spawn } from 'node:child_process';

export interface ChildRun {
  /** From just before spawn to the process's exit, in milliseconds. */
  wallMs: number;
  /** The JSON the child wrote to fd 3, if any. */
  report: Record<string, unknown>;
}

/**
 * Runs `node <args>` (the same Node binary as the bench) with exactly `env`, stdout discarded
 * (the bridge's log lines), stderr kept for a failure message; killed after `timeoutMs`.
 */
export function runNode(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    let exitedAt = startedAt;
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    const stderr: Buffer[] = [];
    const report: Buffer[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (chunk: Buffer) => report.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', () => {
      exitedAt = performance.now();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) {
        const reason = signal ? `killed by ${signal}` : `exit code ${code}`;
        const detail = Buffer.concat(stderr).toString('utf8').slice(-2000);
        return reject(new Error(`node ${args.join(' ')}: ${reason}\n${detail}`));
      }
      const text = Buffer.concat(report).toString('utf8');
      resolve({ wallMs: exitedAt - startedAt, report: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
    });
  });
}
