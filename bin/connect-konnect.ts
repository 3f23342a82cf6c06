import { CONNECT_USAGE, ConnectUsageError, parseConnectArgs } from './konnect/connect-options';
import { runConnect } from './konnect/run-connect';

// `npm run connect-konnect -- ...`: create/update and verify the Konnect DCR provider; exit 0, 1, or 2 (usage).
const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${CONNECT_USAGE}\n`);
  process.exit(0);
}
try {
  const options = parseConnectArgs(argv, process.env);
  const run = await runConnect(options, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = run.exitCode;
} catch (error) {
  if (!(error instanceof ConnectUsageError)) throw error;
  process.stderr.write(`connect-konnect: ${error.message}\n\n${CONNECT_USAGE}\n`);
  process.exitCode = 2;
}
