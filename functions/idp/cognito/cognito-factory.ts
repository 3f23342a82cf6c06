import { ownershipLedgerOf } from '../../store/ownership-ledger';
import { defineAdapter } from '../adapter-factory';
import { Ownership } from '../ownership';
import { CognitoAdapter } from './cognito-adapter';
import { CognitoApi } from './cognito-api';
import { cognitoSettings } from './cognito-settings';

/**
 * Amazon Cognito user pools: app clients through the Cognito Identity Provider API, with the
 * Lambda role as the credential (no IdP credentials secret is read).
 */
export const cognitoAdapter = defineAdapter({
  // The record of each client the bridge created: app clients have no tags to prove it.
  needsRegistrationStore: true,
  settings: cognitoSettings,
  create(settings, { store }) {
    return new CognitoAdapter(
      settings,
      new CognitoApi({ userPoolId: settings.userPoolId, region: settings.region }),
      // The bridge has no app client of its own in the pool (its role is its credential): nothing to protect.
      new Ownership('cognito', async () => ({})),
      ownershipLedgerOf(store()),
    );
  },
});
