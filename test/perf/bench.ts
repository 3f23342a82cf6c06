import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bridgeBundling } from '../../lib/bridge-function';
import type { BridgeStackProps } from '../../lib/bridge-stack';
import { benchEvents } from './bench/bench-events';
import { buildBridgeBundles, type DeployedFunction, REPO_ROOT, resolveEnvironment } from './bench/bridge-bundle';
import { runNode } from './bench/child-process';
import { type ColdResult, measureColdStarts } from './bench/cold-start';
import { summariseCpuProfile } from './bench/cpu-profile';
import { bridgeHttpClientStyle } from './bench/http-client-style';
import { startInstantIdp } from './bench/instant-idp';
import {
  LOOPBACK_AWS_ENV,
  startLoopbackDynamoDb,
  startLoopbackSecretsManager,
  startXrayDaemonSink,
} from './bench/loopback-aws';
import { kB, mib, ms, profileTables, ranking, table, times } from './bench/report';
import { percentile, spread } from './bench/stats';
import { headlineTable, kongContext, verdictLines } from './bench/targets';
import { type HttpClientStyle, measureWarm } from './bench/warm';

/**
 * `npm run bench`: bundle size, cold start, warm latency, peak RSS and heap of the bridge as the
 * stack deploys it, against issue 10's targets. Prints Markdown. Options: --runs (cold starts per
 * variant), --pairs (timed warm creates), --heap-invocations, --skip-profiles, --direct-client
 * (fetch or node:http; by default read from the bridge's HTTP client).
 */
const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '21' },
    pairs: { type: 'string', default: '5000' },
    'heap-invocations': { type: 'string', default: '20000' },
    'skip-profiles': { type: 'boolean', default: false },
    'direct-client': { type: 'string', default: 'auto' },
  },
});
const RUNS = Number(options.runs);
const PAIRS = Number(options.pairs);
const HEAP_INVOCATIONS = Number(options['heap-invocations']);
const WARMUP = 2000;
const PROFILED_INVOCATIONS = 10_000;
const DIRECT_CLIENT: HttpClientStyle =
  options['direct-client'] === 'auto'
    ? bridgeHttpClientStyle(REPO_ROOT)
    : (options['direct-client'] as HttpClientStyle);
if (DIRECT_CLIENT !== 'fetch' && DIRECT_CLIENT !== 'node:http') {
  throw new Error('--direct-client must be fetch or node:http.');
}

const API_KEY = 'bench_konnect_key_0123456789';
const KEY_SECRET = 'dcr-bridge/konnect-api-key';
const IDP_SECRET = 'dcr-bridge/idp-credentials';
const TABLE_NAME = 'dcr-bridge-registrations';
/** A sampled trace header, as Lambda sets it with active tracing. */
const TRACE_HEADER = 'Root=1-6931b000-0123456789abcdef01234567;Parent=0123456789abcdef;Sampled=1';
const COLD_CHILD = fileURLToPath(new URL('./bench/cold-start-child.mjs', import.meta.url));
const FLOOR_A_CHILD = fileURLToPath(new URL('./bench/http-floor-child.mjs', import.meta.url));
const FLOOR_B_ENTRY = fileURLToPath(new URL('./bench/secret-floor-entry.mjs', import.meta.url));
const STORE_FLOOR_ENTRY = fileURLToPath(new URL('./bench/store-floor-entry.mjs', import.meta.url));
const BARE_RSS_SCRIPT =
  "const s = require('fs').readFileSync('/proc/self/status', 'utf8'); require('fs').writeSync(3, JSON.stringify({ maxRssKiB: Number(/VmHWM:\\s+(\\d+)/.exec(s)[1]) }))";

const loadAtStart = loadavg()[0] as number;
const log = (text = '') => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

