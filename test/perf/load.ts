import { parseArgs } from 'node:util';
import { formatLoadReport } from './load/load-report';
import { quietOutput } from './load/quiet-output';
import { runLoad } from './load/run-load';

/**
 * `npm run load`: the local bridge (the Lambda handler behind a local HTTP server) with the
 * embedded IdP, in this process, driven through full application lifecycles (create → token →
 * rotate → old secret refused → new secret works → delete). Exits 0 only if every lifecycle
 * completed and the IdP holds no client afterwards. Options: --lifecycles (1000),
 * --concurrency (50), --timeout-seconds (300; no lifecycle starts after it).
 */
const { values } = parseArgs({
  options: {
    lifecycles: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '50' },
    'timeout-seconds': { type: 'string', default: '300' },
  },
});
const lifecycles = Number(values.lifecycles);
const concurrency = Number(values.concurrency);
const deadlineMs = Number(values['timeout-seconds']) * 1000;
// A run stuck past its deadline (every request has its own 10 s timeout) still ends.
setTimeout(() => {
  process.stderr.write('The load test did not finish in time.\n');
  process.exit(2);
}, deadlineMs + 60_000).unref();

// The embedded IdP, not one configured in the shell; set before the bridge reads its environment.
for (const name of Object.keys(process.env)) if (name.startsWith('IDP_')) delete process.env[name];
const { startLocalEnvironment } = await import('../../bin/local/local-environment');
const output = quietOutput();
const local = await startLocalEnvironment({ port: 0 });
const idp = local.idp;
let leftover = -1;
let report: Awaited<ReturnType<typeof runLoad>> | undefined;
try {
  if (!idp) throw new Error('The local environment started without the embedded IdP.');
  report = await runLoad({
    target: { bridgeUrl: local.bridgeUrl, apiKey: local.apiKeys[0] as string, tokenEndpoint: idp.tokenEndpoint },
    lifecycles,
    concurrency,
    deadlineMs,
  });
  leftover = idp.clientCount();
} finally {
  await local.close();
  output.restore();
}

const errors = report.errors.length;
const complete = report.completed === lifecycles;
process.stdout.write(
  [
    '# dcr-bridge load test',
    '',
    `Node ${process.version}; bridge and embedded IdP (oidc-provider) in one process on 127.0.0.1.`,
    '',
    formatLoadReport(report, concurrency),
    '',
    `Errors: ${errors}. Clients left at the IdP: ${leftover}. Bridge log lines: ${JSON.stringify(output.levels())}.`,
    ...report.errors.slice(0, 20).map((line) => `- ${line}`),
    complete ? '' : `Only ${report.completed} of ${lifecycles} lifecycles completed before the deadline.`,
    errors === 0 && leftover === 0 && complete ? 'PASS' : 'FAIL',
    '',
  ].join('\n'),
);
process.exit(errors === 0 && leftover === 0 && complete ? 0 : 1);
