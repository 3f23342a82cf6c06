import { isAccepted, isRefused, type TokenAnswer } from './token-endpoint';

/**
 * What verify saw of the IdP's handling of client secrets, through the bridge: the facts an admin
 * needs to choose IDP_SECRET_ROTATION and IDP_REDIRECT_URI_UPDATES and Konnect's DCR provider options.
 */
export interface IdpBehaviour {
  rotation?: RotationSeen;
  update?: UpdateSeen;
  verification?: VerificationSeen;
}

/** What `new-secret` did; `old`/`new` are undefined when the token checks were skipped. */
export type RotationSeen =
  | { kind: 'skipped' }
  | { kind: 'unsupported' }
  | { kind: 'setting mismatch'; description: string }
  | { kind: 'issued'; old?: SecretFate; new?: SecretFate }
  | { kind: 'failed' };

/** What `update_application` did to the developer's secret. */
export type UpdateSeen =
  | { kind: 'applied'; secret?: SecretFate }
  | { kind: 'refused' }
  | { kind: 'rotated on update' }
  | { kind: 'failed' };

/** The two Verify-shaped creates; `previous` is the first one's secret afterwards. */
export type VerificationSeen = { kind: 'created'; previous?: SecretFate } | { kind: 'failed' };

export type SecretFate = 'accepted' | 'refused' | 'unclear';

/** What one token check showed about a secret; undefined when it was not asked. */
export function fateOf(answer: TokenAnswer | undefined): SecretFate | undefined {
  if (!answer) return undefined;
  if (isAccepted(answer)) return 'accepted';
  return isRefused(answer) ? 'refused' : 'unclear';
}

const SKIP_ROTATION = 'run verify with --skip-rotation';

/** Plain-words lines for the end of the run; none for what was not observed. */
export function describeIdpBehaviour(seen: IdpBehaviour): string[] {
  const lines = [
    seen.rotation && `  new-secret:           ${rotationText(seen.rotation)}`,
    seen.update && `  redirect URI updates: ${updateText(seen.update)}`,
    seen.verification && `  Konnect Verify:       ${verificationText(seen.verification)}`,
  ].filter((line): line is string => line !== undefined);
  return lines.length === 0 ? [] : ['How the IdP treats client secrets, as seen through the bridge:', ...lines];
}

function rotationText(rotation: RotationSeen): string {
  switch (rotation.kind) {
    case 'skipped':
      return 'not tried (--skip-rotation).';
    case 'unsupported':
      return `no rotation: the bridge answers 400 because the IdP cannot rotate secrets (IDP_SECRET_ROTATION=none). Turn on "Disable refresh secret" in the Konnect DCR provider and ${SKIP_ROTATION}; if the IdP does rotate on an update or a read, set IDP_SECRET_ROTATION=update or read.`;
    case 'setting mismatch':
      return `IDP_SECRET_ROTATION does not match this IdP; the bridge says: ${rotation.description}`;
    case 'failed':
      return 'unknown: new-secret failed (see above).';
    case 'issued':
      return issuedText(rotation);
  }
}

function issuedText({ old, new: fresh }: { old?: SecretFate; new?: SecretFate }): string {
  if (old === undefined && fresh === undefined) {
    return 'the bridge handed back a new secret; whether the IdP honours it was not checked (no --token-endpoint or --issuer).';
  }
  if (old === 'refused' && fresh === 'accepted') {
    return 'rotation works: the IdP refused the old secret and accepted the new one, so IDP_SECRET_ROTATION fits this IdP.';
  }
  if (old === 'accepted' && fresh === 'accepted') {
    return 'WARNING: the IdP accepts both the new and the old secret. Either it keeps previous secrets valid for a while (turn that grace period off, e.g. Curity\'s rotated-secret-ttl or a Keycloak secret-rotation policy), or it does not rotate the way IDP_SECRET_ROTATION says: try the other mode (update or read), or none with "Disable refresh secret" on in Konnect.';
  }
  if (fresh === 'refused') {
    return `broken: the IdP refuses the secret the bridge handed to Konnect, so IDP_SECRET_ROTATION does not match how this IdP rotates: try the other mode (update or read), or none with "Disable refresh secret" on in Konnect and ${SKIP_ROTATION}.`;
  }
  return 'unclear: the token endpoint answered neither a clear acceptance nor a refusal (see above).';
}

function updateText(update: UpdateSeen): string {
  switch (update.kind) {
    case 'applied':
      if (update.secret === 'accepted') return "applied, and the developer's secret keeps working.";
      if (update.secret === 'refused') {
        return "BROKEN: the bridge answered 200, but the developer's secret stopped working: the IdP issues a new secret on every update. Set IDP_REDIRECT_URI_UPDATES=refuse.";
      }
      return "applied (200); whether the developer's secret survives was not checked.";
    case 'refused':
      return 'refused on purpose (409 update_refused): the IdP issues a new secret on every update, so the bridge leaves redirect URIs alone (IDP_REDIRECT_URI_UPDATES=refuse). A redirect URI change in the portal fails with that explanation; change redirect URIs at the IdP by hand, or turn on "Disable event hooks" in the Konnect DCR provider.';
    case 'rotated on update':
      return "the IdP issued a new secret while the bridge updated the redirect URIs, so the developer's secret stopped working (the bridge answered 502). Set IDP_REDIRECT_URI_UPDATES=refuse.";
    case 'failed':
      return 'unknown: update_application failed (see above).';
  }
}

function verificationText(verification: VerificationSeen): string {
  if (verification.kind === 'failed') {
    return "a create with Konnect's placeholder ids failed (see above): the Verify button in Konnect fails against this bridge.";
  }
  const kept = 'a Verify-shaped create ("test portal_id") works';
  switch (verification.previous) {
    case 'refused':
      return `${kept}, and the bridge keeps at most one verification client at the IdP: each Verify removes the one before. This run deleted its own.`;
    case 'accepted':
      return `${kept}, but the previous verification client still works: verification clients pile up at the IdP (see above).`;
    default:
      return `${kept}; the bridge keeps at most one verification client (each Verify removes the one before), not confirmed at the IdP here. This run deleted its own.`;
  }
}
