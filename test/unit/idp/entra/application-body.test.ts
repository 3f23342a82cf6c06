import { describe, expect, it } from '@jest/globals';
import {
  BRIDGE_TAG,
  creationTag,
  konnectNotes,
  newApplicationBody,
  passwordCredentialBody,
} from '../../../../functions/idp/entra/application-body';
import type { NewClient } from '../../../../functions/idp/idp-adapter';

const client: NewClient = {
  clientName: 'Payments App',
  description: 'Pays things',
  redirectUris: ['https://payments.example.com/callback'],
  grantTypes: ['client_credentials', 'authorization_code'],
  responseTypes: ['code'],
  scopes: ['read', 'write'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: {
    portalId: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
    developerId: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  },
};

describe('newApplicationBody', () => {
  it('asks for a single-tenant app with the redirect URIs on the web platform and the bridge tags', () => {
    expect(newApplicationBody(client, 'c0ffee')).toEqual({
      displayName: 'Payments App',
      description: 'Pays things',
      notes: konnectNotes(client.konnect),
      tags: [BRIDGE_TAG, creationTag('c0ffee')],
      signInAudience: 'AzureADMyOrg',
      web: {
        redirectUris: ['https://payments.example.com/callback'],
        implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      },
    });
  });

  it('leaves out an empty description and sends an empty redirect URI list', () => {
    const body = newApplicationBody({ ...client, description: '', redirectUris: [] }, 'c0ffee');
    expect(body).not.toHaveProperty('description');
    expect(body.web).toMatchObject({ redirectUris: [] });
  });

  it('enables access tokens from the authorization endpoint only when Konnect asks for implicit', () => {
    const body = newApplicationBody({ ...client, grantTypes: ['client_credentials', 'implicit'] }, 'c0ffee');
    expect(body.web).toMatchObject({ implicitGrantSettings: { enableAccessTokenIssuance: true } });
  });

  it('puts private-use scheme redirect URIs (RFC 8252 §7.1) on the public client platform, the rest on web', () => {
    const body = newApplicationBody(
      { ...client, redirectUris: ['com.example.pay:/callback', 'https://payments.example.com/callback'] },
      'c0ffee',
    );
    expect(body.web).toMatchObject({ redirectUris: ['https://payments.example.com/callback'] });
    expect(body.publicClient).toEqual({ redirectUris: ['com.example.pay:/callback'] });
    expect(newApplicationBody(client, 'c0ffee')).not.toHaveProperty('publicClient');
  });

  it("cuts a description longer than Graph's 1,024 characters, never inside a character", () => {
    const body = newApplicationBody({ ...client, description: `x${'😀'.repeat(600)}` }, 'c0ffee');
    expect(body.description).toBe(`x${'😀'.repeat(511)}`);
  });

  it('never sends Konnect scopes, which have no per-client meaning in Entra', () => {
    expect(JSON.stringify(newApplicationBody(client, 'c0ffee'))).not.toMatch(/"(read|write)"/);
  });
});

describe('konnectNotes', () => {
  it('names the Konnect ids it has, in snake_case like Konnect', () => {
    expect(konnectNotes(client.konnect)).toBe(
      'Created by the Konnect DCR bridge for a Konnect Dev Portal application. ' +
        'portal_id=b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f developer_id=d4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
    );
  });

  it('stays within Graph limits with every id set', () => {
    const id = 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f';
    const notes = konnectNotes({
      portalId: id,
      organizationId: id,
      developerId: id,
      applicationId: id,
      authStrategyId: id,
      dcrProviderId: id,
    });
    expect(notes).toContain(`dcr_provider_id=${id}`);
    expect(notes.length).toBeLessThanOrEqual(1024);
  });

  it('stays within 1,024 characters with ids as long as Konnect may send them', () => {
    const id = 'v'.repeat(255);
    const notes = konnectNotes({ portalId: id, organizationId: id, developerId: id, applicationId: id });
    expect(notes).toHaveLength(1024);
    expect(notes).toContain('portal_id=v');
  });
});

describe('passwordCredentialBody', () => {
  it('labels the secret and sets its end date the configured number of days ahead', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(passwordCredentialBody(30, now)).toEqual({
      passwordCredential: { displayName: 'Konnect DCR bridge', endDateTime: '2026-01-31T00:00:00.000Z' },
    });
  });
});
