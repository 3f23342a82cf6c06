type Write = typeof process.stdout.write;

export interface QuietOutput {
  /** Lines the bridge logged per level (JSON lines), its EMF metric lines, and `other` lines. */
  levels(): Record<string, number>;
  restore(): void;
}

/**
 * Swallows what the in-process bridge and IdP write to stdout/stderr (thousands of JSON log
 * lines under load), counting the log lines per level so the report can show them.
 */
export function quietOutput(): QuietOutput {
  const counts: Record<string, number> = {};
  const originals = { out: process.stdout.write, err: process.stderr.write };
  const sink = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const level = line.match(/^\{"level":"([A-Z]+)"/)?.[1] ?? (line.startsWith('{"_aws"') ? 'EMF metrics' : 'other');
      counts[level] = (counts[level] ?? 0) + 1;
    }
    (rest.find((value) => typeof value === 'function') as (() => void) | undefined)?.();
    return true;
  }) as Write;
  process.stdout.write = sink;
  process.stderr.write = sink;
  return {
    levels: () => ({ ...counts }),
    restore: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}
