import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbeddedIdp, startEmbeddedIdp } from '../../bin/local/embedded-idp';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { verifyRunner } from './support/verify-run';

const KEY = 'no_rotation_key_0123456789';

describe('verify against a bridge set up for an IdP that cannot rotate (IDP_SECRET_ROTATION=none)', () => {
  let idp: EmbeddedIdp;
  let bridge: TestBridge;

  const verify = verifyRunner({ url: () => bridge.local.bridgeUrl, key: KEY, tokenEndpoint: () => idp.tokenEndpoint });

  beforeAll(async () => {
    idp = await startEmbeddedIdp();
    bridge = await startTestBridge([KEY], {
      IDP_TYPE: 'generic',
      IDP_ISSUER: idp.issuer,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
      IDP_SECRET_ROTATION: 'none',
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await idp?.close();
  });

  it('says there is no rotation and to turn on "Disable refresh secret" in Konnect', async () => {
    const clientsBefore = idp.clientCount();

    const result = await verify();

    expect(result.exitCode).toBe(1);
    expect(result.status('rotate secret (POST /{id}/new-secret)')).toBe('fail');
    expect(result.text).toContain('skipped: the rotation failed');
    expect(result.text).toContain(
      '  new-secret:           no rotation: the bridge answers 400 because the IdP cannot rotate secrets (IDP_SECRET_ROTATION=none). Turn on "Disable refresh secret" in the Konnect DCR provider and run verify with --skip-rotation',
    );
    // The rest of the application's life still works with the secret it was created with.
    expect(result.status('secret still works after the update')).toBe('pass');
    expect(result.status('delete again (DELETE /{id})')).toBe('pass');
    expect(idp.clientCount()).toBe(clientsBefore);
  });

  it('passes with --skip-rotation and says rotation was not tried', async () => {
    const result = await verify({ skipRotation: true });

    expect(result.exitCode).toBe(0);
    expect(result.text).toContain('  new-secret:           not tried (--skip-rotation).');
  });
});
