import { createStep } from './create-step';
import { fateOf } from './idp-behaviour';
import { konnectVerificationIds } from './konnect-bodies';
import { tokenStep } from './token-checks';
import type { VerifyContext } from './verify-context';

const STEP = {
  first: 'Konnect Verify create ("test portal_id")',
  second: 'Konnect Verify create again',
  previousRemoved: 'previous verification client removed',
  latestWorks: 'latest verification client works',
} as const;

const REFUSED =
  "Konnect's Verify button sends these placeholder ids, so Verify fails against this bridge until it accepts them";

/**
 * Konnect's "Verify" button makes a real create with placeholder ids and never deletes it. Two such
 * creates in a row: both must succeed, and the bridge must have removed the first (it keeps at most
 * one verification client at the IdP) while the second still works. The run deletes both at the end.
 */
export async function runKonnectVerify(context: VerifyContext): Promise<void> {
  if (!context.options.konnectVerify) return;
  const ids = konnectVerificationIds();
  context.seen.verification = { kind: 'failed' };
  const first = await createStep(context, STEP.first, {
    clientName: `${context.clientName}-konnect-verify-1`,
    ids,
    onRefused: REFUSED,
  });
  const second =
    first &&
    (await createStep(context, STEP.second, {
      clientName: `${context.clientName}-konnect-verify-2`,
      ids,
      onRefused: REFUSED,
    }));
  const checks = context.tokenEndpoint ? [STEP.previousRemoved, STEP.latestWorks] : [];
  if (!first || !second) {
    context.reporter.skip([...(first ? [] : [STEP.second]), ...checks], 'the Verify-shaped create failed');
    return;
  }
  const previous = await tokenStep(context, STEP.previousRemoved, first, 'previous verification removed');
  await tokenStep(context, STEP.latestWorks, second, 'issued works');
  context.seen.verification = { kind: 'created', previous: fateOf(previous) };
}
