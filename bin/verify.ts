import { runVerify } from './verify/run-verify';
import { parseVerifyArgs, UsageError, VERIFY_USAGE } from './verify/verify-options';

// `npm run verify -- --url … --key …`: the smoke test after a deploy; exit code 0, 1 or 2 (usage).
const argv = process.argv.slice(2);
// A closed pipe (`verify | head`) must not kill the run before it has cleaned up.
process.stdout.on('error', () => undefined);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`${VERIFY_USAGE}\n`);
  process.exit(0);
}
try {
  const options = parseVerifyArgs(argv);
  const result = await runVerify(options, (line) => process.stdout.write(`${line}\n`));
  process.exitCode = result.exitCode;
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  process.stderr.write(`verify: ${error.message}\n\n${VERIFY_USAGE}\n`);
  process.exitCode = 2;
}
