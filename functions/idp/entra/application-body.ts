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

/** Graph's `notes` (admin-facing, up to 1024 characters): where the app came from. */
export function konnectNotes(konnect: KonnectIds): string {
  const ids = KONNECT_ID_NAMES.flatMap(([key, name]) => (konnect[key] ? [`${name}=${konnect[key]}`] : []));
  return ['Created by the Konnect DCR bridge for a Konnect Dev Portal application.', ...ids].join(' ');
}

/**
 * The `POST /applications` body: a single-tenant app (client credentials need no other), the
 * developer's redirect URIs on the web platform, Konnect's ids in `notes`, the bridge's tags.
 * Scopes have no per-client meaning in Entra: access comes from `{api}/.default` and app roles.
 */
export function newApplicationBody(client: NewClient, creationId: string): Record<string, unknown> {
  return {
    displayName: client.clientName,
    ...(client.description && { description: client.description }),
    notes: konnectNotes(client.konnect),
    tags: [BRIDGE_TAG, creationTag(creationId)],
    signInAudience: 'AzureADMyOrg',
    web: {
      redirectUris: client.redirectUris,
      implicitGrantSettings: {
        enableAccessTokenIssuance: client.grantTypes.includes('implicit'),
        enableIdTokenIssuance: false,
      },
    },
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
