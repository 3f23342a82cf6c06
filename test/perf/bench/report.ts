import type { ProfileSummary } from './cpu-profile';
import { MIB } from './stats';

/** A Markdown table, so the output can go into docs/benchmark.md as it is. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
export const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
export const ms = (value: number) => `${value < 1 ? value.toFixed(3) : value.toFixed(1)} ms`;
export const times = (value: number) => `${value.toFixed(2)}×`;
export const yesNo = (met: boolean) => (met ? '**yes**' : 'no');

/** The largest entries of a ranking with their share of the total. */
export function ranking(entries: Array<[string, number]>, total: number, unit: (value: number) => string, top = 12) {
  return table(
    ['', unit === kB ? 'bytes' : 'self time', 'share'],
    entries.slice(0, top).map(([name, value]) => [name, unit(value), `${((100 * value) / total).toFixed(1)} %`]),
  );
}

export function profileTables(summary: ProfileSummary, top = 12): string {
  const msUnit = (value: number) => `${value.toFixed(1)} ms`;
  const external = summary.modules
    .filter(([name]) => name.endsWith('(node_modules)'))
    .reduce((sum, [, value]) => sum + value, 0);
  const loaders = summary.modules
    .filter(([name]) => /^node:(modules\/|path$)/.test(name) || name === '(internalModuleStat)')
    .reduce((sum, [, value]) => sum + value, 0);
  return [
    `Total sampled: ${summary.totalMs.toFixed(1)} ms. Code of packages loaded from node_modules at run time (the external AWS SDK): ${msUnit(external)} (${((100 * external) / summary.totalMs).toFixed(1)} %); Node's module loaders and path handling (the bundle's ESM load and every CommonJS module from node_modules): ${msUnit(loaders)} (${((100 * loaders) / summary.totalMs).toFixed(1)} %). By module (self time):`,
    '',
    ranking(summary.modules, summary.totalMs, msUnit, top),
    '',
    'By function (self time):',
    '',
    ranking(summary.functions, summary.totalMs, msUnit, top),
  ].join('\n');
}
