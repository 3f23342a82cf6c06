import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchEvents } from './bench/bench-events';
import { buildBridgeBundles } from './bench/bridge-bundle';
import { runNode } from './bench/child-process';
import { type ColdResult, measureColdStarts } from './bench/cold-start';
import { summariseCpuProfile } from './bench/cpu-profile';
import { startInstantIdp } from './bench/instant-idp';
import { kB, mib, ms, profileTables, ranking, table, times } from './bench/report';
import { percentile, spread } from './bench/stats';
import { headlineTable } from './bench/targets';
import { measureWarm } from './bench/warm';

/**
 * `npm run bench`: bundle size, cold start, warm latency, peak RSS and heap of the bridge bundled
 * exactly as CDK bundles it, against the targets of issue 5 and Kong's reference bridge.
 * Prints Markdown. Options: --runs (cold starts per variant), --pairs (timed warm creates),
 * --heap-invocations, --skip-profiles.
 */
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    pairs: { type: 'string', default: '5000' },
    'heap-invocations': { type: 'string', default: '20000' },
    'skip-profiles': { type: 'boolean', default: false },
  },
});
const RUNS = Number(options.runs);
const PAIRS = Number(options.pairs);
const HEAP_INVOCATIONS = Number(options['heap-invocations']);
const WARMUP = 2000;
const PROFILED_INVOCATIONS = 10_000;

const API_KEY = 'bench_konnect_key_0123456789';
const COLD_CHILD = fileURLToPath(new URL('./bench/cold-start-child.mjs', import.meta.url));
const FLOOR_CHILD = fileURLToPath(new URL('./bench/fetch-floor-child.mjs', import.meta.url));
const HTTP_FLOOR_CHILD = fileURLToPath(new URL('./bench/http-floor-child.mjs', import.meta.url));
const BARE_RSS_SCRIPT =
  "const s = require('fs').readFileSync('/proc/self/status', 'utf8'); require('fs').writeSync(3, JSON.stringify({ maxRssKiB: Number(/VmHWM:\\s+(\\d+)/.exec(s)[1]) }))";

const log = (text = '') => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

