import { KONNECT_ID_FIELDS, type KonnectIdValues } from './konnect-ids';

/**
 * Konnect's "Verify" button on a DCR provider sends a real create whose ids are placeholders named
 * after their field (`portal_id: "test portal_id"`); any one of them marks the create as a verification.
 */
export function isKonnectVerification(request: KonnectIdValues): boolean {
  return KONNECT_ID_FIELDS.some((field) => request[field] === `test ${field}`);
}
