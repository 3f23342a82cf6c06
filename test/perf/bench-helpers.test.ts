import { describe, expect, it } from '@jest/globals';
import { BRIDGE_BUNDLING } from '../../lib/bridge-function';
import { esbuildOptionsFor } from './bench/esbuild-options';
import { percentile, spread } from './bench/stats';

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
