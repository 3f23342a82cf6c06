// One cold start, in a fresh node process: load the bundle, answer one API Gateway event, exit.
// Plain JavaScript on purpose: a TypeScript loader would add its own start-up time to the figure.
// argv: <bundle path>; env: BENCH_EVENT (the event as JSON) and the bridge's own settings.
// Reports on fd 3: {"status", "importMs", "invokeMs", "maxRssKiB"}.
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const startedAt = performance.now();
const { handler } = await import(pathToFileURL(process.argv[2]).href);
const importedAt = performance.now();
const result = await handler(JSON.parse(process.env.BENCH_EVENT), {
  awsRequestId: 'bench-cold-start',
  functionName: 'dcr-bridge-bench',
  functionVersion: '$LATEST',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
  getRemainingTimeInMillis: () => 12_000,
});
const answeredAt = performance.now();
writeSync(
  3,
  JSON.stringify({
    status: result.statusCode,
    importMs: importedAt - startedAt,
    invokeMs: answeredAt - importedAt,
    maxRssKiB: peakRssKiB(),
  }),
);
// Kept-alive IdP sockets would hold the process open; Lambda freezes it instead.
process.exit(0);

/**
 * Peak RSS of this process in KiB. VmHWM, because getrusage's maxRSS survives exec on Linux and
 * would report the (larger) bench process that spawned this one.
 */
function peakRssKiB() {
  const status = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return status ? Number(status[1]) : process.resourceUsage().maxRSS;
}
