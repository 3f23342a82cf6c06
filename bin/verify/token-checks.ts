import { setTimeout as sleep } from 'node:timers/promises';
import type { StepOutcome } from './reporter';
import { describeToken, isAccepted, isRefused, REFUSALS, requestToken, type TokenAnswer } from './token-endpoint';
import { fail, pass, runStep, type VerifyContext } from './verify-context';

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/** The questions verify asks the IdP's token endpoint. */
export type TokenExpectation =
  | 'issued works'
  | 'old refused'
  | 'new works'
  | 'kept after update'
  | 'deleted refused'
  | 'previous verification removed';

const ACCEPTED: ReadonlySet<TokenExpectation> = new Set(['issued works', 'new works', 'kept after update']);

const POLL_INTERVAL_MS = 1000;

/**
 * One token check as a step; resolves the IdP's last answer (undefined when the token checks are
 * skipped or the IdP could not be reached), so callers can tell what the IdP did.
 */
export async function tokenStep(
  context: VerifyContext,
  name: string,
  credentials: Credentials,
  expectation: TokenExpectation,
): Promise<TokenAnswer | undefined> {
  const { tokenEndpoint } = context;
  // Without a token endpoint the run says so once, up front, instead of once per check.
  if (!tokenEndpoint) return undefined;
  let last: TokenAnswer | undefined;
  await runStep(context, name, async () => {
    const checked = await checkToken(context, tokenEndpoint, credentials, expectation);
    last = checked.answer;
    return checked.outcome;
  });
  return last;
}

/**
 * Asks the token endpoint until the answer is the expected one or the propagation window is
 * over: IdPs such as Auth0 take seconds before a changed secret applies everywhere.
 */
export async function checkToken(
  context: VerifyContext,
  tokenEndpoint: string,
  credentials: Credentials,
  expectation: TokenExpectation,
): Promise<{ outcome: StepOutcome; answer: TokenAnswer }> {
  const wantsAccepted = ACCEPTED.has(expectation);
  const { scopes, tokenScopes, audience, timeoutMs, propagationWaitMs } = context.options;
  const started = Date.now();
  let attempts = 0;
  const requested = tokenScopes ?? scopes;
  let answer: TokenAnswer;
  for (;;) {
    attempts += 1;
    answer = await requestToken(tokenEndpoint, credentials, { scopes: requested, audience }, timeoutMs);
    const done = wantsAccepted ? isAccepted(answer) : isRefused(answer);
    const remaining = started + propagationWaitMs - Date.now();
    if (done) {
      const detail = attempts > 1 ? `after ${attempts} attempts in ${Date.now() - started} ms` : undefined;
      return { outcome: pass(answer.status, detail), answer };
    }
    if (remaining <= 0) break;
    await sleep(Math.min(POLL_INTERVAL_MS, remaining));
  }
  const why = explain(expectation, answer, requested.length > 0, attempts, Date.now() - started);
  return { outcome: fail(answer.status, why), answer };
}

function explain(
  expectation: TokenExpectation,
  answer: TokenAnswer,
  sentScope: boolean,
  attempts: number,
  waitedMs: number,
): string {
  const seen = describeToken(answer);
  const waited = attempts > 1 ? ` (asked ${attempts} times over ${waitedMs} ms)` : '';
  const slowIdp = `${waited}; if the IdP needs time to propagate changes, raise --propagation-wait-ms`;
  const expectedRefusal = `expected ${REFUSALS}`;
  switch (expectation) {
    case 'issued works':
      if (answer.status === 400 && !sentScope && !isRefused(answer)) {
        return `the IdP's token endpoint answered ${seen} to a token request without a scope: if it requires one, pass it with --token-scope`;
      }
      if (answer.status === 400 && answer.error === 'invalid_scope') {
        return `the IdP refused the requested scope (${seen}): pass scopes the IdP grants with --scope, or the scope its token endpoint expects with --token-scope`;
      }
      return isRefused(answer)
        ? `the IdP refused the credentials the bridge issued (${seen}): the new client cannot obtain tokens${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the credentials the bridge issued`;
    case 'old refused':
      return isAccepted(answer)
        ? `the old secret still works: rotation did not revoke it${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the old secret; ${expectedRefusal}`;
    case 'new works':
      return isRefused(answer)
        ? `the IdP refused the new secret (${seen}): rotation did not take effect${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the new secret`;
    case 'kept after update':
      return isRefused(answer)
        ? `the bridge answered 200 to update_application, but the IdP now refuses the developer's secret (${seen}): the IdP issued a new secret on the update and the bridge did not notice, so the developer's credentials broke silently; set IDP_REDIRECT_URI_UPDATES=refuse`
        : `the IdP's token endpoint answered ${seen} for the secret after update_application`;
    case 'deleted refused':
      return isAccepted(answer)
        ? `the deleted client's secret still works: the delete did not remove the client at the IdP${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the deleted client; ${expectedRefusal}`;
    case 'previous verification removed':
      return isAccepted(answer)
        ? `the first verification client's secret still works: the bridge did not remove the previous verification client, so every Verify click leaves a client at the IdP (look for "Orphaned client" in the bridge's log)${slowIdp}`
        : `the IdP's token endpoint answered ${seen} for the previous verification client; ${expectedRefusal}`;
  }
}
