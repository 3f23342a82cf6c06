import type { BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';

/** The bundling options this translation knows; anything else would make the bench diverge from CDK. */
const KNOWN = new Set([
  'format',
  'minify',
  'sourceMap',
  'sourcesContent',
  'target',
  'mainFields',
  'banner',
  'externalModules',
  'esbuildArgs',
  'define',
]);

/** esbuild CLI flags CDK passes through `esbuildArgs` that this translation knows. */
const KNOWN_ARGS: Record<string, (value: string | boolean | string[]) => BuildOptions> = {
  '--legal-comments': (value) => ({ legalComments: value as BuildOptions['legalComments'] }),
};

/**
 * The esbuild build options equivalent to the CLI call CDK's NodejsFunction makes for these
 * bundling options (aws-cdk-lib/aws-lambda-nodejs/lib/bundling.js, buildEsbuildArgs): bundle the
 * entry for node, write index.mjs (ESM) or index.js. Throws on an option it does not translate.
 */
export function esbuildOptionsFor(bundling: BundlingOptions, entry: string, outdir: string): BuildOptions {
  const unknown = Object.keys(bundling).filter(
    (key) => bundling[key as keyof BundlingOptions] !== undefined && !KNOWN.has(key),
  );
  if (unknown.length > 0) throw new Error(`The bench cannot reproduce the bundling option(s) ${unknown.join(', ')}.`);
  const fromArgs = Object.entries(bundling.esbuildArgs ?? {}).map(([flag, value]) => {
    // `--alias:from=to`: one alias per flag.
    if (flag.startsWith('--alias:')) return { alias: { [flag.slice('--alias:'.length)]: String(value) } };
    const translate = KNOWN_ARGS[flag];
    if (!translate) throw new Error(`The bench cannot reproduce the esbuild argument ${flag}.`);
    return translate(value);
  });
  // CDK would fill these in from the runtime and a feature flag; the bridge sets both itself.
  if (!bundling.target || !bundling.externalModules) throw new Error('The bench needs target and externalModules set.');
  const esm = bundling.format === 'esm';
  return Object.assign(
    {
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      target: bundling.target,
      format: bundling.format,
      outfile: `${outdir}/${esm ? 'index.mjs' : 'index.js'}`,
      minify: bundling.minify ?? false,
      sourcemap: bundling.sourceMap ?? false,
      sourcesContent: bundling.sourcesContent ?? true,
      external: bundling.externalModules,
      mainFields: bundling.mainFields,
      banner: bundling.banner ? { js: bundling.banner } : undefined,
      define: bundling.define,
      logLevel: 'warning',
    } satisfies BuildOptions,
    ...fromArgs,
    // Several --alias flags make one alias map.
    ...(fromArgs.some((options) => options.alias)
      ? [{ alias: Object.assign({}, ...fromArgs.map((options) => options.alias ?? {})) }]
      : []),
  );
}
