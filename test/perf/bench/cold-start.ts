import { type ChildRun, runNode } from './child-process';

export interface ColdVariant {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

export interface ColdResult {
  wallMs: number[];
  maxRssKiB: number[];
}

/**
 * Starts every variant `runs` times, round-robin (so a busy moment of the machine hits all of
 * them alike), after one unrecorded round that warms the file cache. Each run is a fresh process.
 */
export async function measureColdStarts(variants: ColdVariant[], runs: number): Promise<Map<string, ColdResult>> {
  const results = new Map(variants.map((variant) => [variant.name, { wallMs: [], maxRssKiB: [] } as ColdResult]));
  for (let round = -1; round < runs; round += 1) {
    for (const variant of variants) {
      const run: ChildRun = await runNode(variant.args, variant.env);
      const status = run.report.status;
      if (status !== undefined && status !== 201) throw new Error(`${variant.name}: the create answered ${status}.`);
      if (round < 0) continue;
      const result = results.get(variant.name) as ColdResult;
      result.wallMs.push(run.wallMs);
      if (typeof run.report.maxRssKiB === 'number') result.maxRssKiB.push(run.report.maxRssKiB);
    }
  }
  return results;
}
