import { BridgeClient } from './bridge-client';
import { contractError, unexpectedAnswer } from './explain';
import type { Exchange } from './http-exchange';
import { fateOf, type UpdateSeen } from './idp-behaviour';
import { eventHookBody } from './konnect-bodies';
import { type Credentials, tokenStep } from './token-checks';
import { fail, pass, runStep, type VerifyContext, warn } from './verify-context';

export const EVENT_STEP = {
  update: 'event hook update_application',
  secretKept: 'secret still works after the update',
  add: 'event hook add_registration',
  remove: 'event hook remove_registration',
} as const;

type EventType = 'update_application' | 'add_registration' | 'remove_registration';

/**
 * The three event hooks Konnect sends. After update_application the developer's secret is tried
 * again: an IdP may issue a new secret on every update, which the bridge must never hide behind a 200.
 */
export async function runEventHooks(context: VerifyContext, current: Credentials): Promise<void> {
  const update = await eventHook(context, EVENT_STEP.update, 'update_application', current.clientId);
  context.seen.update = updateSeen(update);
  if (update?.status === 200) {
    const after = await tokenStep(context, EVENT_STEP.secretKept, current, 'kept after update');
    context.seen.update = { kind: 'applied', secret: fateOf(after) };
  }
  await eventHook(context, EVENT_STEP.add, 'add_registration', current.clientId);
  await eventHook(context, EVENT_STEP.remove, 'remove_registration', current.clientId);
}

/** The event hook steps in order, for a skip line. */
export const eventHookSteps = (context: VerifyContext): string[] => [
  EVENT_STEP.update,
  ...(context.tokenEndpoint ? [EVENT_STEP.secretKept] : []),
  EVENT_STEP.add,
  EVENT_STEP.remove,
];

async function eventHook(
  context: VerifyContext,
  name: string,
  eventType: EventType,
  clientId: string,
): Promise<Exchange | undefined> {
  let answer: Exchange | undefined;
  await runStep(context, name, async () => {
    const json = eventHookBody(eventType, clientId, context.clientName, context.ids);
    answer = await context.bridge.call('POST', BridgeClient.clientPath(clientId, '/event-hook'), { json });
    if (answer.status === 200) {
      const handled = (answer.body as { handled?: unknown } | undefined)?.handled;
      return pass(200, handled === undefined ? undefined : `handled: ${String(handled)}`);
    }
    if (answer.status === 409 && contractError(answer)?.error === 'update_refused') {
      return warn(
        409,
        'the bridge refuses redirect URI updates at this IdP (update_refused), because the IdP issues a new secret on every update; a redirect URI change in the portal fails with that explanation',
      );
    }
    return fail(answer.status, unexpectedAnswer(answer, 200, `the ${eventType} event hook`));
  });
  return answer;
}

function updateSeen(answer: Exchange | undefined): UpdateSeen {
  if (answer?.status === 200) return { kind: 'applied' };
  const error = answer && contractError(answer);
  if (answer?.status === 409 && error?.error === 'update_refused') return { kind: 'refused' };
  if (answer?.status === 502 && error?.description.includes('IDP_REDIRECT_URI_UPDATES')) {
    return { kind: 'rotated on update' };
  }
  return { kind: 'failed' };
}
