import { BridgeError, idpFailed } from '../../commons/bridge-error';
import { idpErrorFromResponse, sanitizeIdpText } from '../idp-error';

/**
 * Keycloak answers errors in two shapes: `{"error","error_description"}` (OAuth endpoints and
 * the admin API's validation) and `{"errorMessage"}` (admin API conflicts and other failures).
 * https://www.keycloak.org/docs-api/latest/rest-api/index.html#ErrorRepresentation
 */
export function keycloakErrorOf(body: unknown): { code?: string; description?: string } {
  if (typeof body !== 'object' || body === null) return {};
  const { error, error_description: description, errorMessage } = body as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? sanitizeIdpText(value) : undefined);
  return { code: text(error), description: text(description) ?? text(errorMessage) };
}

// Keycloak's admin API reports a refused client representation (redirect URIs included) this way.
const INPUT_ERRORS = new Set(['invalid_input', 'invalid_client_metadata', 'invalid_redirect_uri']);

export interface KeycloakErrorOptions {
  /**
   * Whether the refused request carried the developer's own input (a new client, new redirect
   * URIs). Only then is a refused representation the developer's 400; a refusal of what the
   * bridge built (a secret regeneration, read-back fields) is Keycloak's problem, answered 502.
   */
  developerInput?: boolean;
}

/**
 * Maps a Keycloak answer the bridge did not expect: the developer's input refused as 400, a
 * missing realm-management role apart from refused credentials, and the rest as the IdP failing,
 * always naming Keycloak's status and error.
 */
export function keycloakErrorFromResponse(
  operation: string,
  status: number,
  body: unknown,
  { developerInput = false }: KeycloakErrorOptions = {},
): BridgeError {
  const { code, description } = keycloakErrorOf(body);
  const detail = [code, description].filter(Boolean).join(': ');
  const answered = `The identity provider (keycloak) answered ${status}${detail ? ` (${detail})` : ''} to ${operation}`;
  const inputRefused = status === 400 && code !== undefined && INPUT_ERRORS.has(code);
  if (inputRefused && developerInput) return new BridgeError(400, 'invalid_client_metadata', `${answered}.`);
  if (inputRefused) {
    return idpFailed(`${answered}: Keycloak refused what the bridge sent, not the developer's input.`);
  }
  if (status === 403) {
    return idpFailed(
      `${answered}: the bridge's service account lacks the realm-management role "manage-clients" in this realm.`,
    );
  }
  return idpErrorFromResponse(
    'keycloak',
    operation,
    status,
    { error: code, error_description: description },
    { developerInput },
  );
}

/** Whether Keycloak's refusal is about redirect URIs, the developer's part of an update. */
export function namesRedirectUris(body: unknown): boolean {
  const { code = '', description = '' } = keycloakErrorOf(body);
  return /redirect/i.test(`${code} ${description}`);
}
