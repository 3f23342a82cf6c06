import type { BridgeClient } from './bridge-client';
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
}

export const pass = (httpStatus?: number, detail?: string): StepOutcome => ({ status: 'pass', httpStatus, detail });
export const fail = (httpStatus: number | undefined, why: string): StepOutcome => ({ status: 'fail', httpStatus, why });

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
