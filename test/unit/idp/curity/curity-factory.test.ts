import { describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { needsRegistrationStore } from '../../../../functions/idp/create-idp-adapter';
import { CurityDcrmAdapter } from '../../../../functions/idp/curity/curity-dcrm-adapter';
import { curityAdapter } from '../../../../functions/idp/curity/curity-factory';
import { CurityRatAdapter } from '../../../../functions/idp/curity/curity-rat-adapter';
import { curitySettings } from '../../../../functions/idp/curity/curity-settings';
import { MemoryRegistrationStore } from '../../../../functions/store/memory-registration-store';

const build = (env: Record<string, string>) => {
  let storeRequested = false;
  const adapter = curityAdapter.create(curitySettings.parse({ IDP_ISSUER: 'https://idsvr.example.com', ...env }), {
    http: new HttpClient({ idpName: 'curity', callTimeoutMs: 1000 }),
    credentials: async () => ({}),
    store: () => {
      storeRequested = true;
      return new MemoryRegistrationStore();
    },
  });
  return { adapter, storeRequested };
};

describe('curityAdapter', () => {
  it('manages with a dcrm token by default, with the registration store as the record of its clients', () => {
    const { adapter, storeRequested } = build({});
    expect(adapter).toBeInstanceOf(CurityDcrmAdapter);
    expect(adapter.name).toBe('curity');
    expect(storeRequested).toBe(true);
  });

  it('keeps registration access tokens in the store with IDP_CURITY_MANAGEMENT=rat', () => {
    const { adapter, storeRequested } = build({ IDP_CURITY_MANAGEMENT: 'rat' });
    expect(adapter).toBeInstanceOf(CurityRatAdapter);
    expect(adapter.name).toBe('curity');
    expect(storeRequested).toBe(true);
  });

  it('declares the registration table in both modes: dcrm proves ownership by its records there', () => {
    expect(
      needsRegistrationStore('curity', { IDP_ISSUER: 'https://idp.example.com', IDP_CURITY_MANAGEMENT: 'rat' }),
    ).toBe(true);
    expect(needsRegistrationStore('curity', { IDP_ISSUER: 'https://idp.example.com' })).toBe(true);
  });

  it('refuses a store that cannot record ownership instead of running without the rule', () => {
    const bare = new MemoryRegistrationStore();
    const store = {
      get: bare.get.bind(bare),
      create: bare.create.bind(bare),
      replaceAccessToken: bare.replaceAccessToken.bind(bare),
      delete: bare.delete.bind(bare),
    };
    expect(() =>
      curityAdapter.create(curitySettings.parse({ IDP_ISSUER: 'https://idsvr.example.com' }), {
        http: new HttpClient({ idpName: 'curity', callTimeoutMs: 1000 }),
        credentials: async () => ({}),
        store: () => store,
      }),
    ).toThrow('cannot record which clients the bridge created');
  });
});
