// What floors A and B share: the single RFC 7591 registration over node:http, and the report.
// node:http is taken through process.getBuiltinModule: an ESM `import 'node:http'` (or fetch)
// would load undici, tls and zlib as well.
import { readFileSync, writeSync } from 'node:fs';

/** POSTs one registration to the IdP and reads the JSON answer; resolves to the status code. */
export function postRegistration(endpoint, token) {
  const http = process.getBuiltinModule('node:http');
  return new Promise((resolve, reject) => {
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
}

/** Reports on fd 3 like cold-start-child.mjs, then exits (kept-alive sockets would hold the process). */
export function reportAndExit(status) {
  writeSync(3, JSON.stringify({ status, maxRssKiB: peakRssKiB() }));
  process.exit(0);
}

/**
 * Peak RSS of this process in KiB. VmHWM, because getrusage's maxRSS survives exec on Linux and
 * would report the (larger) bench process that spawned this one.
 */
function peakRssKiB() {
  const status = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return status ? Number(status[1]) : process.resourceUsage().maxRSS;
}
