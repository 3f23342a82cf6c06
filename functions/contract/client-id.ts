import { invalidRequest } from '../commons/bridge-error';

/**
 * Client ids from Okta, Auth0, Entra, Keycloak, Curity and oidc-provider all fit RFC 3986
 * "unreserved" characters. Refusing everything else (and the dot segments "." and "..") means no
 * id can steer an IdP URL to another path or query, even before it is percent-encoded.
 */
const CLIENT_ID_PATTERN = /^[A-Za-z0-9._~-]{1,255}$/;

/** The characters, in words, for error texts. */
export const CLIENT_ID_RULE = '1 to 255 characters of A-Z, a-z, 0-9, ".", "_", "~" and "-"';

/** Whether Konnect can send `value` back in a path, so the bridge can manage that client later. */
export const isManageableClientId = (value: string): boolean =>
  CLIENT_ID_PATTERN.test(value) && value !== '.' && value !== '..';

export function parseClientId(value: string | undefined): string {
  if (value === undefined || value === '') {
    throw invalidRequest('The client id in the path is missing.');
  }
  if (!isManageableClientId(value)) {
    throw invalidRequest(`The client id in the path is invalid: use ${CLIENT_ID_RULE}.`);
  }
  return value;
}
