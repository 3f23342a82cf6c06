import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type LocalBridge, startLocalBridge } from '../../../bin/local/start-local-bridge';
import { loadBridgeDependencies } from '../../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { captureOutputPerTest } from '../../support/captured-output';
import { type BridgeAnswer, callBridge } from '../../support/konnect-client';
import { FakeDcrServer } from '../support/fake-dcr-server';

const KEY = 'idp_text_redaction_key_1';
// Shaped like nothing the pattern rules know: only the bridge's knowledge of the value can mask it.
const IAT = 'IAT_4b7e19c0a2d85f36';
const BRIDGE_SECRET = 'bridge-client-secret-8c3f61';

const createBody = {
  client_name: 'Echo App',
  redirect_uris: ['https://app.example.com/cb'],
  grant_types: ['client_credentials'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

type Call = (method: 'POST' | 'DELETE', path: string, json?: unknown) => Promise<BridgeAnswer>;

/**
 * Issue 9 finding 5, through the bridge's real handler over loopback HTTP: an IdP that echoes a
 * credential it was given in its error_description must not get it into Konnect's answer or into
 * any log line. Before the fix only URLs and IP addresses were stripped from IdP text.
 */
describe('credentials an IdP echoes back are masked in answers and logs', () => {
  const output = captureOutputPerTest();
  let idp: FakeDcrServer;
  let bridge: LocalBridge | undefined;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
  });
  afterAll(async () => {
    await idp?.close();
  });
  beforeEach(() => {
    idp.reset();
    idp.behaviour.tokenClient = { id: 'bridge', secret: BRIDGE_SECRET, scope: 'dcr', token: 'cc-token-for-dcr-1' };
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  async function start(env: Record<string, string>): Promise<Call> {
    const handler = createBridgeHandler(() =>
      loadBridgeDependencies({
        IDP_TYPE: 'generic',
        IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
        IDP_SECRET_ROTATION: 'update',
        IDP_TIMEOUT_MS: '3000',
        KONNECT_API_KEYS: KEY,
        ...env,
      }),
    );
    const started = await startLocalBridge({ handler, port: 0 });
    bridge = started;
    return (method, path, json) => callBridge(started.url, method, path, { key: KEY, json });
  }

  /** The answer is the contract's error, with the IdP's words kept and the secret masked. */
  function expectMasked(answer: BridgeAnswer, secret: string, status: number) {
    expect(answer.status).toBe(status);
    expect(answer.body.error_description).toContain('[redacted]');
    expect(answer.text).not.toContain(secret);
    expect(output.lines().length).toBeGreaterThan(0);
    expect(output.text()).not.toContain(secret);
  }

  it('masks the initial access token echoed by the registration endpoint', async () => {
    idp.answerOnce('POST', /^\/register$/, 401, {
      error: 'invalid_token',
      error_description: `initial access token ${IAT} has expired`,
    });
    const call = await start({ IDP_INITIAL_ACCESS_TOKEN: IAT });

    const answer = await call('POST', '/', createBody);

    expectMasked(answer, IAT, 502);
    expect(answer.body.error_description).toContain('initial access token [redacted] has expired');
  });

  it("masks the bridge's own client secret echoed by the token endpoint", async () => {
    idp.answerOnce('POST', /^\/token$/, 401, {
      error: 'invalid_client',
      error_description: `client bridge presented ${BRIDGE_SECRET}, which is not its secret`,
    });
    const call = await start({
      IDP_TOKEN_ENDPOINT: idp.tokenEndpoint,
      IDP_INITIAL_TOKEN_SCOPE: 'dcr',
      IDP_CLIENT_ID: 'bridge',
      IDP_CLIENT_SECRET: BRIDGE_SECRET,
    });

    expectMasked(await call('POST', '/', createBody), BRIDGE_SECRET, 502);
  });

  it('masks the registration access token echoed by an RFC 7592 answer', async () => {
    const call = await start({});
    const created = await call('POST', '/', createBody);
    const clientId = created.body.client_id as string;
    const rat = idp.clients.get(clientId)?.rat ?? '';
    idp.answerOnce('GET', /^\/register\//, 400, {
      error: 'invalid_request',
      error_description: `registration token ${rat} is bound to another client`,
    });

    expectMasked(await call('POST', `/${clientId}/new-secret`), rat, 502);
  });

  it('masks an issued client secret echoed while it is in transit', async () => {
    const call = await start({});
    const created = await call('POST', '/', createBody);
    const clientId = created.body.client_id as string;
    const secret = created.body.client_secret as string;
    idp.answerOnce('PUT', /^\/register\//, 400, {
      error: 'invalid_client_metadata',
      error_description: `client_secret ${secret} may not be sent with redirect_uris`,
    });

    const answer = await call('POST', `/${clientId}/event-hook`, {
      event_type: 'update_application',
      client_id: clientId,
      application_id: 'a4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
      redirect_uris: ['https://app.example.com/v2/cb'],
    });

    expectMasked(answer, secret, 400);
  });
});
