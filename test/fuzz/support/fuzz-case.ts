import fc from 'fast-check';

/** How a case reaches the bridge: as an API Gateway event in-process, or as raw bytes over HTTP. */
export type Transport = 'event' | 'http';

/**
 * How a case is generated: for which transport, and whether it must stay valid (clean cases keep
 * the valid requests, and the IdP calls they make, plentiful).
 */
export interface Mode {
  transport: Transport;
  clean: boolean;
}

/** The valid choice alone for a clean case; otherwise weighted against the bent ones. */
export function validOr<T>(
  mode: Mode,
  valid: fc.Arbitrary<T>,
  validWeight: number,
  ...bent: Array<fc.WeightedArbitrary<T>>
): fc.Arbitrary<T> {
  return mode.clean ? valid : fc.oneof({ weight: validWeight, arbitrary: valid }, ...bent);
}

/**
 * What a part of a request means for the whole: `refuse` makes it invalid whatever else it holds,
 * `accept` keeps it valid, `either` is a case the contract leaves open (only the safety
 * properties apply then).
 */
export type Expectation = 'accept' | 'refuse' | 'either';

export interface Verdict {
  expect: Expectation;
  /** The mutation, for the failure report. */
  why: string;
}

/** A generated value together with what it does to the request's validity. */
export interface Part<T> {
  value: T;
  verdicts: Verdict[];
}

export const accepted = <T>(value: T, why?: string): Part<T> => ({
  value,
  verdicts: why ? [{ expect: 'accept', why }] : [],
});
export const refused = <T>(value: T, why: string): Part<T> => ({ value, verdicts: [{ expect: 'refuse', why }] });
export const either = <T>(value: T, why: string): Part<T> => ({ value, verdicts: [{ expect: 'either', why }] });

/** The IdP adapter call an accepted request makes; `none` for an acknowledged unknown event. */
export type ExpectedCall =
  | 'createClient'
  | 'deleteClient'
  | 'rotateSecret'
  | 'updateRedirectUris'
  | 'addRegistration'
  | 'removeRegistration'
  | 'none';

export type RouteName = 'create' | 'delete' | 'rotate' | 'event';

export interface FuzzCase {
  route: RouteName;
  method: string;
  /** API Gateway's resource template (what the handler routes on). */
  resource: string;
  /** The path parameter as API Gateway hands it over: percent-decoded. */
  clientId: string | undefined;
  /** The request target an HTTP client sends (still encoded), with any query string. */
  rawPath: string;
  /** In order; the same name may repeat, in any case. */
  headers: Array<[string, string]>;
  body: string | null;
  verdicts: Verdict[];
  call: ExpectedCall;
}

/** One refusing mutation makes the request invalid; otherwise any open one leaves it open. */
export function expectationOf(verdicts: readonly Verdict[]): Expectation {
  if (verdicts.some((verdict) => verdict.expect === 'refuse')) return 'refuse';
  if (verdicts.some((verdict) => verdict.expect === 'either')) return 'either';
  return 'accept';
}

const clip = (text: string, max = 160) =>
  text.length <= max ? JSON.stringify(text) : `${JSON.stringify(text.slice(0, max))}…(${text.length} chars)`;

/** A readable, bounded description: generated bodies can be megabytes. */
export function describeCase(fuzzCase: FuzzCase): string {
  const headers = fuzzCase.headers.map(([name, value]) => `${clip(name, 60)}: ${clip(value, 80)}`).join(', ');
  return [
    `${fuzzCase.method} ${clip(fuzzCase.rawPath)} (resource ${fuzzCase.resource}, clientId ${
      fuzzCase.clientId === undefined ? 'none' : clip(fuzzCase.clientId)
    })`,
    `headers [${headers}]`,
    `body ${fuzzCase.body === null ? 'null' : clip(fuzzCase.body, 300)}`,
    `expect ${expectationOf(fuzzCase.verdicts)}: ${fuzzCase.verdicts.map((v) => `${v.expect} ${v.why}`).join('; ') || 'a valid request'}`,
  ].join('\n  ');
}

/** Makes fast-check print the bounded description instead of the whole value. */
export function withDescription(fuzzCase: FuzzCase): FuzzCase {
  Object.defineProperty(fuzzCase, fc.toStringMethod, { value: () => describeCase(fuzzCase), enumerable: false });
  return fuzzCase;
}

/** A fixed seed keeps CI reproducible; FUZZ_SEED explores others (fast-check prints the seed on failure). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
