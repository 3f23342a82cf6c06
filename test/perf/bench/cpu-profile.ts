import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time per npm package, bridge folder, Node internal module or V8 activity, largest first. */
  modules: Array<[string, number]>;
  /** Self time per function, with its original source where the bundle's source map knows it. */
  functions: Array<[string, number]>;
}

/**
 * Summarises a `node --cpu-prof` profile by self time. Frames in the bundle are mapped back
 * through its source map to the package or bridge folder they came from.
 */
export function summariseCpuProfile(profilePath: string, bundlePath: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as CpuProfile;
  const map = new SourceMap(JSON.parse(readFileSync(`${bundlePath}.map`, 'utf8')));
  const bundleName = basename(bundlePath);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const frame = (nodes.get(id) as ProfileNode).callFrame;
    totalUs += us;
    let module = frame.url ? frame.url.replace(/^node:internal\/(deps\/)?/, 'node:') : `(${frame.functionName})`;
    let where = module;
    // Packages loaded from node_modules at run time (the external AWS SDK): by package, marked as such.
    const external = frame.url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
    if (external) {
      module = `${external[1]} (node_modules)`;
      where = `${external[1]}/${external[2]}:${frame.lineNumber + 1}`;
    }
    if (frame.url.endsWith(`/${bundleName}`)) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber);
      const source = 'originalSource' in entry ? entry.originalSource : '';
      module =
        source.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? source.match(/(functions\/[^/]+)/)?.[1] ?? 'bundle';
      // Source paths are relative to the map: keep them from the package or from `functions/` on.
      const shortSource = source.replace(/^.*node_modules\//, '').replace(/^.*?(?=functions\/)/, '');
      where = 'originalSource' in entry ? `${shortSource}:${entry.originalLine + 1}` : module;
    }
    modules.set(module, (modules.get(module) ?? 0) + us);
    const name = `${frame.functionName || '(anonymous)'} ${where}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const ranked = (totals: Map<string, number>) =>
    [...totals].map(([key, us]) => [key, us / 1000] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { totalMs: totalUs / 1000, modules: ranked(modules), functions: ranked(functions) };
}
