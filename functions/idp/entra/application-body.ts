import { truncate } from '../../contract/fields';
import { isPrivateUseRedirectUri } from '../../contract/redirect-uris';
import type { KonnectIds, NewClient } from '../idp-adapter';

/** Every application the bridge creates carries this tag; the bridge manages no other. */
export const BRIDGE_TAG = 'konnect-dcr-bridge';

/** A per-create tag, so an application whose create answer was lost can still be found and removed. */
export const creationTag = (creationId: string) => `konnect-dcr-bridge-create:${creationId}`;

const KONNECT_ID_NAMES: ReadonlyArray<[keyof KonnectIds, string]> = [
  ['portalId', 'portal_id'],
  ['organizationId', 'organization_id'],
  ['developerId', 'developer_id'],
  ['applicationId', 'application_id'],
  ['authStrategyId', 'auth_strategy_id'],
  ['dcrProviderId', 'dcr_provider_id'],
];

/**
 * An application's `description`: "The maximum allowed size is 1,024 characters"
 * (https://learn.microsoft.com/graph/api/resources/application); cut, never refused.
 */
export const DESCRIPTION_MAX_LENGTH = 1024;
/** Graph names no limit for `notes`; the bridge keeps them within the description's. */
const NOTES_MAX_LENGTH = 1024;

/** Graph's `notes` (admin-facing): where the app came from. Konnect's ids may be long, so it is cut. */
export function konnectNotes(konnect: KonnectIds): string {
  const ids = KONNECT_ID_NAMES.flatMap(([key, name]) => (konnect[key] ? [`${name}=${konnect[key]}`] : []));
  return truncate(
    ['Created by the Konnect DCR bridge for a Konnect Dev Portal application.', ...ids].join(' '),
    NOTES_MAX_LENGTH,
  );
}

/**
 * Entra keeps a native app's private-use scheme redirect URIs (RFC 8252 §7.1) on the public client
 * platform (https://learn.microsoft.com/graph/api/resources/publicclientapplication); the web
 * platform takes only https and http on localhost
 * (https://learn.microsoft.com/entra/identity-platform/reply-url). A confidential client with
 * both keeps its secret and the client credentials grant.
 */
export function redirectUrisByPlatform(redirectUris: readonly string[]): { web: string[]; publicClient: string[] } {
  return {
    web: redirectUris.filter((uri) => !isPrivateUseRedirectUri(uri)),
    publicClient: redirectUris.filter(isPrivateUseRedirectUri),
  };
}

/**
 * The `POST /applications` body: a single-tenant app (client credentials need no other), the
 * developer's redirect URIs on the web platform (a native app's on the public client platform),
 * Konnect's ids in `notes`, the bridge's tags. Scopes have no per-client meaning in Entra: access
 * comes from `{api}/.default` and app roles.
 */
export function newApplicationBody(client: NewClient, creationId: string): Record<string, unknown> {
  const description = truncate(client.description, DESCRIPTION_MAX_LENGTH);
  const { web, publicClient } = redirectUrisByPlatform(client.redirectUris);
  return {
    displayName: client.clientName,
    ...(description && { description }),
    notes: konnectNotes(client.konnect),
    tags: [BRIDGE_TAG, creationTag(creationId)],
    signInAudience: 'AzureADMyOrg',
    web: {
      redirectUris: web,
      implicitGrantSettings: {
        enableAccessTokenIssuance: client.grantTypes.includes('implicit'),
        enableIdTokenIssuance: false,
      },
    },
    ...(publicClient.length > 0 && { publicClient: { redirectUris: publicClient } }),
  };
}

/** The secret's label in the Entra admin center, and its expiry. */
export function passwordCredentialBody(lifetimeDays: number, now = Date.now()): Record<string, unknown> {
  return {
    passwordCredential: {
      displayName: 'Konnect DCR bridge',
      endDateTime: new Date(now + lifetimeDays * 86_400_000).toISOString(),
    },
  };
}
