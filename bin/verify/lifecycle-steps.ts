import { BridgeClient } from './bridge-client';
import { createStep } from './create-step';
import { eventHookSteps, runEventHooks } from './event-hook-steps';
import { unexpectedAnswer } from './explain';
import { ROTATION_STEP, rotationTokenSteps, runRotation } from './rotation-steps';
import { tokenStep } from './token-checks';
import { fail, pass, runStep, skipSteps, type VerifyContext } from './verify-context';

const STEP = {
  create: 'create application (POST /)',
  issuedWorks: 'token with the issued secret',
  delete: 'delete application (DELETE /{id})',
  deletedRefused: "deleted client's secret refused",
  deleteAgain: 'delete again (DELETE /{id})',
} as const;

/**
 * The application's life as Konnect drives it: create → token → rotate → old refused, new works →
 * event hooks → delete → deleted refused → delete again. Later steps are skipped when the ones
 * they build on failed; the client is tracked in `context.live` so the run can always remove it.
 */
export async function runLifecycle(context: VerifyContext): Promise<void> {
  const created = await createStep(context, STEP.create, { clientName: context.clientName, ids: context.ids });
  if (!created) {
    skipSteps(context, remainingSteps(context), 'the application was not created');
    return;
  }
  await tokenStep(context, STEP.issuedWorks, created, 'issued works');

  let current = created;
  if (context.options.skipRotation) {
    context.seen.rotation = { kind: 'skipped' };
    skipSteps(context, rotationSteps(context), '--skip-rotation');
  } else {
    current = await runRotation(context, created);
  }

  await runEventHooks(context, current);

  const deleted = await deleteApplication(context, STEP.delete, current.clientId);
  if (!deleted) {
    skipSteps(context, tokenNames(context, [STEP.deletedRefused]).concat(STEP.deleteAgain), 'the delete failed');
    return;
  }
  await tokenStep(context, STEP.deletedRefused, current, 'deleted refused');
  await deleteApplication(context, STEP.deleteAgain, current.clientId);
}

async function deleteApplication(context: VerifyContext, name: string, clientId: string): Promise<boolean> {
  const outcome = await runStep(context, name, async () => {
    const answer = await context.bridge.call('DELETE', BridgeClient.clientPath(clientId));
    if (answer.status === 204) {
      context.live.delete(clientId);
      return pass(204);
    }
    const repeat = name === STEP.deleteAgain;
    const why = unexpectedAnswer(answer, 204, repeat ? 'a repeated delete' : 'the delete call');
    return fail(
      answer.status,
      repeat ? `${why}; Konnect may repeat a delete, so deleting a deleted application must succeed` : why,
    );
  });
  return outcome.status === 'pass';
}

const tokenNames = (context: VerifyContext, names: string[]) => (context.tokenEndpoint ? names : []);

const rotationSteps = (context: VerifyContext) => [ROTATION_STEP.rotate, ...rotationTokenSteps(context)];

function remainingSteps(context: VerifyContext): string[] {
  return [
    ...tokenNames(context, [STEP.issuedWorks]),
    ...(context.options.skipRotation ? [] : rotationSteps(context)),
    ...eventHookSteps(context),
    STEP.delete,
    ...tokenNames(context, [STEP.deletedRefused]),
    STEP.deleteAgain,
  ];
}
