import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';

/** The Lambda's entry, as lib/bridge-function.ts bundles it. */
const BRIDGE_ENTRY = fileURLToPath(new URL('../../../functions/bridge/index.ts', import.meta.url));

const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The npm packages the Lambda bundle imports at run time (type-only imports are gone by then). */
async function packagesTheLambdaImports(): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [BRIDGE_ENTRY],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const imported = Object.values(metafile.inputs)
    .flatMap((input) => input.imports)
    .filter((entry) => entry.external && !entry.path.startsWith('node:'))
    .map((entry) => entry.path.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[0] ?? entry.path);
  return [...new Set(imported)].sort();
}

// Issue 9 finding 7: a runtime dependency the Lambda never loads is attack surface and install weight for nothing.
describe('package.json dependencies', () => {
  it('are exactly the packages the Lambda imports', async () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(await packagesTheLambdaImports());
  });

  it('keep oidc-provider (the embedded IdP of npm start) a devDependency, which npm ci still installs', () => {
    expect(manifest.dependencies).not.toHaveProperty('oidc-provider');
    expect(manifest.devDependencies).toHaveProperty('oidc-provider');
  });
});
