import { describe, expect, it } from '@jest/globals';
import { StaticKeySource } from '../../../functions/auth/konnect-key-source';
import { KonnectKeyVerifier } from '../../../functions/auth/konnect-key-verifier';
import { createBridgeHandler } from '../../../functions/bridge/create-bridge-handler';
import { captureOutputPerTest } from '../../support/captured-output';
import { apiGatewayEvent, lambdaContext } from '../support/api-gateway';
import { FakeIdpAdapter } from '../support/fake-idp-adapter';

const KEY = 'contract_routes_key_0123456789';
const HEADERS = { 'Content-Type': 'application/json', 'X-API-KEY': KEY };

/** Every field of the envelope Konnect sends with each event hook. */
const ENVELOPE = {
  client_id: 'client-1',
  application_id: 'app-1',
  application_name: 'Weather app',
  application_description: 'Shows the weather',
  portal_id: 'portal-1',
  organization_id: 'org-1',
  developer_id: 'dev-1',
  auth_strategy_id: 'strategy-1',
  dcr_provider_id: 'dcr-1',
};

function bridge() {
  const adapter = new FakeIdpAdapter();
  const keyVerifier = new KonnectKeyVerifier(new StaticKeySource([KEY]), { minRefreshIntervalMs: 10_000 });
  const handler = createBridgeHandler(() => ({ adapter, keyVerifier, idpTimeoutMs: 5000 }));
  const send = async (resource: string, body: unknown, clientId?: string) => {
    const event = apiGatewayEvent({
      resource,
      httpMethod: 'POST',
      clientId,
      headers: HEADERS,
      body: JSON.stringify(body),
    });
    const answer = await handler(event, lambdaContext());
    return { status: answer.statusCode, json: JSON.parse(answer.body || '{}') as Record<string, unknown> };
  };
  return {
    adapter,
    create: (body: unknown) => send('/', body),
    eventHook: (body: Record<string, unknown>) => send('/{clientId}/event-hook', { ...ENVELOPE, ...body }, 'client-1'),
  };
}