progress('bundling (CDK synth with esbuild, and esbuild with the same options)');
const bundles = await buildBridgeBundles();
const idp = await startInstantIdp();
const profileDir = mkdtempSync(join(tmpdir(), 'dcr-bridge-profile-'));
try {
  const events = benchEvents(API_KEY);
  // The function's environment as CDK sets it, configured from variables instead of AWS resources.
  const lambdaEnv: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    ...bundles.environment,
    KONNECT_API_KEYS: API_KEY,
    IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
    IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
  const coldEnv: NodeJS.ProcessEnv = { ...lambdaEnv, BENCH_EVENT: JSON.stringify(events.create) };
  const { NODE_OPTIONS: _sourceMaps, ...coldEnvWithoutNodeOptions } = coldEnv;
  const bareNode = { name: 'bare `node -e 0`', args: ['-e', '0'], env: coldEnv };
  const deployedBridge = { name: 'bridge as deployed', args: [COLD_CHILD, bundles.deployed.path], env: coldEnv };
  const variants = [
    bareNode,
    {
      name: 'node + one fetch() to the IdP (floor of any fetch-based bridge)',
      args: [FLOOR_CHILD, idp.registrationEndpoint, idp.initialAccessToken],
      env: coldEnv,
    },
    {
      name: 'node + one node:http request to the IdP (getBuiltinModule)',
      args: [HTTP_FLOOR_CHILD, idp.registrationEndpoint, idp.initialAccessToken],
      env: coldEnv,
    },
    deployedBridge,
    {
      name: 'bridge as deployed, without NODE_OPTIONS=--enable-source-maps',
      args: [COLD_CHILD, bundles.deployed.path],
      env: coldEnvWithoutNodeOptions,
    },
    { name: 'bridge with the AWS SDK bundled', args: [COLD_CHILD, bundles.withSdk.path], env: coldEnv },
  ];
  progress(`cold starts: ${RUNS} runs of ${variants.length} variants`);
  const cold = await measureColdStarts(variants, RUNS);
  const coldOf = (variant: { name: string }) => cold.get(variant.name) as ColdResult;
  const bare = spread(coldOf(bareNode).wallMs);
  const deployed = spread(coldOf(deployedBridge).wallMs);
  const coldRss = percentile(coldOf(deployedBridge).maxRssKiB, 50) * 1024;
  // `node -e 0` reports nothing; the same process that only reports its peak RSS stands in for it.
  const bareRssRuns = await Promise.all(
    [0, 1, 2].map(() => runNode(['-e', BARE_RSS_SCRIPT], coldEnv).then((run) => run.report.maxRssKiB as number)),
  );
  const bareRss = percentile(bareRssRuns, 50) * 1024;

  progress(`warm: ${WARMUP} warm-up creates, ${PAIRS} timed pairs, ${HEAP_INVOCATIONS} invocations for the heap`);
  const warm = await measureWarm(bundles.deployed.path, lambdaEnv, events, {
    warmup: WARMUP,
    pairs: PAIRS,
    heapInvocations: HEAP_INVOCATIONS,
  });
  const warmAt = (p: number) => [percentile(warm.createMs, p), percentile(warm.directMs, p)] as const;

  log(`# dcr-bridge benchmark`);
  log();
  log(
    `Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${new Date().toISOString()}.`,
  );
  log(
    `Bundle: CDK's own asset of BridgeFunction (lib/bridge-function.ts, BRIDGE_BUNDLING); esbuild with the same options wrote ${bundles.identical ? 'the identical bytes' : 'DIFFERENT bytes (the analysis below may not describe the asset)'}. Sizes exclude the source map (${kB(bundles.deployed.mapBytes)}, shipped next to it).`,
  );
  log();
  log(
    headlineTable({
      bundleBytes: bundles.deployed.bytes,
      bundleWithSdkBytes: bundles.withSdk.bytes,
      bare,
      bridge: deployed,
      coldRssBytes: coldRss,
      createP50Ms: warmAt(50)[0],
      directP50Ms: warmAt(50)[1],
      heapInvocations: HEAP_INVOCATIONS,
      heapBefore: warm.heapBefore,
      heapRightAfter: warm.heapRightAfter,
      heapAfter: warm.heapAfter,
    }),
  );
  log();
  log(`## Cold start`);
  log();
  log(
    `${RUNS} runs per row, a fresh process each, round-robin; wall time from spawn to exit. The bridge rows load the bundle, answer one create (POST /) against an instant loopback RFC 7591 IdP and exit. Environment: the function's as CDK sets it (${Object.keys(
      bundles.environment,
    ).join(
      ', ',
    )}), with KONNECT_API_KEYS, IDP_REGISTRATION_ENDPOINT, IDP_INITIAL_ACCESS_TOKEN and POWERTOOLS_TRACE_ENABLED=false; no registration table (in-memory store), no Secrets Manager.`,
  );
  log();
  log(
    table(
      ['Process', 'Median', 'Range', '× bare node (median)', 'Peak RSS (median)'],
      variants.map(({ name }) => {
        const result = cold.get(name) as ColdResult;
        const { median, min, max } = spread(result.wallMs);
        const rss = mib(result.maxRssKiB.length > 0 ? percentile(result.maxRssKiB, 50) * 1024 : bareRss);
        return [name, ms(median), `${ms(min)}–${ms(max)}`, times(median / bare.median), rss];
      }),
    ),
  );
  log();
  log(`## Warm`);
  log();
  log(
    `One process as a warm container: ${WARMUP} creates to warm up, then ${PAIRS} creates through the handler interleaved with ${PAIRS} direct fetch() registrations at the same IdP (each followed by an untimed delete), then ${HEAP_INVOCATIONS.toLocaleString('en')} invocations (create, delete) to reach a steady state and ${HEAP_INVOCATIONS.toLocaleString('en')} more between the two heap readings. The heap is read after forced full GCs, once the deadline timers (IDP_TIMEOUT_MS) armed by earlier requests have fired. Peak RSS of that process: ${mib(warm.maxRssKiB * 1024)}.`,
  );
  log();
  log(
    table(
      ['', 'p50', 'p95', 'p99'],
      [
        ['create through the handler', ...[50, 95, 99].map((p) => ms(warmAt(p)[0]))],
        ['direct request to the IdP', ...[50, 95, 99].map((p) => ms(warmAt(p)[1]))],
        ['ratio', ...[50, 95, 99].map((p) => times(warmAt(p)[0] / warmAt(p)[1]))],
      ],
    ),
  );
  log();
  log(`## Where the bytes go`);
  log();
  log(`The deployed bundle (AWS SDK external) by package, from esbuild's metafile:`);
  log();
  log(ranking(bundles.deployed.packages, bundles.deployed.bytes, kB));

  if (!options['skip-profiles']) {
    progress(`CPU profiles of one cold create and of ${PROFILED_INVOCATIONS} warm invocations`);
    await runNode(
      ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'cold')}`, COLD_CHILD, bundles.deployed.path],
      coldEnv,
    );
    await measureWarm(bundles.deployed.path, lambdaEnv, events, {
      warmup: 0,
      pairs: 0,
      heapInvocations: 0,
      onlyInvocations: PROFILED_INVOCATIONS,
      nodeFlags: ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'warm')}`],
    });
    const profileIn = (dir: string) => join(profileDir, dir, readdirSync(join(profileDir, dir))[0] as string);
    log();
    log(`## Where the cold start goes`);
    log();
    log(
      `\`node --cpu-prof\` of one cold create of the deployed bundle (frames in the bundle mapped through its source map).`,
    );
    log();
    log(profileTables(summariseCpuProfile(profileIn('cold'), bundles.deployed.path)));
    log();
    log(`## Where the warm time goes`);
    log();
    log(
      `\`node --cpu-prof\` of a process answering ${PROFILED_INVOCATIONS.toLocaleString('en')} invocations (create, delete) one after another; idle = waiting for the IdP.`,
    );
    log();
    log(profileTables(summariseCpuProfile(profileIn('warm'), bundles.deployed.path)));
  }
} finally {
  await idp.close();
  bundles.cleanup();
  rmSync(profileDir, { recursive: true, force: true });
}
