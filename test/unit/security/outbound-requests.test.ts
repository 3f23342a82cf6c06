import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type LocalBridge, startLocalBridge } from '../../../bin/local/start-local-bridge';
import { loadBridgeDependencies } from '../../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { captureOutputPerTest } from '../../support/captured-output';
import { type BridgeAnswer, callBridge } from '../../support/konnect-client';
import { FakeDcrServer } from '../support/fake-dcr-server';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../support/loopback-server';

const KEY = 'outbound_requests_key_01';
const IAT = 'IAT_outbound_3f9a2c71d0';
const BRIDGE_SECRET = 'bridge-client-secret-5e8d';

const createBody = {
  client_name: 'Pinned App',
  redirect_uris: [],
  grant_types: ['client_credentials'],
  scopes: ['read'],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: '',
  portal_id: 'b4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  organization_id: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

/**
 * Issue 9 finding 4, through the bridge's real handler over loopback HTTP: a redirect from the
 * IdP, a registration_client_uri or a discovery document naming another origin must never make
 * the bridge send its credentials there. "Elsewhere" is a second loopback server that records
 * whatever reaches it: another origin (another port), like an attacker's host or a metadata address.
 */
describe('the bridge sends credentials only to the IdP it was configured with', () => {
  const output = captureOutputPerTest();
  let idp: FakeDcrServer;
  let elsewhere: LoopbackServer;
  let bridge: LocalBridge | undefined;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
    elsewhere = await startLoopbackServer();
  });
  afterAll(async () => {
    await idp?.close();
    await elsewhere?.close();
  });
  beforeEach(() => {
    idp.reset();
    idp.behaviour.acceptedInitialTokens.add(IAT);
    elsewhere.reset();
    elsewhere.handle((_request, response) => sendJson(response, 200, { access_token: 'elsewhere-token' }));
  });
  afterEach(async () => {
    await bridge?.close();
    bridge = undefined;
  });

  async function start(
    env: Record<string, string>,
  ): Promise<(method: 'POST' | 'DELETE', path: string, json?: unknown) => Promise<BridgeAnswer>> {
    const handler = createBridgeHandler(() =>
      loadBridgeDependencies({ IDP_TYPE: 'generic', IDP_TIMEOUT_MS: '3000', KONNECT_API_KEYS: KEY, ...env }),
    );
    const started = await startLocalBridge({ handler, port: 0 });
    bridge = started;
    return (method, path, json) => callBridge(started.url, method, path, { key: KEY, json });
  }

  function expectIdpError(answer: BridgeAnswer, ...texts: string[]) {
    expect(answer.status).toBe(502);
    expect(answer.body.error).toBe('idp_error');
    for (const text of texts) expect(answer.body.error_description).toContain(text);
    expect(answer.text).not.toContain('127.0.0.1');
  }

  it('does not follow a 307 from the token endpoint: the target receives nothing, Konnect gets 502', async () => {
    const tokenEndpoint = await startLoopbackServer((_request, response) => {
      response.writeHead(307, { location: `${elsewhere.url}/token` });
      response.end();
    });
    try {
      const call = await start({
        IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
        IDP_TOKEN_ENDPOINT: `${tokenEndpoint.url}/token`,
        IDP_INITIAL_TOKEN_SCOPE: 'dcr',
        IDP_CLIENT_ID: 'bridge',
        IDP_CLIENT_SECRET: BRIDGE_SECRET,
      });

      const answer = await call('POST', '/', createBody);

      expectIdpError(answer, 'answered 307 (a redirect)');
      expect(tokenEndpoint.requests).toHaveLength(1);
      expect(elsewhere.requests).toEqual([]);
      expect(idp.calls).toEqual([]);
      expect(output.text()).not.toContain(BRIDGE_SECRET);
    } finally {
      await tokenEndpoint.close();
    }
  });

  it('never sends the registration access token to a registration_client_uri on another origin', async () => {
    idp.behaviour.clientUriBase.register = `${elsewhere.url}/register`;
    const call = await start({ IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint, IDP_INITIAL_ACCESS_TOKEN: IAT });

    const created = await call('POST', '/', createBody);
    expectIdpError(created, 'registration_client_uri on another origin', 'IDP_ALLOWED_ORIGINS');
    const [clientId] = idp.clients.keys();
    // Konnect may still try to delete it: the bridge kept nothing for it, so nothing is sent anywhere.
    const deleted = await call('DELETE', `/${clientId}`);

    expect(deleted.status).toBe(204);
    expect(elsewhere.requests).toEqual([]);
    expect(idp.calls).toEqual(['POST /register']);
    expect(output.lines()).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: expect.stringMatching(/^Orphaned client at the IdP/) }),
    );
  });

  it('accepts a registration_client_uri on an origin listed in IDP_ALLOWED_ORIGINS', async () => {
    elsewhere.handle((_request, response) => {
      response.writeHead(204);
      response.end();
    });
    idp.behaviour.clientUriBase.register = `${elsewhere.url}/register`;
    const call = await start({
      IDP_REGISTRATION_ENDPOINT: idp.registrationEndpoint,
      IDP_INITIAL_ACCESS_TOKEN: IAT,
      IDP_ALLOWED_ORIGINS: elsewhere.url,
    });

    const created = await call('POST', '/', createBody);
    const deleted = await call('DELETE', `/${created.body.client_id}`);

    expect(created.status).toBe(201);
    expect(deleted.status).toBe(204);
    expect(elsewhere.requests.map((request) => request.method)).toEqual(['DELETE']);
  });

  it.each([
    ['names another issuer', () => ({ issuer: elsewhere.url }), 'does not name the configured IDP_ISSUER'],
    [
      'points its registration endpoint elsewhere',
      () => ({ registration_endpoint: `${elsewhere.url}/register` }),
      'advertises a registration_endpoint on another origin',
    ],
    [
      'points its token endpoint elsewhere',
      () => ({ token_endpoint: `${elsewhere.url}/token` }),
      'advertises a token_endpoint on another origin',
    ],
  ])('refuses a discovery document that %s, sending no credential anywhere', async (_label, overrides, text) => {
    idp.behaviour.discovery.openid = true;
    idp.behaviour.discoveryOverrides = overrides();
    const call = await start({
      IDP_ISSUER: idp.url,
      IDP_INITIAL_TOKEN_SCOPE: 'dcr',
      IDP_CLIENT_ID: 'bridge',
      IDP_CLIENT_SECRET: BRIDGE_SECRET,
    });

    const answer = await call('POST', '/', createBody);

    expectIdpError(answer, text);
    expect(idp.calls).toEqual(['GET /.well-known/openid-configuration']);
    expect(elsewhere.requests).toEqual([]);
  });
});
