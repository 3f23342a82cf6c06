import { type BridgeError, clientNotFound } from '../commons/bridge-error';
import { logger } from '../commons/logger';
import type { IdpCredentials } from './idp-credentials';

/** The mark every client the bridge creates carries where its IdP keeps one (Auth0, Curity). */
export const MANAGED_BY = 'konnect-dcr-bridge';

/** Why the bridge will not act on a client Konnect named. */
export type Refusal = 'not created by the bridge' | "the bridge's own credentials";

/**
 * The rule every adapter follows: it never acts on a client the bridge did not create, nor on the
 * bridge's own client at the IdP (whoever holds the Konnect key could otherwise rotate that secret,
 * or redirect and re-grant anyone's application). Such a client is answered exactly like an unknown
 * one, so the answer tells nothing about what else the IdP holds; the refusal goes to the log.
 */
export class Ownership {
  constructor(
    private readonly idpType: string,
    private readonly credentials: () => Promise<IdpCredentials>,
  ) {}

  /**
   * Whether the id is the bridge's own client (its IdP credentials' client_id); checked before any
   * IdP call. Compared ignoring case: a refusal too many is safe, an Entra appId differing only in case is not.
   */
  async isBridgeItself(clientId: string): Promise<boolean> {
    const own = (await this.credentials()).clientId;
    return own !== undefined && own.toLowerCase() === clientId.toLowerCase();
  }

  /** Throws the refusal when the id is the bridge's own client. */
  async refuseBridgeItself(clientId: string): Promise<void> {
    if (await this.isBridgeItself(clientId)) throw this.refused(clientId, "the bridge's own credentials");
  }

  /** For rotate, update and registrations: logs the refusal and returns the unknown-client answer (404). */
  refused(clientId: string, reason: Refusal, details: Record<string, unknown> = {}): BridgeError {
    this.log(clientId, reason, details);
    return clientNotFound(clientId);
  }

  /** For delete: logs the refusal; the caller answers 204, as for a client already gone, and calls nothing. */
  deleteRefused(clientId: string, reason: Refusal, details: Record<string, unknown> = {}): void {
    this.log(clientId, reason, details);
  }

  private log(clientId: string, reason: Refusal, details: Record<string, unknown>): void {
    logger.warn('Refused to act on a client the bridge did not create', {
      idp_type: this.idpType,
      client_id: clientId,
      reason,
      ...details,
    });
  }
}
