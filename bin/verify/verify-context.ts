import type { BridgeClient } from './bridge-client';
import type { IdpBehaviour } from './idp-behaviour';
import type { KonnectIds } from './konnect-bodies';
import type { Reporter, StepOutcome } from './reporter';
import type { VerifyOptions } from './verify-options';

/** Everything the steps of one run share. */
export interface VerifyContext {
  options: VerifyOptions;
  reporter: Reporter;
  bridge: BridgeClient;
  ids: KonnectIds;
  /** The client name of this run, recognisable at the IdP. */
  clientName: string;
  /** Clients the bridge created in this run and that are not deleted yet: cleaned up at the end. */
  live: Set<string>;
  /** Unset when the token checks are skipped. */
  tokenEndpoint?: string;
  /** What the steps saw of the IdP's handling of secrets, reported at the end. */
  seen: IdpBehaviour;
}

export const pass = (httpStatus?: number, detail?: string): StepOutcome => ({ status: 'pass', httpStatus, detail });
export const fail = (httpStatus: number | undefined, why: string): StepOutcome => ({ status: 'fail', httpStatus, why });
export const warn = (httpStatus: number, why: string): StepOutcome => ({ status: 'warn', httpStatus, why });

/** Runs one step: times it, turns any error (timeout, refused connection) into a failure, prints it. */
export async function runStep(
  context: VerifyContext,
  name: string,
  step: () => Promise<StepOutcome>,
): Promise<StepOutcome> {
  const started = performance.now();
  let outcome: StepOutcome;
  try {
    outcome = await step();
  } catch (error) {
    outcome = { status: 'fail', why: error instanceof Error ? error.message : String(error) };
  }
  context.reporter.record({ name, ms: performance.now() - started, ...outcome });
  return outcome;
}

export function skipSteps(context: VerifyContext, names: string[], why: string): void {
  context.reporter.skip(names, why);
}
