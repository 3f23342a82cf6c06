/** Summary statistics for the benchmark and the load test; every input is a list of milliseconds. */

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of an unsorted sample; NaN for an empty one. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function spread(sample: readonly number[]): Spread {
  return { median: percentile(sample, 50), min: Math.min(...sample), max: Math.max(...sample) };
}

export const MIB = 1024 * 1024;
