import { BridgeError } from '../../commons/bridge-error';
import { logger } from '../../commons/logger';
import {
  canLease,
  isLeased,
  RegistrationConflictError,
  type RegistrationRecord,
  type RegistrationStore,
} from '../../store/registration-store';
import type { OperationContext } from '../idp-adapter';
import { storeCall } from './store-call';

/**
 * How long a lease outlives the operation's deadline: time for the last store write and the
 * answer. A Lambda that dies holding a lease blocks its client for no longer than this.
 */
const LEASE_MARGIN_MS = 5000;

/** The record an operation holds; its writes advance it, and a delete ends it. */
export interface HeldClient {
  record: RegistrationRecord;
  /** Set once the record is deleted: there is nothing left to release. */
  deleted?: boolean;
}

export const operationInProgress = (clientId: string, cause?: unknown) =>
  new BridgeError(
    409,
    'conflict',
    `Another operation on client ${clientId} is in progress at the identity provider; retry in a few seconds.`,
    { cause },
  );

/**
 * Runs one RFC 7592 operation with the client held, so two operations on one client (two
 * rotations at once, a rotation and a delete) never both reach the IdP: the second is refused
 * with 409 before it sends anything, and the first stores the token the IdP now honours. The
 * lease is a conditional write on the record's version, ended by the holder or by its expiry.
 */
export async function withLease<T>(
  store: RegistrationStore,
  record: RegistrationRecord,
  context: OperationContext,
  work: (held: HeldClient) => Promise<T>,
): Promise<T> {
  // A store without leases (a test double) runs the work unguarded.
  if (!canLease(store)) return work({ record });
  if (isLeased(record)) throw operationInProgress(record.clientId);
  const held: HeldClient = {
    record: await storeCall(() =>
      store.lease(record.clientId, record.version, context.deadlineAt + LEASE_MARGIN_MS),
    ).catch((error: unknown) => {
      throw error instanceof BridgeError && error.cause instanceof RegistrationConflictError
        ? operationInProgress(record.clientId, error.cause)
        : error;
    }),
  };
  try {
    return await work(held);
  } finally {
    if (!held.deleted) {
      // The work's outcome stands either way; an unreleased lease only expires by itself.
      await store.release(held.record.clientId, held.record.version).catch((error: unknown) => {
        logger.warn('Could not release the lease on a client; it expires by itself', {
          client_id: held.record.clientId,
          reason: error instanceof Error ? error.name : String(error),
        });
      });
    }
  }
}
