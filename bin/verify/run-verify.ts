import { BridgeClient } from './bridge-client';
import { cleanUp } from './cleanup';
import { describeIdpBehaviour } from './idp-behaviour';
import { newKonnectIds, verifyClientName } from './konnect-bodies';
import { runKonnectVerify } from './konnect-verify-steps';
import { runLifecycle } from './lifecycle-steps';
import { mask } from './mask';
import { runRefusals } from './refusal-steps';
import { Reporter, type StepRecord, type VerifyOutput } from './reporter';
import { discoverTokenEndpoint } from './token-endpoint';
import { fail, pass, runStep, type VerifyContext } from './verify-context';
import type { VerifyOptions } from './verify-options';

export type { VerifyOutput } from './reporter';

export interface VerifyResult {
  /** 0 when every step passed or was skipped, 1 when any failed. */
  exitCode: 0 | 1;
  steps: StepRecord[];
}

/**
 * Plays Konnect against the bridge at `options.url` and reports each step to `output`. Whatever
 * fails, every client the run created is deleted before it returns; it never throws.
 */
export async function runVerify(options: VerifyOptions, output: VerifyOutput): Promise<VerifyResult> {
  const started = performance.now();
  const reporter = new Reporter(output);
  reporter.hide(options.key);
  const context: VerifyContext = {
    options,
    reporter,
    bridge: new BridgeClient(options.url, options.key, options.timeoutMs),
    ids: newKonnectIds(),
    clientName: verifyClientName(),
    live: new Set(),
    seen: {},
  };
  reporter.line('dcr-bridge verify');
  reporter.line(`  bridge:       ${options.url} (key ${mask(options.key)})`);
  reporter.line(`  client name:  ${context.clientName}`);
  reporter.line(`  token checks: ${tokenSource(options)}`);
  if (options.tokenScopes) reporter.line(`  token scope:  ${options.tokenScopes.join(' ')}`);
  reporter.line('');
  try {
    await resolveTokenEndpoint(context);
    await runLifecycle(context);
    await runKonnectVerify(context);
    await runRefusals(context);
  } catch (error) {
    // Only a bug in verify itself gets here: steps turn their own errors into failures.
    reporter.record({ name: 'verify', status: 'fail', why: `verify stopped: ${String(error)}` });
  } finally {
    await cleanUp(context);
  }
  const behaviour = describeIdpBehaviour(context.seen);
  if (behaviour.length > 0) reporter.line('');
  for (const line of behaviour) reporter.line(line);
  reporter.summary(performance.now() - started);
  return { exitCode: reporter.failed.length > 0 ? 1 : 0, steps: reporter.steps };
}

async function resolveTokenEndpoint(context: VerifyContext): Promise<void> {
  const { tokenEndpoint, issuer, timeoutMs } = context.options;
  if (tokenEndpoint) {
    context.tokenEndpoint = tokenEndpoint;
    return;
  }
  if (!issuer) {
    context.reporter.skip(
      ['token checks'],
      'no --token-endpoint or --issuer given, so the issued secrets are not tried at the IdP',
    );
    return;
  }
  await runStep(context, 'discover the token endpoint', async () => {
    try {
      context.tokenEndpoint = await discoverTokenEndpoint(issuer, timeoutMs);
      return pass(200, context.tokenEndpoint);
    } catch (error) {
      return fail(undefined, `${error instanceof Error ? error.message : String(error)}; the token checks are skipped`);
    }
  });
}

function tokenSource(options: VerifyOptions): string {
  if (options.tokenEndpoint) return `at ${options.tokenEndpoint}`;
  if (options.issuer) return `at the token endpoint of ${options.issuer} (discovery)`;
  return 'skipped (no --token-endpoint or --issuer)';
}
