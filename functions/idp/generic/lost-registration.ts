import { BridgeError } from '../../commons/bridge-error';
import { reportOrphan } from '../orphans';

/**
 * Whether a registration answered with this status may still have created the client. Any 5xx
 * may: a gateway that lost the IdP's answer (RFC 9110 sections 15.6.3 and 15.6.5), and IdPs that
 * store the client and then fail (seen under concurrent registrations with a 500).
 */
export const mayHaveRegistered = (status: number) => status >= 500 && status <= 599;

/**
 * Reports a registration that may have created a client the bridge cannot name (its answer was
 * lost or cut, or the IdP answered a 5xx).
 * RFC 7591 has no way to look a client up (no search, and the IdP picks the client id), so the
 * bridge cannot find and remove it: it leaves an `Orphaned client` error line with what it knows
 * and an `OrphanedClients` metric for the operator, and says so in the answer.
 */
export function reportLostRegistration(idpName: string, clientName: string, error: BridgeError): BridgeError {
  reportOrphan(
    idpName,
    'Orphaned client possible at the IdP: the registration may have been created, but no usable answer named it (lost, cut, or a 5xx) and RFC 7591 offers no way to find it; look for a client with this client_name registered at this time and delete it',
    { idp: idpName, client_name: clientName, reason: error.description },
  );
  return new BridgeError(
    error.statusCode,
    error.error,
    `${error.description} The identity provider may have created the client anyway; the bridge reported it for removal.`,
    { cause: error.cause ?? error },
  );
}
