import { logger } from '../../commons/logger';
import type { OwnershipLedger } from '../../store/ownership-ledger';
import { RegistrationConflictError } from '../../store/registration-store';
import { storeCall } from '../generic/store-call';
import { reasonOf } from '../orphans';

/**
 * Which client secret ids the bridge answered to Konnect, so a rotation that finds two secrets
 * deletes the one Konnect does not hold. Cognito keeps no note on a secret, and the newest is not
 * always Konnect's (an AddUserPoolClientSecret whose answer was lost made a newer one). One
 * registration-store record per answered secret id, under a key no Konnect client id can take
 * ("#" is outside functions/contract/client-id.ts), through the ownership ledger as it is.
 */
export class AnsweredSecrets {
  constructor(private readonly ledger: OwnershipLedger) {}

  /** Whether the secret was answered to Konnect; a store failure is a 503 (nothing was changed yet). */
  isAnswered(secretId: string): Promise<boolean> {
    return storeCall(() => this.ledger.isOwned(keyOf(secretId)));
  }

  /** Notes the secret as Konnect's; a 503 when the store fails (callers do this before a Cognito write). */
  async mark(secretId: string): Promise<void> {
    await storeCall(async () => {
      try {
        await this.ledger.recordOwnership(keyOf(secretId));
      } catch (error) {
        // Marked already: the record exists.
        if (!(error instanceof RegistrationConflictError)) throw error;
      }
    });
  }

  /** As mark, after the fact: false (and a WARN) instead of an error. */
  async tryMark(secretId: string): Promise<boolean> {
    try {
      await this.mark(secretId);
      return true;
    } catch (error) {
      logger.warn('Could not note which client secret Konnect holds', { secret_id: secretId, reason: reasonOf(error) });
      return false;
    }
  }

  /** Forgets the note; false (and a WARN) when the store fails. */
  async tryForget(secretId: string): Promise<boolean> {
    try {
      await this.ledger.delete(keyOf(secretId));
      return true;
    } catch (error) {
      logger.warn('Could not forget a client secret note', { secret_id: secretId, reason: reasonOf(error) });
      return false;
    }
  }
}

const keyOf = (secretId: string) => `answered-secret#${secretId}`;
