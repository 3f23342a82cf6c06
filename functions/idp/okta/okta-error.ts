import { BridgeError, idpFailed, serviceUnavailable } from '../../commons/bridge-error';
import type { HttpResponse } from '../../commons/http-client';
import { sanitizeIdpText } from '../idp-error';

/**
 * Okta answers in two shapes: OAuth-style `{error, error_description}` on /oauth2/v1/clients and
 * its token endpoints, and `{errorCode, errorSummary, errorCauses[], errorId}` everywhere else
 * (an invalid API token, a missing permission, a rate limit, an unknown resource).
 * https://developer.okta.com/docs/reference/api/oauth-clients/
 * https://developer.okta.com/docs/reference/error-codes/
 */
export interface OktaErrorBody {
  /** `error` (OAuth) or `errorCode` (E0000011 …), sanitized. */
  code?: string;
  /** `error_description`, or `errorSummary` with the summaries of its `errorCauses`, sanitized. */
  summary?: string;
}

export function oktaErrorOf(body: unknown): OktaErrorBody {
  if (typeof body !== 'object' || body === null) return {};
  const fields = body as Record<string, unknown>;
  const code = text(fields.errorCode) ?? text(fields.error);
  const causes = Array.isArray(fields.errorCauses)
    ? fields.errorCauses.map((cause) => text((cause as Record<string, unknown> | null)?.errorSummary)).filter(Boolean)
    : [];
  const summary = text(fields.errorSummary) ?? text(fields.error_description);
  const full = [summary, ...causes].filter(Boolean).join('; ');
  return {
    code: code === undefined ? undefined : sanitizeIdpText(code),
    summary: full === '' ? undefined : sanitizeIdpText(full),
  };
}

/** What to tell the admin when Okta refuses the bridge's own credentials, per authentication mode. */
export interface CredentialHints {
  /** After a 401 (E0000011): which credential to check. */
  refused: string;
  /** After a 403 (E0000006): which role, grant or scope is missing. */
  forbidden: string;
}

// Okta's codes for refused client metadata: the redirect URIs, the name, the grant combination.
const CLIENT_INPUT_ERRORS = new Set(['invalid_client_metadata', 'invalid_redirect_uri', 'E0000001']);

export interface OktaErrorOptions {
  /**
   * Whether the refused request carried the developer's own input (a registration, new redirect
   * URIs). Only then is refused metadata the developer's 400; a refusal of what the bridge built
   * (a new secret, read-back metadata) is Okta's problem, answered 502.
   */
  developerInput?: boolean;
}

/**
 * Maps an unexpected Okta answer to what Konnect shows, telling apart the developer's input (400),
 * the bridge's credentials being refused (502 naming them), rate limiting (503) and Okta failing
 * (502), always naming Okta's status and error code.
 */
export function oktaErrorFromResponse(
  operation: string,
  response: HttpResponse,
  hints: CredentialHints,
  { developerInput = false }: OktaErrorOptions = {},
): BridgeError {
  const { status } = response;
  const { code, summary } = oktaErrorOf(response.body);
  const detail = [code, summary].filter(Boolean).join(': ');
  const answered = `Okta answered ${status}${detail ? ` (${detail})` : ''} to ${operation}`;
  const metadataRefused = status === 400 && code !== undefined && CLIENT_INPUT_ERRORS.has(code);
  if (metadataRefused && developerInput) return new BridgeError(400, 'invalid_client_metadata', `${answered}.`);
  if (metadataRefused) {
    return idpFailed(`${answered}: Okta refused what the bridge sent, not the developer's input.`);
  }
  if (status === 401) return idpFailed(`${answered}: the bridge's credentials for Okta were refused; ${hints.refused}`);
  if (status === 403)
    return idpFailed(`${answered}: the bridge's credentials for Okta lack a permission; ${hints.forbidden}`);
  if (status === 429) return serviceUnavailable(`${answered}: Okta is rate-limiting the bridge; retry later.`);
  return idpFailed(`${answered}.`);
}

/** Whether Okta's error names the redirect URIs ("redirect_uris: …"), i.e. the developer's part of an update. */
export function namesRedirectUris(response: HttpResponse): boolean {
  const { code = '', summary = '' } = oktaErrorOf(response.body);
  return /redirect_uri/i.test(`${code} ${summary}`);
}

/**
 * Okta's documented answer for an unknown client id is `401 invalid_client` on GET, PUT and DELETE,
 * and `404 E0000007` on newSecret; an invalid API token is a 401 with `E0000011` instead.
 * https://developer.okta.com/docs/reference/api/oauth-clients/#remove-a-client-application
 */
export const isUnknownClient = (response: HttpResponse): boolean =>
  response.status === 404 || (response.status === 401 && oktaErrorOf(response.body).code === 'invalid_client');

/** "client_name: An object with this field already exists in the current organization". */
export function isNameTaken(response: HttpResponse): boolean {
  const { code, summary = '' } = oktaErrorOf(response.body);
  return response.status === 400 && code === 'invalid_client_metadata' && /client_name.*already exists/i.test(summary);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
