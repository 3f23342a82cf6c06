import { setTimeout as sleep } from 'node:timers/promises';
import type { StepOutcome } from './reporter';
import { describeToken, isAccepted, isRefused, requestToken, type TokenAnswer } from './token-endpoint';
import { fail, pass, type VerifyContext } from './verify-context';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** The four questions verify asks the IdP's token endpoint. */
export type TokenExpectation = 'issued works' | 'old refused' | 'new works' | 'deleted refused';

const POLL_INTERVAL_MS = 1000;

/**
 * Asks the token endpoint until the answer is the expected one or the propagation window is
 * over: IdPs such as Auth0 take seconds before a changed secret applies everywhere.
 */
export async function checkToken(
  context: VerifyContext,
  tokenEndpoint: string,
  credentials: Credentials,
  expectation: TokenExpectation,
): Promise<StepOutcome> {
  const wantsAccepted = expectation === 'issued works' || expectation === 'new works';
  const { scopes, audience, timeoutMs, propagationWaitMs } = context.options;
  const started = Date.now();
  let attempts = 0;
  let answer: TokenAnswer;
  for (;;) {
    attempts += 1;
    answer = await requestToken(tokenEndpoint, credentials, { scopes, audience }, timeoutMs);
    const done = wantsAccepted ? isAccepted(answer) : isRefused(answer);
    const remaining = started + propagationWaitMs - Date.now();
    if (done) {
      return pass(answer.status, attempts > 1 ? `after ${attempts} attempts in ${Date.now() - started} ms` : undefined);
    }
    if (remaining <= 0) break;
    await sleep(Math.min(POLL_INTERVAL_MS, remaining));
  }
  return fail(answer.status, explain(expectation, answer, attempts, Date.now() - started));
}

function explain(expectation: TokenExpectation, answer: TokenAnswer, attempts: number, waitedMs: number): string {
  const seen = describeToken(answer);
  const waited = attempts > 1 ? ` (asked ${attempts} times over ${waitedMs} ms)` : '';
  const slowIdp = `${waited}; if the IdP needs time to propagate changes, raise --propagation-wait-ms`;
  switch (expectation) {
    case 'issued works':
      if (answer.status === 400 && answer.error === 'invalid_scope') {
        return `the IdP refused the requested scope (${seen}): pass scopes the IdP grants with --scope`;
      }
      return isRefused(answer)
        ? `the IdP refused the credentials the bridge issued (${seen}): the new client cannot obtain tokens${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the credentials the bridge issued`;
    case 'old refused':
      return isAccepted(answer)
        ? `the old secret still works: rotation did not revoke it${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the old secret; expected 401 (or 400 invalid_client)`;
    case 'new works':
      return isRefused(answer)
        ? `the IdP refused the new secret (${seen}): rotation did not take effect${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the new secret`;
    case 'deleted refused':
      return isAccepted(answer)
        ? `the deleted client's secret still works: the delete did not remove the client at the IdP${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the deleted client; expected 401 (or 400 invalid_client)`;
  }
}
