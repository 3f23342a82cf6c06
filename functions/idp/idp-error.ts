import { BridgeError, idpFailed, serviceUnavailable } from '../commons/bridge-error';
import { CONTROL_CHARACTERS } from '../commons/control-characters';
import { redactSecretValues } from '../commons/redaction';

/** RFC 7591 section 3.2.2 codes that mean "the developer's input was refused", not "the IdP broke". */
const CLIENT_METADATA_ERRORS = new Set([
  'invalid_redirect_uri',
  'invalid_client_metadata',
  'invalid_software_statement',
  'unapproved_software_statement',
]);

/**
 * Keeps an IdP's explanation readable while dropping what must not reach Konnect: credentials
 * first (an IdP may echo the token or secret it was given), then addresses. Cut only after
 * masking, so no secret survives half-cut.
 */
export function sanitizeIdpText(text: string): string {
  return redactSecretValues(text)
    .replace(/[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, '<address>')
    .replace(CONTROL_CHARACTERS, ' ')
    .slice(0, 300);
}

/** Reads an OAuth-style `{error, error_description}` body if the IdP sent one. */
export function oauthErrorOf(body: unknown): { code?: string; description?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, error_description: description } = body as Record<string, unknown>;
  return {
    code: typeof error === 'string' ? sanitizeIdpText(error) : undefined,
    description: typeof description === 'string' ? sanitizeIdpText(description) : undefined,
  };
}

export interface IdpErrorOptions {
  /**
   * Whether the refused request carried the developer's own input (a registration, new redirect
   * URIs). Only then is an RFC 7591 metadata error passed on as 400; a refusal of what the bridge
   * built (a rotation, read-back metadata, its own defaults) is the IdP's problem, answered 502.
   */
  developerInput?: boolean;
}

/**
 * Maps an unexpected IdP answer to what Konnect shows: the developer's mistakes as 400, the
 * bridge's own IdP credentials being refused, rate limiting, and "the IdP failed" apart. Every
 * description names the IdP's status and error code.
 */
export function idpErrorFromResponse(
  idpName: string,
  operation: string,
  status: number,
  body: unknown,
  { developerInput = false }: IdpErrorOptions = {},
): BridgeError {
  const { code, description } = oauthErrorOf(body);
  const detail = [code, description].filter(Boolean).join(': ');
  const answered = `The identity provider (${idpName}) answered ${status}${detail ? ` (${detail})` : ''} to ${operation}`;
  const metadataRefused = status === 400 && code !== undefined && CLIENT_METADATA_ERRORS.has(code);
  if (metadataRefused && developerInput) return new BridgeError(400, code, `${answered}.`);
  if (metadataRefused) {
    return idpFailed(
      `${answered}: it refused metadata the bridge built, not the developer's input; check the IdP's client policy and the bridge's IDP_ settings.`,
    );
  }
  // RFC 6749 section 5.2: a token endpoint refusing the bridge's own client answers 400 with these.
  const credentialsRefused = code === 'invalid_client' || code === 'unauthorized_client';
  if (status === 401 || status === 403 || (status === 400 && credentialsRefused)) {
    return idpFailed(`${answered}: the bridge's credentials for the identity provider were refused; check them.`);
  }
  if (status === 429) {
    return serviceUnavailable(`${answered}: the identity provider is rate-limiting the bridge; retry later.`);
  }
  return idpFailed(`${answered}.`);
}