const idp = await startInstantIdp();
const secretsManager = await startLoopbackSecretsManager({
  [KEY_SECRET]: API_KEY,
  [IDP_SECRET]: JSON.stringify({ initial_access_token: idp.initialAccessToken }),
});
const dynamoDb = await startLoopbackDynamoDb(TABLE_NAME);
const xray = await startXrayDaemonSink();
progress('bundling (CDK synth of the stack with esbuild, and esbuild with the same options)');
// The stack as deployed by default (generic adapter, tracing on), then with tracing off, then with
// the opt-in X-Ray subsegments. The first one's bundling options are checked byte for byte.
const stackProps: BridgeStackProps = { idpType: 'generic', idpRegistrationEndpoint: idp.registrationEndpoint };
const bundling = bridgeBundling({ idpType: 'generic' });
const bundles = await buildBridgeBundles(
  [stackProps, { ...stackProps, tracing: false }, { ...stackProps, tracingSubsegments: true }],
  bundling,
);
const [traced, untraced, subsegments] = bundles.functions as [DeployedFunction, DeployedFunction, DeployedFunction];
const profileDir = mkdtempSync(join(tmpdir(), 'dcr-bridge-profile-'));
try {
  const floorB = await bundles.bundleLikeTheBridge(FLOOR_B_ENTRY, 'secret-floor');
  const storeFloor = await bundles.bundleLikeTheBridge(STORE_FLOOR_ENTRY, 'store-floor');
  const events = benchEvents(API_KEY);
  /**
   * What the function's process sees on Lambda: the runtime's own variables, then the template's
   * environment with the secrets and the table served by the loopback stand-ins.
   */
  const lambdaEnv = (fn: DeployedFunction): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    ...LOOPBACK_AWS_ENV,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    AWS_LAMBDA_FUNCTION_NAME: 'dcr-bridge-bench',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: dirname(fn.path),
    _HANDLER: 'index.handler',
    TZ: ':UTC',
    _X_AMZN_TRACE_ID: TRACE_HEADER,
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: xray.address,
    ...resolveEnvironment(fn.environment, {
      KONNECT_API_KEY_SECRET_ARN: secretsManager.arns[KEY_SECRET] as string,
      IDP_CREDENTIALS_SECRET_ARN: secretsManager.arns[IDP_SECRET] as string,
      REGISTRATION_TABLE_NAME: TABLE_NAME,
    }),
  });
  const tracedEnv = lambdaEnv(traced);
  const untracedEnv = lambdaEnv(untraced);
  const subsegmentsEnv = lambdaEnv(subsegments);
  const withEvent = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => ({
    ...env,
    BENCH_EVENT: JSON.stringify(events.create),
  });
  const coldEnv = withEvent(tracedEnv);
  const { NODE_OPTIONS: _sourceMaps, ...coldEnvWithoutNodeOptions } = coldEnv;
  const floorArgs = [idp.registrationEndpoint, idp.initialAccessToken];
  const bareNode = { name: 'bare `node -e 0`', args: ['-e', '0'], env: coldEnv };
  const floorA = {
    name: 'floor A: node + one node:http registration POST (getBuiltinModule)',
    args: [FLOOR_A_CHILD, ...floorArgs],
    env: coldEnv,
  };
  const floorBRow = {
    name: 'floor B: floor A + one GetSecretValue (@aws-sdk/client-secrets-manager, bundled like the bridge)',
    args: [floorB.path, ...floorArgs],
    env: coldEnv,
  };
  const storeFloorRow = {
    name: 'floor B + one PutItem (@aws-sdk/client-dynamodb, bundled like the bridge)',
    args: [storeFloor.path, ...floorArgs],
    env: coldEnv,
  };
  const deployedBridge = {
    name: 'bridge as deployed (tracing on, the default)',
    args: [COLD_CHILD, traced.path],
    env: coldEnv,
  };
  const untracedBridge = {
    name: 'bridge as deployed with tracing: false',
    args: [COLD_CHILD, untraced.path],
    env: withEvent(untracedEnv),
  };
  const subsegmentsBridge = {
    name: 'bridge with tracingSubsegments: true (X-Ray SDK in the bundle)',
    args: [COLD_CHILD, subsegments.path],
    env: withEvent(subsegmentsEnv),
  };
  const sdkExternal = (bundling.externalModules ?? []).length > 0;
  const variants = [
    bareNode,
    floorA,
    floorBRow,
    storeFloorRow,
    deployedBridge,
    untracedBridge,
    subsegmentsBridge,
    {
      name: 'bridge as deployed, without NODE_OPTIONS=--enable-source-maps',
      args: [COLD_CHILD, traced.path],
      env: coldEnvWithoutNodeOptions,
    },
    {
      name: `bridge with the AWS SDK ${sdkExternal ? 'bundled' : 'external'} (not shipped)`,
      args: [COLD_CHILD, bundles.other.path],
      env: coldEnv,
    },
  ];
  progress(`cold starts: ${RUNS} runs of ${variants.length} variants`);
  const readsBefore = secretsManager.reads();
  const cold = await measureColdStarts(variants, RUNS);
  const secretReads = secretsManager.reads() - readsBefore;
  const tracedSegments = xray.datagrams();
  const coldOf = (variant: { name: string }) => spread((cold.get(variant.name) as ColdResult).wallMs);
  const coldRss = percentile((cold.get(deployedBridge.name) as ColdResult).maxRssKiB, 50) * 1024;
  // `node -e 0` reports nothing; the same process that only reports its peak RSS stands in for it.
  const bareRssRuns = await Promise.all(
    [0, 1, 2].map(() => runNode(['-e', BARE_RSS_SCRIPT], coldEnv).then((run) => run.report.maxRssKiB as number)),
  );
  const bareRss = percentile(bareRssRuns, 50) * 1024;

  progress(`warm: ${WARMUP} warm-up creates, ${PAIRS} timed pairs, ${HEAP_INVOCATIONS} invocations for the heap`);
  const warmOptions = { idpToken: idp.initialAccessToken, directClient: DIRECT_CLIENT };
  const warm = await measureWarm(traced.path, tracedEnv, events, {
    ...warmOptions,
    warmup: WARMUP,
    pairs: PAIRS,
    heapInvocations: HEAP_INVOCATIONS,
  });
  const warmAt = (p: number) =>
    [percentile(warm.createMs, p), percentile(warm.directMs, p), percentile(warm.storeMs, p)] as const;
  const figures = {
    bundleBytes: bundles.deployed.bytes,
    sdkExternal,
    otherBundleBytes: bundles.other.bytes,
    bare: coldOf(bareNode),
    floorA: coldOf(floorA),
    floorB: coldOf(floorBRow),
    bridge: coldOf(deployedBridge),
    bridgeUntraced: coldOf(untracedBridge),
    coldRssBytes: coldRss,
    createP50Ms: warmAt(50)[0],
    directP50Ms: warmAt(50)[1],
    storeP50Ms: warmAt(50)[2],
    directClient: DIRECT_CLIENT,
    heapInvocations: HEAP_INVOCATIONS,
    heapBefore: warm.heapBefore,
    heapRightAfter: warm.heapRightAfter,
    heapAfter: warm.heapAfter,
  };

  log(`# dcr-bridge benchmark`);
  log();
  log(
    `Node ${process.version}, ${process.platform} ${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${new Date().toISOString()}. Options: --runs ${RUNS} --pairs ${PAIRS} --heap-invocations ${HEAP_INVOCATIONS}${options['skip-profiles'] ? ' --skip-profiles' : ''}; direct requests by ${DIRECT_CLIENT}${options['direct-client'] === 'auto' ? ' (read from functions/commons/http-client.ts)' : ''}. Load average (1 min) ${loadAtStart.toFixed(2)} at the start, ${(loadavg()[0] as number).toFixed(2)} at the end.`,
  );
  log(
    `Bundle: CDK's own asset of the bridge function of BridgeStack (idpType generic; lib/bridge-function.ts, bridgeBundling); esbuild with the same options wrote ${bundles.identical ? 'the identical bytes' : 'DIFFERENT bytes (the analysis below may not describe the asset)'}. Sizes exclude the source map (${kB(bundles.deployed.mapBytes)}, shipped next to it).`,
  );
  log();
  log(headlineTable(figures));
  log();
  log(verdictLines(figures));
  log();
  log(kongContext());
  log();
  log(`## Cold start`);
  log();
  log(
    `${RUNS} runs per row, a fresh process each, round-robin after one unrecorded round; wall time from spawn to exit. Ratios divide medians; a range divides each run by the other row's median. The bridge rows load the bundle, answer one create (POST /) and exit. Environment: the function's as the synthesized template sets it (${Object.keys(
      traced.environment,
    ).join(
      ', ',
    )}), the secret ARNs and the table name pointing at loopback stand-ins; Lambda's own variables (AWS_EXECUTION_ENV, LAMBDA_TASK_ROOT, a sampled _X_AMZN_TRACE_ID, AWS_XRAY_DAEMON_ADDRESS, dummy credentials and region). So the first create reads the Konnect key secret and the IdP credentials secret through the real SDK client from a loopback Secrets Manager (${secretReads} GetSecretValue answered during the cold rounds), registers at an instant loopback RFC 7591 IdP, and writes its record through the real DynamoDB client to dynalite; with tracing on, the X-Ray SDK (only in the tracingSubsegments row) sent ${tracedSegments} segment datagrams to a loopback daemon address.`,
  );
  log();
  log(
    table(
      ['Process', 'Median', 'Range', '× floor B', '× floor A', '× bare node', 'Peak RSS (median)'],
      variants.map(({ name }) => {
        const result = cold.get(name) as ColdResult;
        const { median, min, max } = spread(result.wallMs);
        const rss = mib(result.maxRssKiB.length > 0 ? percentile(result.maxRssKiB, 50) * 1024 : bareRss);
        return [
          name,
          ms(median),
          `${ms(min)}–${ms(max)}`,
          times(median / figures.floorB.median),
          times(median / figures.floorA.median),
          times(median / figures.bare.median),
          rss,
        ];
      }),
    ),
  );
  log();
  log(`## Warm`);
  log();
  log(
    `One process as a warm container, in the same environment as the deployed cold row (the secrets stay cached, every create writes its record to dynalite, every delete reads and removes it): ${WARMUP} creates to warm up, then ${PAIRS} creates through the handler interleaved with ${PAIRS} direct registrations at the same IdP by ${DIRECT_CLIENT}${DIRECT_CLIENT === 'node:http' ? ' (one keep-alive agent)' : ''}, each followed by a PutItem of the same record through the same DynamoDB client, timed apart (every create and direct registration is removed again, untimed); then ${HEAP_INVOCATIONS.toLocaleString('en')} invocations (create, delete) to reach a steady state and ${HEAP_INVOCATIONS.toLocaleString('en')} more between the two heap readings. The heap is read after forced full GCs, once the deadline timers (IDP_TIMEOUT_MS) armed by earlier requests have fired. Peak RSS of that process: ${mib(warm.maxRssKiB * 1024)}.`,
  );
  log();
  log(
    table(
      ['', 'p50', 'p95', 'p99'],
      [
        ['create through the handler', ...[50, 95, 99].map((p) => ms(warmAt(p)[0]))],
        [`direct registration at the IdP (${DIRECT_CLIENT})`, ...[50, 95, 99].map((p) => ms(warmAt(p)[1]))],
        ['PutItem of its record (SDK, dynalite)', ...[50, 95, 99].map((p) => ms(warmAt(p)[2]))],
        [
          'create × (registration + PutItem)',
          ...[50, 95, 99].map((p) => times(warmAt(p)[0] / (warmAt(p)[1] + warmAt(p)[2]))),
        ],
        ['create × registration alone', ...[50, 95, 99].map((p) => times(warmAt(p)[0] / warmAt(p)[1]))],
      ],
    ),
  );
  log();
  log(`## Where the bytes go`);
  log();
  log(`The deployed bundle (AWS SDK ${sdkExternal ? 'external' : 'bundled'}) by package, from esbuild's metafile:`);
  log();
  log(ranking(bundles.deployed.packages, bundles.deployed.bytes, kB));

  if (!options['skip-profiles']) {
    progress(`CPU profiles of one cold create and of ${PROFILED_INVOCATIONS} warm invocations`);
    await runNode(['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'cold')}`, COLD_CHILD, traced.path], coldEnv);
    await measureWarm(traced.path, tracedEnv, events, {
      ...warmOptions,
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
      `\`node --cpu-prof\` of one cold create as deployed (tracing on), in the environment above (frames in the bundle mapped through its source map).`,
    );
    log();
    log(profileTables(summariseCpuProfile(profileIn('cold'), traced.path)));
    log();
    log(`## Where the warm time goes`);
    log();
    log(
      `\`node --cpu-prof\` of a process answering ${PROFILED_INVOCATIONS.toLocaleString('en')} invocations (create, delete) one after another, as deployed; idle = waiting for the IdP and dynalite.`,
    );
    log();
    log(profileTables(summariseCpuProfile(profileIn('warm'), traced.path)));
  }
} finally {
  bundles.cleanup();
  rmSync(profileDir, { recursive: true, force: true });
  await Promise.all([idp.close(), secretsManager.close(), dynamoDb.close(), xray.close()]);
}
