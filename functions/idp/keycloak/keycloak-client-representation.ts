import * as z from 'zod/mini';
import { truncate } from '../../contract/fields';
import type { KonnectIds, NewClient } from '../idp-adapter';

/** Marks clients the bridge created: it never touches a client without it (see isBridgeManaged). */
export const MANAGED_BY_ATTRIBUTE = 'konnect.managed_by';
export const MANAGED_BY_VALUE = 'dcr-bridge';

/**
 * Keycloak stores a client's name and description in 255-character columns, and its admin API v2
 * says so (`@Size(max=255)`, https://github.com/keycloak/keycloak/pull/48935); cut, never refused.
 */
export const NAME_MAX_LENGTH = 255;
export const DESCRIPTION_MAX_LENGTH = 255;

/**
 * The parts of Keycloak's ClientRepresentation the bridge reads; the rest is passed through
 * untouched on update. https://www.keycloak.org/docs-api/latest/rest-api/index.html#ClientRepresentation
 */
export const clientRepresentation = z.looseObject({
  id: z.string().check(z.minLength(1)),
  clientId: z.string().check(z.minLength(1)),
  redirectUris: z.optional(z.array(z.string())),
  attributes: z.optional(z.record(z.string(), z.unknown())),
});

export type ClientRepresentation = z.output<typeof clientRepresentation>;

/** `GET /clients?clientId=` answers a list (exact match on clientId). */
export const clientList = z.array(clientRepresentation);

/** `GET|POST /clients/{id}/client-secret` answer a CredentialRepresentation. */
export const credentialRepresentation = z.object({
  type: z.optional(z.literal('secret')),
  value: z.string().check(z.minLength(1)),
});

const KONNECT_ATTRIBUTES: Record<keyof KonnectIds, string> = {
  portalId: 'konnect.portal_id',
  organizationId: 'konnect.organization_id',
  developerId: 'konnect.developer_id',
  applicationId: 'konnect.application_id',
  authStrategyId: 'konnect.auth_strategy_id',
  dcrProviderId: 'konnect.dcr_provider_id',
};

// Konnect only lets developers choose auth methods that leave them with a client secret.
const AUTHENTICATORS: Record<string, string> = {
  client_secret_basic: 'client-secret',
  client_secret_post: 'client-secret',
  client_secret_jwt: 'client-secret-jwt',
};

/**
 * A confidential OpenID Connect client for Konnect's application. Keycloak has no grant_types
 * list: each grant is a flow switch, and every switch is set explicitly because Keycloak turns
 * the standard flow on when it is left out. The password grant is never enabled. A native app's
 * private-use scheme redirect URIs (RFC 8252 §7.1) go into redirectUris as they are: Keycloak
 * accepts a custom scheme that a redirect URI names explicitly
 * (https://github.com/keycloak/keycloak/commit/a1cfe6e24e5b34792699a00b8b4a8016a5929e3a).
 */
export function newClientRepresentation(client: NewClient, clientId: string): Record<string, unknown> {
  const grants = new Set<string>(client.grantTypes);
  const attributes: Record<string, string> = { [MANAGED_BY_ATTRIBUTE]: MANAGED_BY_VALUE };
  for (const [key, attribute] of Object.entries(KONNECT_ATTRIBUTES)) {
    const value = client.konnect[key as keyof KonnectIds];
    if (value) attributes[attribute] = value;
  }
  const description = truncate(client.description, DESCRIPTION_MAX_LENGTH);
  return {
    clientId,
    name: truncate(client.clientName, NAME_MAX_LENGTH),
    ...(description && { description }),
    enabled: true,
    protocol: 'openid-connect',
    publicClient: false,
    bearerOnly: false,
    clientAuthenticatorType: AUTHENTICATORS[client.tokenEndpointAuthMethod] ?? 'client-secret',
    serviceAccountsEnabled: grants.has('client_credentials'),
    standardFlowEnabled: grants.has('authorization_code'),
    implicitFlowEnabled: grants.has('implicit'),
    directAccessGrantsEnabled: false,
    redirectUris: client.redirectUris,
    attributes,
  };
}

/** Only clients the bridge created may be changed through it: manage-clients reaches every client. */
export const isBridgeManaged = (client: ClientRepresentation) =>
  client.attributes?.[MANAGED_BY_ATTRIBUTE] === MANAGED_BY_VALUE;

/**
 * The representation to PUT back with new redirect URIs. The secret is left out so an update
 * racing a rotation cannot restore the old secret (Keycloak keeps the secret when none is sent);
 * the registration access token and the caller's access flags are not the bridge's to send.
 */
export function representationForUpdate(current: ClientRepresentation, redirectUris: string[]) {
  const { secret: _secret, registrationAccessToken: _rat, access: _access, ...rest } = current;
  return { ...rest, redirectUris };
}

/** Keycloak's internal id from the `Location` of a 201 (`.../clients/{id}`). */
export function internalIdFromLocation(location: string | null): string | undefined {
  if (!location) return undefined;
  const path = URL.canParse(location) ? new URL(location).pathname : location;
  // Keycloak's ids are UUIDs: anything else in that place is not an id the bridge should use.
  const id = path.replace(/\/+$/, '').split('/').pop() ?? '';
  return /^[A-Za-z0-9-]{1,64}$/.test(id) ? id : undefined;
}
