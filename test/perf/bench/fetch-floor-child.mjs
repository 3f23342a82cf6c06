// The floor of any fetch-based bridge: a fresh node process that sends one RFC 7591 registration
// with fetch() to the same IdP and exits. argv: <registration endpoint> <initial access token>.
// Reports on fd 3 like cold-start-child.mjs.
import { readFileSync, writeSync } from 'node:fs';

const [endpoint, token] = process.argv.slice(2);
const response = await fetch(endpoint, {
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${token}` },
  body: JSON.stringify({ client_name: 'Floor', grant_types: ['client_credentials'], response_types: [] }),
});
await response.json();
writeSync(3, JSON.stringify({ status: response.status, maxRssKiB: peakRssKiB() }));
process.exit(0);

/**
 * Peak RSS of this process in KiB. VmHWM, because getrusage's maxRSS survives exec on Linux and
 * would report the (larger) bench process that spawned this one.
 */
function peakRssKiB() {
  const status = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return status ? Number(status[1]) : process.resourceUsage().maxRSS;
}
