import { BridgeError, idpFailed } from '../commons/bridge-error';
import { logger } from '../commons/logger';

/**
 * What the bridge does with Konnect's redirect URI updates (`IDP_REDIRECT_URI_UPDATES`): `apply`
 * them at the IdP, or `refuse` them because the IdP issues a new client secret on every update.
 */
export const REDIRECT_URI_UPDATE_MODES = ['apply', 'refuse'] as const;
export type RedirectUriUpdates = (typeof REDIRECT_URI_UPDATE_MODES)[number];

/**
 * An update that changes the client's secret silently breaks the developer's credentials, so the
 * bridge never lets one pass with a 200. One rule for every adapter: refuse before touching the
 * IdP where it always rotates, detect it where it may, and say what to do in both cases.
 */

/** The 409 for an IdP that issues a new secret on every update: nothing was sent to it. */
export function redirectUriUpdateRefused(idpName: string, clientId: string, remedy: string): BridgeError {
  return new BridgeError(
    409,
    'update_refused',
    `The identity provider (${idpName}) issues a new client secret on every update, which would stop the developer's current secret from working, so the bridge did not change the redirect URIs of client ${clientId}. ${remedy}`,
  );
}

/**
 * Whether an update answer carries another secret than the developer's. A secret the bridge did not
 * have before (the read showed none) is one the IdP has just issued: IdPs that keep the secret show
 * it on reads too.
 */
export function secretChanged(before: string | undefined, after: string | undefined): boolean {
  return after !== undefined && after !== before;
}

/**
 * The 502 for an update that was applied but came with a new secret: an ERROR line for the operator
 * and a description telling the admin what the developer must do and how to stop it recurring.
 */
export function secretChangedByUpdate(idpName: string, clientId: string, setting: string): BridgeError {
  logger.error('The identity provider issued a new client secret while the bridge updated the redirect URIs', {
    client_id: clientId,
    idp: idpName,
  });
  return idpFailed(
    `The identity provider (${idpName}) issued a new client secret while updating the redirect URIs of client ${clientId}; the developer's current secret no longer works: the developer must refresh the secret in the portal. ${setting}`,
  );
}
