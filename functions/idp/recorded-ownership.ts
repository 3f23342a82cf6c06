import type { OwnershipLedger } from '../store/ownership-ledger';
import { storeCall } from './generic/store-call';
import { unrecordedClient } from './orphans';
import type { Ownership } from './ownership';

/** Why a client without a record is refused, for the log line. */
const NO_RECORD = {
  basis:
    'the registration store holds no record of the bridge creating it (another party created it, an earlier bridge version did, or it was deleted already)',
};

/**
 * Ownership proven by the registration store's record, for IdPs where the bridge's credential
 * reaches every client (Curity's dcrm token, Cognito's IAM role) and the client itself cannot
 * carry a mark: the record decides, and no call to the IdP is made for a client without one.
 */
export class RecordedOwnership {
  constructor(
    private readonly ledger: OwnershipLedger,
    private readonly ownership: Ownership,
    /** Where the unrecorded client lives, for the error text: "in Curity". */
    private readonly where: string,
    /** Deletes a client the bridge could not record; true when it is gone. */
    private readonly undoCreate: (clientId: string) => Promise<boolean>,
  ) {}

  owns(clientId: string): Promise<boolean> {
    return storeCall(() => this.ledger.isOwned(clientId));
  }

  async requireOwned(clientId: string): Promise<void> {
    if (!(await this.owns(clientId))) throw this.ownership.refused(clientId, 'not created by the bridge', NO_RECORD);
  }

  /** Whether a delete may go ahead; for a client without a record the refusal is answered (and logged) instead. */
  async mayDelete(clientId: string): Promise<boolean> {
    if (await this.owns(clientId)) return true;
    this.ownership.deleteRefused(clientId, 'not created by the bridge', NO_RECORD);
    return false;
  }

  /** Without its record the bridge would refuse the client forever, so a client it cannot record is undone. */
  async recordCreated(clientId: string): Promise<void> {
    try {
      await this.ledger.recordOwnership(clientId);
    } catch (error) {
      throw unrecordedClient(await this.undoCreate(clientId), clientId, this.where, error);
    }
  }

  forget(clientId: string): Promise<void> {
    return storeCall(() => this.ledger.delete(clientId));
  }
}
