/**
 * Stands in for `node:http` in the Lambda bundle (an esbuild alias, lib/bridge-function.ts). The
 * only bundled importer, @middy/util, takes STATUS_CODES from it; on Node 24 an ESM import of
 * node:http also loads undici (6–10 ms of a cold start), which nothing in the bridge uses, while
 * process.getBuiltinModule does not. A bundled import of anything else from node:http fails the build.
 */
const http: typeof import('node:http') = process.getBuiltinModule('node:http');

export const { STATUS_CODES } = http;
