import { unexpectedAnswer } from './explain';
import { TransportError } from './http-exchange';
import { trackIssued } from './issued-clients';
import { createApplicationBody, type KonnectIds } from './konnect-bodies';
import { mask } from './mask';
import type { Credentials } from './token-checks';
import { fail, pass, runStep, type VerifyContext } from './verify-context';

/**
 * One create as Konnect sends it (`POST /`), as a step; resolves the issued credentials. `onRefused`
 * is added to the explanation of a 400 (what that refusal means for Konnect).
 */
export async function createStep(
  context: VerifyContext,
  name: string,
  application: { clientName: string; ids: KonnectIds; onRefused?: string },
): Promise<Credentials | undefined> {
  let issued: Credentials | undefined;
  await runStep(context, name, async () => {
    const body = createApplicationBody(application.clientName, application.ids, context.options.scopes);
    const answer = await context.bridge.call('POST', '/', { json: body }).catch((error: unknown) => {
      // A create that timed out may still have created a client: say where to look for it.
      if (!(error instanceof TransportError && error.timedOut)) throw error;
      throw new Error(
        `${error.message}; if a client named ${application.clientName} appears at the IdP, delete it there`,
      );
    });
    issued = trackIssued(context, answer);
    if (answer.status === 201 && issued) {
      return pass(201, `client_id ${issued.clientId}, secret ${mask(issued.clientSecret)}`);
    }
    if (answer.status === 201) return fail(201, 'the bridge answered 201 without a client_id and client_secret');
    const why = unexpectedAnswer(answer, 201, 'the create call');
    return fail(
      answer.status,
      answer.status === 400 && application.onRefused ? `${why}; ${application.onRefused}` : why,
    );
  });
  return issued;
}
