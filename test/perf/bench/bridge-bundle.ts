import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type Metafile } from 'esbuild';
import { BRIDGE_ENTRY } from '../../../lib/bridge-function';
import { BridgeStack, type BridgeStackProps } from '../../../lib/bridge-stack';
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

/** The bridge function of a synthesized BridgeStack: its asset and what the template gives it. */
export interface DeployedFunction {
  /** index.mjs of CDK's asset. */
  path: string;
  /** The function's environment variables in the template; resource names and ARNs are `{"Ref"}`s. */
  environment: Record<string, unknown>;
  memorySize: number;
}

export interface BridgeBundles {
  /** CDK's own asset of the first stack variant, as deployed, with the metafile's analysis. */
  deployed: BuiltBundle;
  /** The bridge function of each stack variant, in order. */
  functions: DeployedFunction[];
  /** The same options with the AWS SDK shipped the other way (bundled if the deployed one leaves it external). */
  other: BuiltBundle;
  /** Whether esbuild with `bundling` wrote exactly the bytes of CDK's asset of the first variant. */
  identical: boolean;
  /** Builds another entry with the same bundling options into the same directory (for the floors). */
  bundleLikeTheBridge(entry: string, name: string): Promise<BuiltBundle>;
  cleanup(): void;
}

/**
 * Synthesizes the whole BridgeStack once per variant of its props, with real bundling (CDK runs
 * esbuild), and builds the same entry with `bundling` (what CDK was given for the first variant)
 * through esbuild's API, for the metafile. The outputs are compared byte for byte, which proves
 * the analysis describes the deployed bundle.
 */
export async function buildBridgeBundles(
  variants: BridgeStackProps[],
  bundling: BundlingOptions,
): Promise<BridgeBundles> {
  const dir = mkdtempSync(join(tmpdir(), 'dcr-bridge-bench-'));
  // The deployed bundle imports @aws-sdk/*: resolve it from the repository, as Lambda would from its runtime.
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const functions = synthesize(join(dir, 'cdk.out'), variants);
  const first = functions[0] as DeployedFunction;
  const entry = relative(REPO_ROOT, BRIDGE_ENTRY);
  const same = await esbuildBundle(bundling, entry, join(dir, 'esbuild'));
  const sdkExternal = (bundling.externalModules ?? []).length > 0;
  const other = await esbuildBundle(
    { ...bundling, externalModules: sdkExternal ? [] : ['@aws-sdk/*'] },
    entry,
    join(dir, 'other'),
  );
  return {
    deployed: { ...same, path: first.path, bytes: size(first.path), mapBytes: size(`${first.path}.map`) },
    functions,
    other,
    identical: readFileSync(first.path).equals(readFileSync(same.path)),
    bundleLikeTheBridge: (otherEntry, name) =>
      esbuildBundle(bundling, relative(REPO_ROOT, otherEntry), join(dir, name)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

function synthesize(outdir: string, variants: BridgeStackProps[]): DeployedFunction[] {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
  // Asset metadata names the bundled asset's directory on the function resource.
  const app = new App({ outdir, context: { ...cdkJson.context, 'aws:cdk:enable-asset-metadata': true } });
  const names = variants.map((props, index) => {
    const name = `DcrBridgeBench${index}`;
    new BridgeStack(app, name, props);
    return name;
  });
  app.synth();
  return names.map((name) => {
    const template = JSON.parse(readFileSync(join(outdir, `${name}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: Record<string, string>; Properties: CfnFunctionProperties }>;
    };
    // The bridge is the function whose bundled asset has index.handler (not a custom resource's).
    const fn = Object.values(template.Resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' &&
        resource.Properties.Handler === 'index.handler' &&
        resource.Metadata?.['aws:asset:path'],
    );
    const assetPath = fn?.Metadata?.['aws:asset:path'];
    if (!fn || !assetPath) throw new Error('The synthesized template has no bundled bridge function.');
    return {
      path: join(outdir, assetPath, 'index.mjs'),
      environment: fn.Properties.Environment?.Variables ?? {},
      memorySize: fn.Properties.MemorySize ?? 128,
    };
  });
}

interface CfnFunctionProperties {
  Handler?: string;
  MemorySize?: number;
  Environment?: { Variables?: Record<string, unknown> };
}

/**
 * The template's environment with its resource references (`{"Ref": ...}`, `{"Fn::GetAtt"}`)
 * replaced by the loopback stand-ins named for each variable; throws on any other non-string
 * value, so a new reference in the template cannot silently go missing from the bench.
 */
export function resolveEnvironment(
  template: Record<string, unknown>,
  standIns: Record<string, string>,
): Record<string, string> {
  const resolved: Record<string, string> = {};
  for (const [name, value] of Object.entries(template)) {
    if (typeof value === 'string') resolved[name] = value;
    else if (name in standIns) resolved[name] = standIns[name] as string;
    else throw new Error(`The bench has no stand-in for ${name} (${JSON.stringify(value)}) in the template.`);
  }
  return resolved;
}

async function esbuildBundle(bundling: BundlingOptions, entry: string, outdir: string): Promise<BuiltBundle> {
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
