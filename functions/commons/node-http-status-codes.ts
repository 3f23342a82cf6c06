/**
 * Stands in for `node:http` in the Lambda bundle (an esbuild alias, lib/bridge-function.ts). On
 * Node 24 an ESM import of node:http also loads undici (6–10 ms of a cold start), which nothing in
 * the bridge uses; process.getBuiltinModule hands out the same module object without it. Bundled
 * importers (@middy/util, and Powertools Tracer or the AWS SDK where they are bundled) use only
 * these two forms; a bundled import of another name fails the build, so none goes unnoticed.
 */
const http: typeof import('node:http') = process.getBuiltinModule('node:http');

export default http;
export const { STATUS_CODES } = http;
