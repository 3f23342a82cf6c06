import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build, type Metafile } from 'esbuild';
import type { IdpType } from '../../functions/idp/create-idp-adapter';
import {
  BRIDGE_ALIASES,
  BRIDGE_BUNDLING,
  BRIDGE_ENTRY,
  type BridgeBundleContents,
  bridgeBundling,
} from '../../lib/bridge-function';
import { apiGatewayEvent, lambdaContext } from '../unit/support/api-gateway';
import { type InstantIdp, startInstantIdp } from './bench/instant-idp';

const KEY = 'cold_path_key_0123456789';
const SAVED = { ...process.env };

/**
 * The Lambda entry point in a container whose environment switches tracing off (a stack with
 * `tracing: false`, one of the benchmark's rows), in a build that could load the X-Ray SDK: it
 * must never load it, since loading it alone installs a process-wide async hook (cls-hooked's
 * "AWSXRay" namespace) that every promise pays for.
 */
describe('cold path with POWERTOOLS_TRACE_ENABLED=false', () => {
  let idp: InstantIdp;
  let handler: typeof import('../../functions/bridge/index')['handler'];

  beforeAll(async () => {
    idp = await startInstantIdp();
    for (const name of Object.keys(process.env)) if (name.startsWith('IDP_')) delete process.env[name];
    Object.assign(process.env, {
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      KONNECT_API_KEYS: KEY,
      IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
    });
    // Imported only now: the tracer decides at module load, as in a Lambda container.
    ({ handler } = await import('../../functions/bridge/index'));
  });

  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in SAVED)) delete process.env[name];
    Object.assign(process.env, SAVED);
    await idp.close();
  });

  it('creates and deletes a client without loading the X-Ray SDK', async () => {
    const created = await handler(
      apiGatewayEvent({
        resource: '/',
        httpMethod: 'POST',
        headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'Cold App', grant_types: ['client_credentials'] }),
      }),
      lambdaContext(),
    );
    expect(created.statusCode).toBe(201);
    const clientId = (JSON.parse(created.body) as { client_id: string }).client_id;
    const deleted = await handler(
      apiGatewayEvent({ resource: '/{clientId}', httpMethod: 'DELETE', clientId, headers: { 'X-API-KEY': KEY } }),
      lambdaContext(),
    );
    expect(deleted.statusCode).toBe(204);
    expect(idp.clientCount()).toBe(0);
    expect((process as { namespaces?: Record<string, unknown> }).namespaces?.AWSXRay).toBeUndefined();
  });
});

/** The Lambda bundle's esbuild metafile, built with CDK's options for one deployment. */
async function bundleInputs(
  contents: BridgeBundleContents,
): Promise<{ inputs: string[]; bytes: number; imports: Metafile['outputs'][string]['imports'] }> {
  const { define, externalModules } = bridgeBundling(contents);
  const { metafile } = await build({
    entryPoints: [BRIDGE_ENTRY],
    bundle: true,
    write: false,
    outfile: 'index.mjs',
    platform: 'node',
    format: 'esm',
    target: BRIDGE_BUNDLING.target,
    minify: true,
    external: externalModules ?? BRIDGE_BUNDLING.externalModules,
    mainFields: BRIDGE_BUNDLING.mainFields,
    define,
    alias: BRIDGE_ALIASES,
    metafile: true,
    logLevel: 'silent',
  });
  const [output] = Object.values(metafile.outputs) as Metafile['outputs'][string][];
  if (!output) throw new Error('esbuild wrote no bundle');
  return { inputs: Object.keys(output.inputs), bytes: output.bytes, imports: output.imports };
}

