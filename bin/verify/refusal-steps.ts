import { generateKonnectKey } from '../rotation/generate-key';
import type { BridgeCall } from './bridge-client';
import { contractError, describeAnswer } from './explain';
import type { Exchange } from './http-exchange';
import { trackIssued } from './issued-clients';
import { createApplicationBody, verifyClientName } from './konnect-bodies';
import type { StepOutcome } from './reporter';
import { fail, pass, runStep, type VerifyContext } from './verify-context';

/**
 * What the bridge must refuse, each in the contract's `{error, error_description}` shape. The
 * calls are creates, the most dangerous route to leave open; anything they create is cleaned up.
 */
export async function runRefusals(context: VerifyContext): Promise<void> {
  const validBody = () => createApplicationBody(`${verifyClientName()}-refused`, context.ids, context.options.scopes);
  const wrongKey = generateKonnectKey();
  context.reporter.hide(wrongKey);

  await refusal(context, 'no X-API-KEY → 401', { key: null, json: validBody() }, 401, 'a create without X-API-KEY');
  await refusal(
    context,
    'wrong X-API-KEY → 401',
    { key: wrongKey, json: validBody() },
    401,
    'a create with a wrong key',
  );
  await refusal(
    context,
    'invalid create body → 400',
    { json: { client_name: '', redirect_uris: 'not-a-list', grant_types: ['not_a_konnect_method'] } },
    400,
    'a create with invalid fields',
  );
  await refusal(
    context,
    'malformed JSON body → 400',
    { rawJson: '{"client_name": ' },
    400,
    'a create with malformed JSON',
  );
}

async function refusal(
  context: VerifyContext,
  name: string,
  call: BridgeCall,
  expected: 400 | 401,
  what: string,
): Promise<StepOutcome> {
  return runStep(context, name, async () => {
    const answer = await context.bridge.call('POST', '/', call);
    if (trackIssued(context, answer)) {
      const hole =
        expected === 401
          ? 'anyone who finds the bridge URL can create clients at the IdP'
          : 'invalid input reaches the IdP';
      return fail(answer.status, `the bridge created a client for ${what}: ${hole}`);
    }
    return judgeRefusal(answer, expected, what);
  });
}

function judgeRefusal(answer: Exchange, expected: number, what: string): StepOutcome {
  if (answer.status !== expected) {
    return fail(
      answer.status,
      `the bridge answered ${answer.status} instead of ${expected} to ${what} (${describeAnswer(answer)})`,
    );
  }
  const error = contractError(answer);
  if (!error) {
    return fail(
      answer.status,
      `the bridge answered ${expected} to ${what}, but not as JSON {error, error_description}`,
    );
  }
  return pass(answer.status, error.error);
}
