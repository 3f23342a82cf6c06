import { BridgeClient } from './bridge-client';
import { contractError, unexpectedAnswer } from './explain';
import { fateOf } from './idp-behaviour';
import { issuedClient } from './issued-clients';
import { mask } from './mask';
import { type Credentials, tokenStep } from './token-checks';
import { fail, pass, runStep, type VerifyContext } from './verify-context';

export const ROTATION_STEP = {
  rotate: 'rotate secret (POST /{id}/new-secret)',
  oldRefused: 'old secret refused by the IdP',
  newWorks: 'new secret accepted by the IdP',
} as const;

/**
 * new-secret, then the old and the new secret at the IdP; records what the IdP did in
 * `context.seen.rotation`. Resolves the credentials the application holds afterwards.
 */
export async function runRotation(context: VerifyContext, created: Credentials): Promise<Credentials> {
  const rotated = await rotateSecret(context, created);
  if (!rotated) {
    context.reporter.skip(rotationTokenSteps(context), 'the rotation failed');
    return created;
  }
  const old = await tokenStep(context, ROTATION_STEP.oldRefused, created, 'old refused');
  const fresh = await tokenStep(context, ROTATION_STEP.newWorks, rotated, 'new works');
  // The same secret handed back is the bridge's failure (reported above), not the IdP's behaviour.
  const same = rotated.clientSecret === created.clientSecret;
  context.seen.rotation = same ? { kind: 'failed' } : { kind: 'issued', old: fateOf(old), new: fateOf(fresh) };
  return rotated;
}

export const rotationTokenSteps = (context: VerifyContext): string[] =>
  context.tokenEndpoint ? [ROTATION_STEP.oldRefused, ROTATION_STEP.newWorks] : [];

async function rotateSecret(context: VerifyContext, created: Credentials): Promise<Credentials | undefined> {
  let rotated: Credentials | undefined;
  context.seen.rotation = { kind: 'failed' };
  await runStep(context, ROTATION_STEP.rotate, async () => {
    const answer = await context.bridge.call('POST', BridgeClient.clientPath(created.clientId, '/new-secret'));
    if (answer.status !== 200) {
      const description = contractError(answer)?.description ?? '';
      if (answer.status === 400 && description.includes('Disable refresh secret')) {
        context.seen.rotation = { kind: 'unsupported' };
      } else if (answer.status === 502 && description.includes('IDP_SECRET_ROTATION')) {
        context.seen.rotation = { kind: 'setting mismatch', description };
      }
      const hint =
        answer.status === 400
          ? '; if the IdP cannot rotate secrets, turn on "Disable refresh secret" in the Konnect DCR provider and run verify with --skip-rotation'
          : '';
      return fail(answer.status, `${unexpectedAnswer(answer, 200, 'new-secret')}${hint}`);
    }
    const parsed = issuedClient.safeParse(answer.body);
    if (!parsed.success) {
      return fail(200, 'the bridge answered 200 to new-secret without a client_id and client_secret');
    }
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
