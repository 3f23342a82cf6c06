import { randomUUID } from 'node:crypto';

/** The Konnect ids of the one application a verify run plays; random, so runs never collide. */
export interface KonnectIds {
  applicationId: string;
  portalId: string;
  organizationId: string;
  developerId: string;
  authStrategyId: string;
  dcrProviderId: string;
}

export const newKonnectIds = (): KonnectIds => ({
  applicationId: randomUUID(),
  portalId: randomUUID(),
  organizationId: randomUUID(),
  developerId: randomUUID(),
  authStrategyId: randomUUID(),
  dcrProviderId: randomUUID(),
});

/**
 * The placeholders Konnect's "Verify" button sends instead of real ids: `"test <field name>"`, e.g.
 * `portal_id: "test portal_id"`. The bridge recognises a verification create by them.
 */
export const konnectVerificationIds = (): KonnectIds => ({
  applicationId: 'test application_id',
  portalId: 'test portal_id',
  organizationId: 'test organization_id',
  developerId: 'test developer_id',
  authStrategyId: 'test auth_strategy_id',
  dcrProviderId: 'test dcr_provider_id',
});

/** Recognisable at the IdP, unique per run (Okta wants unique names): dcr-bridge-verify-20260102T030405123Z. */
export const verifyClientName = (now = new Date()) => `dcr-bridge-verify-${now.toISOString().replace(/[-:.]/g, '')}`;

export const REDIRECT_URI = 'https://dcr-bridge-verify.example.com/callback';
export const UPDATED_REDIRECT_URI = 'https://dcr-bridge-verify.example.com/v2/callback';

const DESCRIPTION = 'Created by dcr-bridge verify and deleted at the end of its run.';

/** What Konnect sends on POST / when a developer creates an application. */
export function createApplicationBody(name: string, ids: KonnectIds, scopes: string[]) {
  return {
    client_name: name,
    redirect_uris: [REDIRECT_URI],
    grant_types: ['client_credentials', 'bearer'],
    scopes,
    token_endpoint_auth_method: 'client_secret_basic',
    application_description: DESCRIPTION,
    portal_id: ids.portalId,
    organization_id: ids.organizationId,
    developer_id: ids.developerId,
    auth_strategy_id: ids.authStrategyId,
    dcr_provider_id: ids.dcrProviderId,
  };
}

type EventType = 'update_application' | 'add_registration' | 'remove_registration';

/** What Konnect sends on POST /{clientId}/event-hook. */
export function eventHookBody(eventType: EventType, clientId: string, name: string, ids: KonnectIds) {
  const common = {
    event_type: eventType,
    client_id: clientId,
    application_id: ids.applicationId,
    application_name: name,
    application_description: DESCRIPTION,
    portal_id: ids.portalId,
    organization_id: ids.organizationId,
    developer_id: ids.developerId,
    auth_strategy_id: ids.authStrategyId,
    dcr_provider_id: ids.dcrProviderId,
  };
  if (eventType === 'update_application') return { ...common, redirect_uris: [UPDATED_REDIRECT_URI] };
  return { ...common, api_product_version_id: randomUUID() };
}
