// Like fetch-floor-child.mjs, but with node:http taken through process.getBuiltinModule: an ESM
// `import 'node:http'` (or fetch) would load undici, tls and zlib as well.
// argv: <registration endpoint> <initial access token>. Reports on fd 3 like cold-start-child.mjs.
import { readFileSync, writeSync } from 'node:fs';

const [endpoint, token] = process.argv.slice(2);
const http = process.getBuiltinModule('node:http');
const status = await new Promise((resolve, reject) => {
  const request = http.request(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
    },
    (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(response.statusCode);
      });
    },
  );
  request.on('error', reject);
  request.end(JSON.stringify({ client_name: 'Floor', grant_types: ['client_credentials'], response_types: [] }));
});
writeSync(3, JSON.stringify({ status, maxRssKiB: peakRssKiB() }));
process.exit(0);

/**
 * Peak RSS of this process in KiB. VmHWM, because getrusage's maxRSS survives exec on Linux and
 * would report the (larger) bench process that spawned this one.
 */
function peakRssKiB() {
  const status = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return status ? Number(status[1]) : process.resourceUsage().maxRSS;
}
