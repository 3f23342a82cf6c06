/**
 * A Konnect API answer other than the expected one, from its problem+json body (BaseError in the
 * Application Auth Strategies API v2: {status, title, type?, instance: "kong:trace:<id>", detail},
 * plus invalid_parameters on a 400). Every text is already redacted of the token and API keys.
 */
export class KonnectApiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    /** Konnect's correlation id (kong:trace:...), for Kong's support. */
    readonly instance?: string,
    /** "<field>: <reason>" per invalid parameter of a 400. */
    readonly invalidParameters: readonly string[] = [],
  ) {
    const fields = invalidParameters.length > 0 ? ` (${invalidParameters.join('; ')})` : '';
    const trace = instance ? ` [${instance}]` : '';
    super(`Konnect answered ${status} ${title}: ${detail}${fields}${hint(status)}${trace}`);
    this.name = 'KonnectApiError';
  }
}

/** What the operator can do about the statuses one meets when wiring a provider. */
function hint(status: number): string {
  if (status === 401) return ' — the Konnect token is missing, expired or wrong for this region';
  if (status === 403) return ' — the token lacks permission to manage DCR providers (Application Auth Strategies)';
  return '';
}
