import { describe, expect, it } from '@jest/globals';
import {
  type ClientInformation,
  clientInformation,
  metadataForUpdate,
} from '../../../../functions/idp/generic/client-registration';

const current: ClientInformation = {
  client_id: 'c1',
  client_secret: 's1',
  client_id_issued_at: 1_700_000_000,
  client_secret_expires_at: 0,
  registration_access_token: 'rat-1',
  registration_access_token_expires_in: 3600,
  registration_client_uri: 'https://idp.example.com/register/c1',
  client_name: 'App',
  redirect_uris: ['https://app.example.com/old'],
  logo_uri: null,
  scope: 'read',
};

describe('metadataForUpdate', () => {
  it('drops server-owned fields and nulls, and keeps the secret when asked', () => {
    expect(metadataForUpdate(current, {}, 'keep')).toEqual({
      client_id: 'c1',
      client_secret: 's1',
      client_name: 'App',
      redirect_uris: ['https://app.example.com/old'],
      scope: 'read',
    });
  });

  it('drops client_secret to ask for a new one', () => {
    expect(metadataForUpdate(current, {}, 'renew')).not.toHaveProperty('client_secret');
  });

  it('applies the changes over the current record', () => {
    const updated = metadataForUpdate(current, { redirect_uris: ['https://app.example.com/new'] }, 'keep');
    expect(updated.redirect_uris).toEqual(['https://app.example.com/new']);
    expect(updated.client_name).toBe('App');
  });

  it('sends single-valued metadata read back as arrays as RFC 7591 single values', () => {
    const read: ClientInformation = {
      client_id: 'c1',
      client_name: ['App'],
      token_endpoint_auth_method: ['client_secret_basic'],
      application_type: ['web'],
      scope: ['read', 'write'],
      logo_uri: [],
      grant_types: ['client_credentials', 'refresh_token'],
      response_types: ['code'],
      contacts: ['ops@example.com'],
      redirect_uris: ['https://app.example.com/cb'],
    };
    expect(metadataForUpdate(read, {}, 'renew')).toEqual({
      client_id: 'c1',
      client_name: 'App',
      token_endpoint_auth_method: 'client_secret_basic',
      application_type: 'web',
      scope: 'read write',
      grant_types: ['client_credentials', 'refresh_token'],
      response_types: ['code'],
      contacts: ['ops@example.com'],
      redirect_uris: ['https://app.example.com/cb'],
    });
  });

  it('keeps unknown vendor fields as they are, arrays included', () => {
    const read: ClientInformation = { client_id: 'c1', vendor_roles: ['a', 'b'], vendor_flag: true };
    expect(metadataForUpdate(read, {}, 'keep')).toEqual(read);
  });

  it('does not modify the current record', () => {
    const before = structuredClone(current);
    metadataForUpdate(current, { redirect_uris: [] }, 'renew');
    expect(current).toEqual(before);
  });
});

describe('clientInformation', () => {
  it('keeps vendor fields (loose)', () => {
    const parsed = clientInformation.parse({ client_id: 'c1', vendor_extension: { a: 1 } });
    expect(parsed).toEqual({ client_id: 'c1', vendor_extension: { a: 1 } });
  });

  it.each([
    ['no client_id', {}],
    ['an empty client_id', { client_id: '' }],
    ['a non-http registration_client_uri', { client_id: 'c', registration_client_uri: 'ftp://x/c' }],
    ['a negative client_secret_expires_at', { client_id: 'c', client_secret_expires_at: -1 }],
    ['an empty registration_access_token', { client_id: 'c', registration_access_token: '' }],
  ])('refuses %s', (_label, body) => {
    expect(clientInformation.safeParse(body).success).toBe(false);
  });
});
