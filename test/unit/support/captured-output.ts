import { afterEach, beforeEach } from '@jest/globals';

type Write = typeof process.stdout.write;

export interface CapturedOutput {
  /** Everything written to stdout and stderr since the current test began. */
  text(): string;
  /** The JSON log lines (Powertools Logger) written since the current test began. */
  lines(): Record<string, unknown>[];
}

/**
 * Swallows and records stdout/stderr during each test of the enclosing describe, so tests can
 * assert what the bridge logged (and that no secret was logged) without noise in jest's output.
 */
export function captureOutputPerTest(): CapturedOutput {
  let chunks: string[] = [];
  let originalOut: Write | undefined;
  let originalErr: Write | undefined;
  const record = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as Write;

  beforeEach(() => {
    chunks = [];
    originalOut = process.stdout.write;
    originalErr = process.stderr.write;
    process.stdout.write = record;
    process.stderr.write = record;
  });
  afterEach(() => {
    if (originalOut) process.stdout.write = originalOut;
    if (originalErr) process.stderr.write = originalErr;
  });

  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
