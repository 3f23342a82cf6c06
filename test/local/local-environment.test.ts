import { afterAll, describe, expect, it } from '@jest/globals';
import type { LocalEnvironment } from '../../bin/local/local-environment';

describe('startLocalEnvironment with a configured vendor IdP', () => {
  let local: LocalEnvironment | undefined;

  afterAll(async () => {
    await local?.close();
  });

  it('fronts the configured IdP instead of starting the embedded one', async () => {
    for (const name of Object.keys(process.env)) if (name.startsWith('IDP_')) delete process.env[name];
    delete process.env.REGISTRATION_STORE_FILE;
    Object.assign(process.env, {
      IDP_TYPE: 'okta',
      IDP_OKTA_ORG_URL: 'https://acme.okta.example',
      KONNECT_API_KEYS: 'local_env_test_key_01',
    });
    const { startLocalEnvironment } = await import('../../bin/local/local-environment');
    local = await startLocalEnvironment({ port: 0 });

    expect(local.idp).toBeUndefined();
    expect(process.env.IDP_TYPE).toBe('okta');
    expect(process.env.IDP_ISSUER).toBeUndefined();
    expect(local.apiKeys).toEqual(['local_env_test_key_01']);
    // Registration access tokens must survive a restart in front of a real IdP.
    expect(local.registrationStoreFile).toBe('.dcr-bridge/registrations.json');
    expect(process.env.REGISTRATION_STORE_FILE).toBe('.dcr-bridge/registrations.json');
  });
});
