import { createHash } from 'node:crypto';
import { truncate } from '../../contract/fields';
import type { KonnectIds } from '../idp-adapter';

/**
 * Okta's limit for an application name ("Application name: maximum 100 characters",
 * https://support.okta.com/help/s/article/What-Are-the-Character-Limits-for-Certain-Fields-in-the-Okta-Console);
 * the suffix takes 18 of them. Counted in UTF-16 units, as Okta (Java) counts.
 */
export const MAX_CLIENT_NAME_LENGTH = 100;

/** " (<8 hex of the developer or portal id>-<6 hex of a hash>)" at the end of a bridge-made name. */
const BRIDGE_SUFFIX = / \([0-9a-f]{8}-[0-9a-f]{6}\)$/;

/**
 * Okta's `client_name` is unique per org, and Okta's DCR client has no free-form metadata, so the
 * name carries the trace back to Konnect. It is deterministic: a repeated create of the same
 * Konnect application (a retry after a lost answer) collides at Okta instead of silently
 * creating a second client. The suffix starts with the developer id (or portal id), so an admin
 * can find a developer's clients in Okta, and ends with a hash of all Konnect ids and the name,
 * so equal names of different developers, portals or auth strategies never collide.
 */
export function uniqueClientName(clientName: string, konnect: KonnectIds): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        konnect.portalId ?? null,
        konnect.organizationId ?? null,
        konnect.developerId ?? null,
        konnect.authStrategyId ?? null,
        konnect.dcrProviderId ?? null,
        clientName,
      ]),
    )
    .digest('hex');
  const owner = hexPrefix(konnect.developerId ?? konnect.portalId) ?? digest.slice(6, 14);
  const suffix = ` (${owner}-${digest.slice(0, 6)})`;
  return `${shorten(clientName.trim(), MAX_CLIENT_NAME_LENGTH - suffix.length)}${suffix}`;
}

/** Whether a client name has the bridge's suffix, i.e. the bridge created this client. */
export const isBridgeClientName = (name: string | null | undefined): boolean =>
  typeof name === 'string' && BRIDGE_SUFFIX.test(name);

function hexPrefix(uuid: string | undefined): string | undefined {
  const hex = uuid?.toLowerCase().replace(/[^0-9a-f]/g, '') ?? '';
  return hex.length >= 8 ? hex.slice(0, 8) : undefined;
}

/** Cuts a name that does not fit, never inside a character, marking the cut before the suffix. */
function shorten(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  return `${truncate(text, maxLength - 1).trimEnd()}…`;
}
