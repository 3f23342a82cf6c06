import { expectationOf, type FuzzCase } from './fuzz-case';
import { hasPrototypeKey, parses } from './hostile-values';

/** What one request produced, wherever it was sent. */
export interface Observed {
  status: number;
  contentType: string | undefined;
  /** Response body text ('' for HEAD, which has none). */
  body: string;
  /** Requests the IdP saw (or adapter calls) while the bridge handled this one. */
  idpCalls: number;
  /** Everything the bridge logged meanwhile. */
  logs: string;
}

export interface PlantedSecrets {
  /** Never in a response body, never in the logs: Konnect keys, IdP credentials and tokens. */
  never: readonly string[];
  /** Never in the logs; in a body only as the client_secret of a 2xx answer (issued client secrets). */
  answerOnly: readonly string[];
}

const fail = (reason: string): never => {
  throw new Error(reason);
};

/** Keys the case presented: refused ones are as secret as accepted ones and must not be logged. */
export function presentedKeys(fuzzCase: FuzzCase): string[] {
  return (
    fuzzCase.headers
      .filter(([name]) => name.toLowerCase() === 'x-api-key')
      .map(([, value]) => value.trim())
      // Values in Konnect's key charset; others ("application/json") may well appear in a description.
      .filter((value) => /^[A-Za-z0-9_]{12,256}$/.test(value))
  );
}

/**
 * The properties every answer must have, whatever the request:
 * - never a 5xx (the IdP behind the bridge never fails here, so any 5xx is the bridge's own);
 * - every non-2xx is application/json `{error, error_description}`, two non-empty strings, no more;
 * - an invalid request is refused with a 4xx before anything reaches the IdP;
 * - no planted secret in the body or the logs, and no presented key in the logs.
 */
export function checkSafety(fuzzCase: FuzzCase, observed: Observed, planted: PlantedSecrets): void {
  const { status } = observed;
  if (!Number.isInteger(status) || status < 200 || status > 599) fail(`status ${status} is not an HTTP status`);
  if (status >= 500) fail(`status ${status} for a request the IdP never failed: ${observed.body.slice(0, 300)}`);
  if (status >= 300) checkErrorShape(fuzzCase, observed);
  if (expectationOf(fuzzCase.verdicts) === 'refuse') {
    if (status < 400) fail(`an invalid request was answered ${status}`);
    if (observed.idpCalls !== 0) fail(`an invalid request made ${observed.idpCalls} IdP call(s)`);
  }
  checkSecrets(fuzzCase, observed, planted);
}

function checkErrorShape(fuzzCase: FuzzCase, observed: Observed): void {
  if (!/^application\/json(;|$)/.test(observed.contentType ?? '')) {
    fail(`status ${observed.status} with Content-Type ${observed.contentType ?? 'none'}`);
  }
  if (fuzzCase.method === 'HEAD') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(observed.body);
  } catch {
    fail(`status ${observed.status} with a body that is not JSON: ${JSON.stringify(observed.body.slice(0, 200))}`);
  }
  const fields = parsed as Record<string, unknown>;
  const keys = typeof parsed === 'object' && parsed !== null ? Object.keys(fields).sort() : [];
  if (keys.join() !== 'error,error_description') fail(`error body with keys [${keys.join()}]`);
  for (const key of ['error', 'error_description']) {
    if (typeof fields[key] !== 'string' || fields[key] === '')
      fail(`error body field ${key} is not a non-empty string`);
  }
  if (/\bat .+:\d+:\d+/.test(observed.body)) fail('a stack trace in the error body');
  // The admin debugs from the description: it must not blame the syntax of a body that parses
  // (prototype keys excepted: the bridge refuses those as "not valid JSON" on purpose).
  const described = String(fields.error_description);
  if (
    /not valid JSON/.test(described) &&
    fuzzCase.body !== null &&
    parses(fuzzCase.body) &&
    !hasPrototypeKey(fuzzCase.body)
  ) {
    fail(`a body that parses was described as: ${described}`);
  }
}

function checkSecrets(fuzzCase: FuzzCase, observed: Observed, planted: PlantedSecrets): void {
  for (const secret of planted.never) {
    if (observed.body.includes(secret)) fail('a planted secret in the response body');
    if (observed.logs.includes(secret)) fail('a planted secret in the logs');
  }
  const success = observed.status < 300;
  for (const secret of planted.answerOnly) {
    if (observed.logs.includes(secret)) fail('an issued client secret in the logs');
    if (!success && observed.body.includes(secret)) fail('an issued client secret in an error body');
  }
  for (const key of presentedKeys(fuzzCase)) {
    if (observed.logs.includes(key)) fail('a presented X-API-KEY value in the logs');
  }
}
