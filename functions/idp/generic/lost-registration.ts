import { BridgeError } from '../../commons/bridge-error';
import { reportOrphan } from '../orphans';

/**
 * Answers from a gateway in front of the IdP saying it reached the IdP but lost its answer
 * (RFC 9110 sections 15.6.3 and 15.6.5): the registration may have happened. A 500 or 503 is the
 * IdP (or its balancer) saying it failed, and counts as nothing created.
 */
export const ANSWER_LOST_STATUSES: ReadonlySet<number> = new Set([502, 504]);

/**
 * Reports a registration that may have created a client whose answer never reached the bridge.
 * RFC 7591 has no way to look a client up (no search, and the IdP picks the client id), so the
 * bridge cannot find and remove it: it leaves an `Orphaned client` error line with what it knows
 * and an `OrphanedClients` metric for the operator, and says so in the answer.
 */
export function reportLostRegistration(idpName: string, clientName: string, error: BridgeError): BridgeError {
  reportOrphan(
    idpName,
    'Orphaned client possible at the IdP: the registration may have been created, but its answer was lost and RFC 7591 offers no way to find it; look for a client with this client_name registered at this time and delete it',
    { idp: idpName, client_name: clientName, reason: error.description },
  );
  return new BridgeError(
    error.statusCode,
    error.error,
    `${error.description} The identity provider may have created the client anyway; the bridge reported it for removal.`,
    { cause: error.cause ?? error },
  );
}