describe('the create and event hook routes, as Konnect calls them', () => {
  const output = captureOutputPerTest();
  const line = (message: string) => output.lines().find((entry) => entry.message === message);

  describe('create', () => {
    it("puts client_name, application_description and every Konnect id into the request's log keys", async () => {
      const { create } = bridge();
      const ids = {
        portal_id: 'portal-1',
        organization_id: 'org-1',
        developer_id: 'dev-1',
        auth_strategy_id: 'strategy-1',
        dcr_provider_id: 'dcr-1',
        application_id: 'app-1',
      };

      const answer = await create({
        client_name: 'Weather app',
        application_description: 'Shows the weather',
        token_endpoint_auth_method: 'client_secret_basic',
        ...ids,
      });

      expect(answer.status).toBe(201);
      for (const message of ['Client created', 'Request completed']) {
        expect(line(message)).toMatchObject({
          client_name: 'Weather app',
          application_description: 'Shows the weather',
          client_id: 'client-1',
          ...ids,
        });
      }
      expect(line('Client created')).not.toHaveProperty('konnect_verification');
      expect(line('Konnect request adjusted')).toBeUndefined();
    });

    it("marks Konnect's Verify create as a verification, in a line of its own and on every later line", async () => {
      const { create, adapter } = bridge();

      const answer = await create({
        client_name: 'test client_name',
        grant_types: ['client_credentials'],
        portal_id: 'test portal_id',
        organization_id: 'test organization_id',
        developer_id: 'test developer_id',
      });

      expect(answer.status).toBe(201);
      expect(adapter.calls.map((call) => call.method)).toEqual(['createClient']);
      expect(line('Konnect verification create')).toMatchObject({ level: 'INFO', konnect_verification: true });
      expect(line('Client created')).toMatchObject({ konnect_verification: true, portal_id: 'test portal_id' });
    });

    it('logs what it adjusted in one line: ignored auth methods, the auth method used, dropped ids', async () => {
      const { create, adapter } = bridge();

      const answer = await create({
        grant_types: ['password', 'introspection', 'kong_oauth2', 'bearer'],
        token_endpoint_auth_method: 'none',
        portal_id: 12,
      });

      expect(answer.status).toBe(201);
      expect(output.lines().filter((entry) => entry.message === 'Konnect request adjusted')).toEqual([
        expect.objectContaining({
          level: 'INFO',
          ignored_auth_methods: ['password', 'introspection', 'kong_oauth2'],
          requested_auth_method: 'none',
          used_auth_method: 'client_secret_basic',
          defaulted_client_name: 'Konnect application',
          dropped_ids: ['portal_id'],
        }),
      ]);
      const [call] = adapter.calls;
      expect(call?.method === 'createClient' && call.client).toMatchObject({
        clientName: 'Konnect application',
        grantTypes: ['client_credentials'],
        tokenEndpointAuthMethod: 'client_secret_basic',
      });
    });
  });

  describe('event hooks', () => {
    it("puts every envelope field into the request's log keys", async () => {
      const { eventHook } = bridge();

      const answer = await eventHook({
        event_type: 'add_registration',
        api_product_version_id: 'apv-1',
        audience: 'https://api.example.com',
      });

      expect(answer).toEqual({ status: 200, json: { event_type: 'add_registration', handled: true } });
      for (const message of ['Event hook handled', 'Request completed']) {
        expect(line(message)).toMatchObject({
          ...ENVELOPE,
          event_type: 'add_registration',
          api_product_version_id: 'apv-1',
          audience: 'https://api.example.com',
        });
      }
    });

    it.each([
      ['missing', {}],
      ['null', { redirect_uris: null }],
    ])(
      'acknowledges update_application with redirect_uris %s without touching the IdP (it must never wipe them)',
      async (_label, body) => {
        const { eventHook, adapter } = bridge();

        const answer = await eventHook({ event_type: 'update_application', ...body });

        expect(answer).toEqual({ status: 200, json: { event_type: 'update_application', handled: false } });
        expect(adapter.calls).toEqual([]);
        expect(line('Event acknowledged without action: no redirect_uris in the event')).toMatchObject({
          level: 'INFO',
          event_type: 'update_application',
          client_id: 'client-1',
        });
      },
    );

    it('still applies an empty redirect_uris list (Konnect removed them all)', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook({ event_type: 'update_application', redirect_uris: [] });

      expect(answer.json).toEqual({ event_type: 'update_application', handled: true });
      expect(adapter.calls).toEqual([{ method: 'updateRedirectUris', clientId: 'client-1', redirectUris: [] }]);
    });

    it('refuses a redirect URI the contract refuses, naming the field, index and canonical form', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook({ event_type: 'update_application', redirect_uris: ['https://example.com'] });

      expect(answer.status).toBe(400);
      expect(answer.json.error_description).toContain(
        'redirect_uris.0: must be written in canonical form: use "https://example.com/"',
      );
      expect(adapter.calls).toEqual([]);
    });

    it.each([
      ['add_registration', {}],
      ['remove_registration', { api_product_version_id: '' }],
      ['add_registration', { api_product_version_id: null }],
    ])('acknowledges %s without api_product_version_id (%j) without touching the IdP', async (eventType, body) => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook({ event_type: eventType, ...body });

      expect(answer).toEqual({ status: 200, json: { event_type: eventType, handled: false } });
      expect(adapter.calls).toEqual([]);
      expect(line('Event acknowledged without action: no api_product_version_id in the event')).toBeDefined();
    });

    it('drops ids that are no printable text, logs which, and still handles the event', async () => {
      const { eventHook, adapter } = bridge();

      const answer = await eventHook({
        event_type: 'update_application',
        redirect_uris: [],
        portal_id: 42,
        developer_id: '',
      });

      expect(answer.json).toEqual({ event_type: 'update_application', handled: true });
      expect(adapter.calls).toHaveLength(1);
      expect(line('Konnect request adjusted')).toMatchObject({ dropped_ids: ['portal_id', 'developer_id'] });
      expect(line('Event hook handled')).not.toHaveProperty('portal_id');
    });
  });
});
