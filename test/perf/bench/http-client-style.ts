import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HttpClientStyle } from './warm';

/** The bridge's one outbound HTTP client. */
export const HTTP_CLIENT_SOURCE = join('functions', 'commons', 'http-client.ts');

const withoutComments = (source: string) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');

/**
 * Which HTTP client style the bridge's HTTP client uses, from its code (comments removed) and
 * that of the modules it imports from its own folder: `fetch` when it calls fetch(), otherwise
 * `node:http` when it takes node:http or node:https. The warm comparison sends its direct
 * requests the same way, so it stays right when the client changes.
 */
export function httpClientStyleOf(client: string, imported: string[] = []): HttpClientStyle {
  const own = withoutComments(client);
  if (/\bfetch\s*\(/.test(own)) return 'fetch';
  if ([own, ...imported.map(withoutComments)].some((code) => /['"]node:https?['"]/.test(code))) return 'node:http';
  throw new Error('Cannot tell which HTTP client the bridge uses; pass --direct-client fetch|node:http.');
}

export function bridgeHttpClientStyle(repoRoot: string): HttpClientStyle {
  const path = join(repoRoot, HTTP_CLIENT_SOURCE);
  const source = readFileSync(path, 'utf8');
  const imported = [...source.matchAll(/from '\.\/([\w-]+)'/g)]
    .map((match) => join(dirname(path), `${match[1]}.ts`))
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, 'utf8'));
  return httpClientStyleOf(source, imported);
}