/** The IdP adapter folders (functions/idp/<type>/) whose code is in the bundle. */
const adaptersIn = (inputs: string[]): string[] =>
  [...new Set(inputs.map((input) => input.match(/^functions\/idp\/([a-z0-9]+)\//)?.[1]))]
    .filter((folder): folder is IdpType => IDP_TYPES.includes(folder as IdpType))
    .sort();

/**
 * Written out, not imported: importing the bridge's modules here, before the cold-path test
 * above has set its environment, would load the X-Ray SDK in this process.
 */
const IDP_TYPES: IdpType[] = ['generic', 'okta', 'auth0', 'entra', 'curity', 'keycloak', 'cognito'];

const XRAY_PACKAGES = /node_modules\/(aws-xray-sdk-core|cls-hooked|@aws-lambda-powertools\/tracer)\//;

/** Issue 10: one adapter per deployment, and no X-Ray SDK unless the bridge's own subsegments are asked for. */
describe('the Lambda bundle of one deployment (esbuild metafile, CDK bundling options)', () => {
  it('is checked for every IdP type there is', async () => {
    const registry = await import('../../functions/idp/create-idp-adapter');
    expect(registry.IDP_TYPES).toEqual(IDP_TYPES);
  });

  it('of the default deployment holds the generic adapter only and no X-Ray SDK', async () => {
    const { inputs } = await bundleInputs({});
    expect(adaptersIn(inputs)).toEqual(['generic']);
    expect(inputs.filter((input) => XRAY_PACKAGES.test(input))).toEqual([]);
  }, 60_000);

  it.each(IDP_TYPES.filter((idpType) => idpType !== 'generic'))(
    'for %s holds that adapter and no other (besides the generic RFC 7591 code some adapters share)',
    async (idpType) => {
      const { inputs } = await bundleInputs({ idpType });
      expect(adaptersIn(inputs).filter((folder) => folder !== 'generic')).toEqual([idpType]);
    },
    60_000,
  );

  it('loads the DynamoDB client only on the first table call, never at module load', async () => {
    const { imports } = await bundleInputs({ idpType: 'okta' });
    const dynamo = imports.filter((entry) => entry.path === '@aws-sdk/client-dynamodb');
    // Okta's creates never touch the table; only Konnect's Verify does.
    expect(dynamo.length).toBeGreaterThan(0);
    expect(dynamo.every((entry) => entry.kind === 'dynamic-import')).toBe(true);
  });

  it('bundles the Cognito SDK into the cognito bundle only (never taken from the runtime)', async () => {
    const cognitoSdk = /node_modules\/@aws-sdk\/client-cognito-identity-provider\//;
    const cognito = await bundleInputs({ idpType: 'cognito' });
    const generic = await bundleInputs({});
    // Bundled, not the runtime's copy: the client-secret APIs need a recent SDK.
    expect(cognito.inputs.some((input) => cognitoSdk.test(input))).toBe(true);
    expect(cognito.imports.filter((entry) => entry.path === '@aws-sdk/client-cognito-identity-provider')).toEqual([]);
    expect(generic.inputs.some((input) => cognitoSdk.test(input))).toBe(false);
  }, 120_000);

  it('imports node:http nowhere (an ESM import of it loads undici at cold start)', async () => {
    const { imports } = await bundleInputs({});
    expect(imports.filter((entry) => entry.path === 'node:http' || entry.path === 'http')).toEqual([]);
  });

  it('holds Powertools Tracer and the X-Ray SDK only with tracingSubsegments', async () => {
    const lean = await bundleInputs({ xraySdk: false });
    const traced = await bundleInputs({ xraySdk: true });
    const packages = (inputs: string[]) =>
      [...new Set(inputs.map((input) => input.match(XRAY_PACKAGES)?.[1]).filter(Boolean))].sort();
    expect(packages(lean.inputs)).toEqual([]);
    expect(packages(traced.inputs)).toEqual(['@aws-lambda-powertools/tracer', 'aws-xray-sdk-core', 'cls-hooked']);
    expect(traced.bytes - lean.bytes).toBeGreaterThan(100_000);
  }, 60_000);

  it('refuses, as misconfigured, an IDP_TYPE other than the one it was built for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dcr-bridge-okta-bundle-'));
    try {
      // The AWS SDK stays external, as deployed: resolve it from the repository.
      symlinkSync(fileURLToPath(new URL('../../node_modules', import.meta.url)), join(dir, 'node_modules'), 'dir');
      const bundle = join(dir, 'index.mjs');
      await build({
        entryPoints: [BRIDGE_ENTRY],
        bundle: true,
        outfile: bundle,
        platform: 'node',
        format: 'esm',
        target: BRIDGE_BUNDLING.target,
        external: BRIDGE_BUNDLING.externalModules,
        mainFields: BRIDGE_BUNDLING.mainFields,
        banner: { js: BRIDGE_BUNDLING.banner ?? '' },
        define: bridgeBundling({ idpType: 'okta' }).define,
        logLevel: 'silent',
      });
      const event = apiGatewayEvent({
        resource: '/',
        httpMethod: 'POST',
        headers: { 'X-API-KEY': KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ client_name: 'Wrong Bundle App', grant_types: ['client_credentials'] }),
      });
      const script = `const { handler } = await import(${JSON.stringify(pathToFileURL(bundle).href)});
        const answer = await handler(${JSON.stringify(event)}, { getRemainingTimeInMillis: () => 10000, awsRequestId: 'r' });
        process.stdout.write(JSON.stringify(answer));`;
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: {
          PATH: process.env.PATH,
          KONNECT_API_KEYS: KEY,
          IDP_TYPE: 'generic',
          IDP_REGISTRATION_ENDPOINT: 'http://127.0.0.1:9/register',
          POWERTOOLS_LOG_LEVEL: 'SILENT',
          POWERTOOLS_METRICS_DISABLED: 'true',
        },
        encoding: 'utf8',
      });
      const answer = JSON.parse(output) as { statusCode: number; body: string };
      expect(answer.statusCode).toBe(503);
      expect(JSON.parse(answer.body).error_description).toContain(
        'IDP_TYPE=generic, but this bundle holds only the okta adapter',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
