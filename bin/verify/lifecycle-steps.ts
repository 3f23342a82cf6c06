import { z } from 'zod';
import { BridgeClient } from './bridge-client';
import { unexpectedAnswer } from './explain';
import { type Exchange, TransportError } from './http-exchange';
import { createApplicationBody, eventHookBody } from './konnect-bodies';
import { mask } from './mask';
import { type Credentials, checkToken } from './token-checks';
import { fail, pass, runStep, skipSteps, type VerifyContext } from './verify-context';

const issuedClient = z.object({ client_id: z.string().min(1), client_secret: z.string().min(1) });

const STEP = {
  create: 'create application (POST /)',
  issuedWorks: 'token with the issued secret',
  rotate: 'rotate secret (POST /{id}/new-secret)',
  oldRefused: 'old secret refused by the IdP',
  newWorks: 'new secret accepted by the IdP',
  update: 'event hook update_application',
  add: 'event hook add_registration',
  remove: 'event hook remove_registration',
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
  const created = await createApplication(context);
  if (!created) {
    skipSteps(context, remainingSteps(context), 'the application was not created');
    return;
  }
  let current = created;
  await tokenStep(context, STEP.issuedWorks, created, 'issued works');

  if (context.options.skipRotation) {
    skipSteps(context, rotationSteps(context), '--skip-rotation');
  } else {
    const rotated = await rotateSecret(context, created);
    if (rotated) {
      await tokenStep(context, STEP.oldRefused, created, 'old refused');
      await tokenStep(context, STEP.newWorks, rotated, 'new works');
      current = rotated;
    } else {
      skipSteps(context, rotationSteps(context).slice(1), 'the rotation failed');
    }
  }

  await eventHook(context, STEP.update, 'update_application', current.clientId);
  await eventHook(context, STEP.add, 'add_registration', current.clientId);
  await eventHook(context, STEP.remove, 'remove_registration', current.clientId);

  const deleted = await deleteApplication(context, STEP.delete, current.clientId);
  if (!deleted) {
    skipSteps(context, tokenNames(context, [STEP.deletedRefused]).concat(STEP.deleteAgain), 'the delete failed');
    return;
  }
  await tokenStep(context, STEP.deletedRefused, current, 'deleted refused');
  await deleteApplication(context, STEP.deleteAgain, current.clientId);
}

async function createApplication(context: VerifyContext): Promise<Credentials | undefined> {
  let issued: Credentials | undefined;
  await runStep(context, STEP.create, async () => {
    const body = createApplicationBody(context.clientName, context.ids, context.options.scopes);
    const answer = await context.bridge.call('POST', '/', { json: body }).catch((error: unknown) => {
      // A create that timed out may still have created a client: say where to look for it.
      if (!(error instanceof TransportError && error.timedOut)) throw error;
      throw new Error(`${error.message}; if a client named ${context.clientName} appears at the IdP, delete it there`);
    });
    issued = trackIssued(context, answer);
    if (answer.status === 201 && issued) {
      return pass(201, `client_id ${issued.clientId}, secret ${mask(issued.clientSecret)}`);
    }
    if (answer.status === 201) return fail(201, 'the bridge answered 201 without a client_id and client_secret');
    return fail(answer.status, unexpectedAnswer(answer, 201, 'the create call'));
  });
  return issued;
}

async function rotateSecret(context: VerifyContext, created: Credentials): Promise<Credentials | undefined> {
  let rotated: Credentials | undefined;
  await runStep(context, STEP.rotate, async () => {
    const path = BridgeClient.clientPath(created.clientId, '/new-secret');
    const answer = await context.bridge.call('POST', path);
    const parsed = issuedClient.safeParse(answer.body);
    if (answer.status !== 200) {
      const hint =
        answer.status === 400
          ? '; if the IdP cannot rotate secrets, turn on "Disable refresh secret" in the Konnect DCR provider and run verify with --skip-rotation'
          : '';
      return fail(answer.status, `${unexpectedAnswer(answer, 200, 'new-secret')}${hint}`);
    }
    if (!parsed.success)
      return fail(200, 'the bridge answered 200 to new-secret without a client_id and client_secret');
    context.reporter.hide(parsed.data.client_secret);
    if (parsed.data.client_id !== created.clientId) {
      return fail(200, `the bridge answered new-secret for client ${parsed.data.client_id}, not ${created.clientId}`);
    }
    rotated = { clientId: created.clientId, clientSecret: parsed.data.client_secret };
    if (rotated.clientSecret === created.clientSecret) {
      return fail(200, 'the bridge handed back the old secret: rotation did not take effect');
    }
    return pass(200, `new secret ${mask(rotated.clientSecret)}`);
  });
  return rotated;
}

async function eventHook(
  context: VerifyContext,
  name: string,
  eventType: 'update_application' | 'add_registration' | 'remove_registration',
  clientId: string,
): Promise<void> {
  await runStep(context, name, async () => {
    const json = eventHookBody(eventType, clientId, context.clientName, context.ids);
    const answer = await context.bridge.call('POST', BridgeClient.clientPath(clientId, '/event-hook'), { json });
    if (answer.status !== 200) return fail(answer.status, unexpectedAnswer(answer, 200, `the ${eventType} event hook`));
    const handled = (answer.body as { handled?: unknown } | undefined)?.handled;
    return pass(200, handled === undefined ? undefined : `handled: ${String(handled)}`);
  });
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

async function tokenStep(
  context: VerifyContext,
  name: string,
  credentials: Credentials,
  expectation: Parameters<typeof checkToken>[3],
): Promise<void> {
  const { tokenEndpoint } = context;
  // Without a token endpoint the run says so once, up front, instead of once per check.
  if (!tokenEndpoint) return;
  await runStep(context, name, () => checkToken(context, tokenEndpoint, credentials, expectation));
}

/** Any client id in a 2xx answer is remembered for the cleanup, whatever else is wrong. */
export function trackIssued(context: VerifyContext, answer: Exchange): Credentials | undefined {
  const parsed = issuedClient.safeParse(answer.body);
  if (!parsed.success || answer.status < 200 || answer.status > 299) return undefined;
  context.live.add(parsed.data.client_id);
  context.reporter.hide(parsed.data.client_secret);
  return { clientId: parsed.data.client_id, clientSecret: parsed.data.client_secret };
}

const tokenNames = (context: VerifyContext, names: string[]) => (context.tokenEndpoint ? names : []);

const rotationSteps = (context: VerifyContext) => [
  STEP.rotate,
  ...tokenNames(context, [STEP.oldRefused, STEP.newWorks]),
];

function remainingSteps(context: VerifyContext): string[] {
  return [
    ...tokenNames(context, [STEP.issuedWorks]),
    ...(context.options.skipRotation ? [] : rotationSteps(context)),
    STEP.update,
    STEP.add,
    STEP.remove,
    STEP.delete,
    ...tokenNames(context, [STEP.deletedRefused]),
    STEP.deleteAgain,
  ];
}
