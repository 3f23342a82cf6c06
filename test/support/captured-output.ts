import { afterEach, beforeEach } from '@jest/globals';

type Write = typeof process.stdout.write;

export interface CapturedOutput {
  /** Everything written to stdout and stderr while capturing. */
  text(): string;
  /** The JSON log lines (Powertools Logger) among it. */
  lines(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Records everything written to stdout/stderr (where Powertools Logger writes) until restored;
 * `passThrough` also lets it reach the terminal.
 */
export function captureOutput({ passThrough = false } = {}): CapturedOutput {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const tap = (original: Write) =>
    function (this: NodeJS.WriteStream, chunk: string | Uint8Array, ...rest: unknown[]) {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      if (passThrough) return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      const callback = rest.find((value) => typeof value === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    } as Write;
  process.stdout.write = tap(originals.out);
  process.stderr.write = tap(originals.err);
  const text = () => chunks.join('');
  return {
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/** The same, fresh for each test of the enclosing describe. */
export function captureOutputPerTest(): Omit<CapturedOutput, 'restore'> {
  let current: CapturedOutput | undefined;
  beforeEach(() => {
    current = captureOutput();
  });
  afterEach(() => current?.restore());
  return { text: () => current?.text() ?? '', lines: () => current?.lines() ?? [] };
}
