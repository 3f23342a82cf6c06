import { describe, expect, it } from '@jest/globals';
import { BRIDGE_BUNDLING, bridgeBundling } from '../../lib/bridge-function';
import { resolveEnvironment } from './bench/bridge-bundle';
import { esbuildOptionsFor } from './bench/esbuild-options';
import { httpClientStyleOf } from './bench/http-client-style';
import { percentile, spread } from './bench/stats';
import { type HeadlineFigures, verdicts } from './bench/targets';

describe('esbuildOptionsFor: the bench bundles as CDK does', () => {
  it("translates the bridge's bundling options option by option", () => {
    expect(esbuildOptionsFor(BRIDGE_BUNDLING, 'functions/bridge/index.ts', '/out')).toEqual({
      entryPoints: ['functions/bridge/index.ts'],
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      outfile: '/out/index.mjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: ['@aws-sdk/*'],
      mainFields: ['module', 'main'],
      banner: { js: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);" },
      legalComments: 'none',
      logLevel: 'warning',
    });
  });

  it("carries a deployment's bundle-time constants (define) over", () => {
    const bundling = bridgeBundling({ idpType: 'okta' });
    expect(esbuildOptionsFor(bundling, 'functions/bridge/index.ts', '/out').define).toEqual(bundling.define);
  });

  it('refuses a bundling option it cannot reproduce, rather than silently differing from CDK', () => {
    expect(() => esbuildOptionsFor({ ...BRIDGE_BUNDLING, keepNames: true }, 'entry.ts', '/out')).toThrow('keepNames');
    expect(() =>
      esbuildOptionsFor({ ...BRIDGE_BUNDLING, esbuildArgs: { '--tree-shaking': 'false' } }, 'entry.ts', '/out'),
    ).toThrow('--tree-shaking');
  });
});

describe('percentile and spread', () => {
  it('uses the nearest rank, whatever the order of the sample', () => {
    const sample = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(sample, 50)).toBe(5);
    expect(percentile(sample, 90)).toBe(9);
    expect(percentile(sample, 99)).toBe(10);
    expect(percentile(sample, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
    expect(spread(sample)).toEqual({ median: 5, min: 1, max: 10 });
  });
});

describe('resolveEnvironment: the template environment with loopback stand-ins', () => {
  it('keeps plain values and replaces each resource reference by its stand-in', () => {
    const template = {
      IDP_TYPE: 'generic',
      KONNECT_API_KEY_SECRET_ARN: { Ref: 'KonnectApiKey856E9392' },
      REGISTRATION_TABLE_NAME: { Ref: 'RegistrationTable5893B56D' },
    };
    expect(
      resolveEnvironment(template, { KONNECT_API_KEY_SECRET_ARN: 'arn:key', REGISTRATION_TABLE_NAME: 'table' }),
    ).toEqual({ IDP_TYPE: 'generic', KONNECT_API_KEY_SECRET_ARN: 'arn:key', REGISTRATION_TABLE_NAME: 'table' });
  });

  it('refuses a reference it has no stand-in for, rather than benching without it', () => {
    expect(() => resolveEnvironment({ NEW_QUEUE_URL: { Ref: 'Queue' } }, {})).toThrow('NEW_QUEUE_URL');
  });
});

describe("httpClientStyleOf: the warm comparison uses the bridge's HTTP client style", () => {
  it('sees fetch() in code, not in comments', () => {
    expect(httpClientStyleOf('const answer = await fetch(url, { method });')).toBe('fetch');
    expect(
      httpClientStyleOf("// unlike fetch(), this\n/* fetch( */ import { send } from './node-http-request';", [
        "const http = process.getBuiltinModule('node:http');",
      ]),
    ).toBe('node:http');
  });

  it('refuses to guess', () => {
    expect(() => httpClientStyleOf('export const x = 1;')).toThrow('--direct-client');
  });
});

describe('verdicts: one line per target', () => {
  const run = (median: number) => ({ median, min: median - 1, max: median + 1 });
  const figures: HeadlineFigures = {
    bundleBytes: 200_000,
    sdkExternal: true,
    otherBundleBytes: 500_000,
    bare: run(25),
    floorA: run(40),
    floorB: run(100),
    bridge: run(125),
    bridgeUntraced: run(120),
    coldRssBytes: 59 * 1024 * 1024,
    createP50Ms: 1.3,
    directP50Ms: 0.3,
    storeP50Ms: 0.7,
    directClient: 'node:http',
    heapInvocations: 100,
    heapBefore: 10,
    heapRightAfter: 10,
    heapAfter: 10,
  };

  it('holds the cold start to floor B, the bundle to the limit of how the SDK ships, and the warm create to both direct requests', () => {
    expect(verdicts(figures).map((v) => v.met)).toEqual([true, false, true, false, true]);
    expect(verdicts({ ...figures, sdkExternal: false })[1]?.met).toBe(true);
    expect(verdicts({ ...figures, bridge: run(131) })[0]?.met).toBe(false);
    expect(verdicts({ ...figures, createP50Ms: 1.2 })[3]?.met).toBe(true);
  });
});
