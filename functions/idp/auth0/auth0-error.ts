import * as z from 'zod/mini';
import { BridgeError, idpFailed, serviceUnavailable } from '../../commons/bridge-error';
import { sanitizeIdpText } from '../idp-error';

/** Management API v2 error body: `{statusCode, error, message, errorCode}`. */
const managementErrorBody = z.looseObject({
  error: z.optional(z.string()),
  message: z.optional(z.string()),
  errorCode: z.optional(z.string()),
});

/** "errorCode: message" from an Auth0 error body, sanitized; "" when there is none. */
export function auth0ErrorDetail(body: unknown): string {
  const parsed = managementErrorBody.safeParse(body);
  if (!parsed.success) return '';
  const { errorCode, error, message } = parsed.data;
  return [errorCode ?? error, message]
    .filter((part): part is string => Boolean(part))
    .map(sanitizeIdpText)
    .join(': ');
}

export interface Auth0Failure {
  /** What the bridge was doing, e.g. "creating the client". */
  operation: string;
  status: number;
  body: unknown;
  /** True when the request carried the developer's input, so a 400 is theirs to fix. */
  developerInput?: boolean;
}

/**
 * Maps an unexpected Management API answer to what the Konnect admin sees: the developer's input
 * refused (400), the bridge's own Auth0 credentials refused or under-privileged (502 naming them),
 * rate limiting (503), or Auth0 failing (502) — always with Auth0's status, errorCode and message.
 */
export function auth0Error({ operation, status, body, developerInput = false }: Auth0Failure): BridgeError {
  const detail = auth0ErrorDetail(body);
  const answered = `The identity provider (auth0) answered ${status}${detail ? ` (${detail})` : ''} to ${operation}`;
  if (status === 400 && developerInput) {
    // Auth0 names the offending property; "callbacks" holds the redirect URIs.
    const code = /callbacks/i.test(detail) ? 'invalid_redirect_uri' : 'invalid_client_metadata';
    return new BridgeError(400, code, `${answered}.`);
  }
  if (status === 401) {
    return idpFailed(
      `${answered}: Auth0 refused the bridge's Management API token; check the bridge's Auth0 credentials (client_id/client_secret of its Machine-to-Machine application).`,
    );
  }
  if (status === 403) {
    return idpFailed(
      `${answered}: the bridge's Auth0 credentials lack a Management API permission; grant it to the bridge's Machine-to-Machine application.`,
    );
  }
  if (status === 429) {
    return serviceUnavailable(`${answered}: Auth0 is rate-limiting the bridge; retry later.`);
  }
  return idpFailed(`${answered}.`);
}
