import { BridgeClient } from './bridge-client';
import { unexpectedAnswer } from './explain';
import { fail, pass, runStep, type VerifyContext } from './verify-context';

/**
 * Deletes every client this run created and did not delete yet (a step failed on the way). A
 * client that cannot be deleted is named, so the operator can remove it at the IdP.
 */
export async function cleanUp(context: VerifyContext): Promise<void> {
  for (const clientId of [...context.live]) {
    await runStep(context, `cleanup: delete ${clientId}`, async () => {
      const leftOver = `client ${clientId} (named ${context.clientName}…) may remain at the IdP: delete it there`;
      const answer = await context.bridge.call('DELETE', BridgeClient.clientPath(clientId)).catch((error: unknown) => {
        throw new Error(`${error instanceof Error ? error.message : String(error)}; ${leftOver}`);
      });
      if (answer.status === 204 || answer.status === 404) {
        context.live.delete(clientId);
        return pass(answer.status, 'removed what this run created');
      }
      return fail(answer.status, `${unexpectedAnswer(answer, 204, 'the cleanup delete')}; ${leftOver}`);
    });
  }
}
