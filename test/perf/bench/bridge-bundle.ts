import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { build, type Metafile } from 'esbuild';
import { BRIDGE_BUNDLING, BRIDGE_ENTRY, BridgeFunction } from '../../../lib/bridge-function';
import { esbuildOptionsFor } from './esbuild-options';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface BuiltBundle {
  /** The bundle's entry file (index.mjs); its source map lies next to it. */
  path: string;
  bytes: number;
  mapBytes: number;
  /** Bytes in the bundle per npm package (or per source folder of the bridge), largest first. */
  packages: Array<[string, number]>;
}

export interface BridgeBundles {
  /** CDK's own asset, as deployed: the AWS SDK stays an import, served by the Lambda runtime. */
  deployed: BuiltBundle;
  /** The same options with the AWS SDK bundled too. */
  withSdk: BuiltBundle;
  /** Whether esbuild with BRIDGE_BUNDLING wrote exactly the bytes of CDK's asset. */
  identical: boolean;
  /** The function's environment variables as the construct sets them. */
  environment: Record<string, string>;
  cleanup(): void;
}

/**
 * Synthesizes the BridgeFunction construct with real bundling (CDK runs esbuild) and builds the
 * same entry with the same options through esbuild's API, for the metafile. The two outputs are
 * compared byte for byte, which proves the analysis describes the deployed bundle.
 */
export async function buildBridgeBundles(): Promise<BridgeBundles> {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-bridge-bench-'));
  // The deployed bundle imports @aws-sdk/*: resolve it from the repository, as Lambda would from its runtime.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const cdkOut = join(dir, 'cdk.out');
  const { assetDir, environment } = synthesize(cdkOut);
  const entry = relative(REPO_ROOT, BRIDGE_ENTRY);
  const same = await esbuildBundle({ ...BRIDGE_BUNDLING }, entry, join(dir, 'esbuild'));
  const withSdk = await esbuildBundle({ ...BRIDGE_BUNDLING, externalModules: [] }, entry, join(dir, 'with-sdk'));
  const deployedPath = join(assetDir, 'index.mjs');
  return {
    deployed: { ...same, path: deployedPath, bytes: size(deployedPath), mapBytes: size(`${deployedPath}.map`) },
    withSdk,
    identical: readFileSync(deployedPath).equals(readFileSync(same.path)),
    environment,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function synthesize(outdir: string): { assetDir: string; environment: Record<string, string> } {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  // Asset metadata names the bundled asset's directory on the function resource.
  const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true } });
  new BridgeFunction(new Stack(app, 'DcrBridgeBench'), 'Bridge');
  app.synth();
  const template = JSON.parse(readFileSync(join(outdir, 'DcrBridgeBench.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: CfnFunctionProperties }>;
  };
  const fn = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::Lambda::Function');
  const assetPath = fn?.Metadata?.['aws:asset:path'];
  if (!fn || !assetPath) throw new Error('The synthesized template has no bundled function.');
  return { assetDir: join(outdir, assetPath), environment: fn.Properties.Environment?.Variables ?? {} };
}

interface CfnFunctionProperties {
  Environment?: { Variables?: Record<string, string> };
}

async function esbuildBundle(bundling: typeof BRIDGE_BUNDLING, entry: string, outdir: string): Promise<BuiltBundle> {
  mkdirSync(outdir, { recursive: true });
  // CDK runs esbuild from the project root with the entry relative to it; so does the bench.
  const result = await build({
    ...esbuildOptionsFor(bundling, entry, outdir),
    absWorkingDir: REPO_ROOT,
    metafile: true,
  });
  const path = join(outdir, 'index.mjs');
  return { path, bytes: size(path), mapBytes: size(`${path}.map`), packages: packagesOf(result.metafile, path) };
}

/** Output bytes per npm package, or per `functions/<folder>` for the bridge's own code. */
function packagesOf(metafile: Metafile, outputPath: string): Array<[string, number]> {
  const output = Object.entries(metafile.outputs).find(([file]) => join(REPO_ROOT, file) === outputPath)?.[1];
  if (!output) throw new Error('The esbuild metafile does not describe the bundle.');
  const totals = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1] ?? dirname(input);
    totals.set(key, (totals.get(key) ?? 0) + bytesInOutput);
  }
  return [...totals].sort((a, b) => b[1] - a[1]);
}

const size = (path: string) => statSync(path).size;
