import { ms, table } from '../bench/report';
import { percentile } from '../bench/stats';
import { STEPS } from './lifecycle';
import type { LoadReport } from './run-load';

/** Bridge calls and IdP token requests per completed lifecycle. */
const BRIDGE_CALLS = 3;
const TOKEN_REQUESTS = 3;

/** Throughput and latency percentiles per step, as Markdown. */
export function formatLoadReport(report: LoadReport, concurrency: number): string {
  const seconds = report.elapsedMs / 1000;
  const row = (name: string, sample: number[]) => [
    name,
    String(sample.length),
    ...[50, 90, 95, 99].map((p) => ms(percentile(sample, p))),
    ms(Math.max(...sample)),
  ];
  return [
    `${report.completed} of ${report.started} lifecycles completed at concurrency ${concurrency} in ${seconds.toFixed(1)} s: ` +
      `${(report.completed / seconds).toFixed(1)} lifecycles/s, ` +
      `${((report.completed * BRIDGE_CALLS) / seconds).toFixed(0)} bridge requests/s and ` +
      `${((report.completed * TOKEN_REQUESTS) / seconds).toFixed(0)} IdP token requests/s.`,
    '',
    table(
      ['Step', 'n', 'p50', 'p90', 'p95', 'p99', 'max'],
      [...STEPS.map((step) => row(step, report.stepMs[step])), row('whole lifecycle', report.lifecycleMs)],
    ),
  ].join('\n');
}
