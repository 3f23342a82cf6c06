/**
 * Where the bridge remembers the client it created for Konnect's latest "Verify" click, so the
 * next verification can remove it: verification clients never pile up at the IdP.
 */
export interface VerificationLedger {
  /** Records `clientId` as the latest verification client; resolves the one it replaces, if any. */
  replaceVerificationClient(clientId: string): Promise<string | undefined>;
}

/** The key under which stores keep the pointer; `#` never occurs in a client id (see contract/client-id). */
export const VERIFICATION_RECORD_KEY = '#konnect-verification';
