import { fileURLToPath } from 'node:url';
import type { BenchEvents } from './bench-events';
import { runNode } from './child-process';

const WARM_CHILD = fileURLToPath(new URL('./warm-child.mjs', import.meta.url));

/** How the bridge's IdP client talks HTTP; the direct requests use the same. */
export type HttpClientStyle = 'fetch' | 'node:http';

export interface WarmOptions {
  /** The IdP's initial access token, for the direct requests. */
  idpToken: string;
  directClient: HttpClientStyle;
  warmup: number;
  pairs: number;
  /** 0 skips the heap phase. */
  heapInvocations: number;
  /** Instead of all the above: only this many invocations (create, delete), for a profile. */
  onlyInvocations?: number;
  /** Extra node flags, e.g. a CPU profile. */
  nodeFlags?: string[];
}

export interface WarmResult {
  createMs: number[];
  /** One registration sent directly to the IdP. */
  directMs: number[];
  /** One PutItem of the registration record through the same DynamoDB client, in the same pair. */
  storeMs: number[];
  /** heapUsed after two full GCs, once the warm-up's deadline timers have fired. */
  heapBefore: number;
  /** The same right after the last invocation, its requests' deadline timers still pending. */
  heapRightAfter: number;
  /** The same once those timers have fired too. */
  heapAfter: number;
  maxRssKiB: number;
}

/** Runs warm-child.mjs against the bundle; every create and delete must have succeeded. */
export async function measureWarm(
  bundlePath: string,
  env: NodeJS.ProcessEnv,
  events: BenchEvents,
  options: WarmOptions,
): Promise<WarmResult> {
  const run = await runNode(
    [...(options.nodeFlags ?? []), '--expose-gc', WARM_CHILD, bundlePath],
    {
      ...env,
      BENCH_CREATE_EVENT: JSON.stringify(events.create),
      BENCH_DELETE_EVENT: JSON.stringify(events.remove),
      BENCH_DIRECT_BODY: events.directBody,
      BENCH_IDP_TOKEN: options.idpToken,
      BENCH_DIRECT_CLIENT: options.directClient,
      BENCH_WARMUP: String(options.warmup),
      BENCH_PAIRS: String(options.pairs),
      BENCH_HEAP_INVOCATIONS: String(options.heapInvocations),
      ...(options.onlyInvocations ? { BENCH_ONLY_INVOCATIONS: String(options.onlyInvocations) } : {}),
    },
    600_000,
  );
  const result = run.report as unknown as WarmResult & { failures: number };
  if (result.failures !== 0) throw new Error(`${result.failures} warm requests failed.`);
  return result;
}
