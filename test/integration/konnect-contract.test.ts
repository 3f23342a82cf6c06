import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EmbeddedIdp } from '../../bin/local/embedded-idp';
import { type BridgeAnswer, callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'konnect_contract_key_0001';

/**
 * The create Konnect sends when an admin clicks "Verify" on the DCR provider: a real create whose
 * ids are placeholders named after their fields.
 */
const verifyCreate = {
  client_name: 'test client_name',
  redirect_uris: [],
  grant_types: ['client_credentials'],
  scopes: [],
  token_endpoint_auth_method: 'client_secret_basic',
  application_description: 'test application_description',
  portal_id: 'test portal_id',
  organization_id: 'test organization_id',
  developer_id: 'test developer_id',
  auth_strategy_id: 'test auth_strategy_id',
  dcr_provider_id: 'test dcr_provider_id',
};

describe('the contract as Konnect sends it, over real HTTP to the embedded IdP', () => {
  let bridge: TestBridge;
  let idp: EmbeddedIdp;
  const created: string[] = [];

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    if (!bridge.local.idp) throw new Error('the test bridge runs without its embedded IdP');
    idp = bridge.local.idp;
  });

  afterAll(async () => {
    for (const clientId of created) await callBridge(bridge.local.bridgeUrl, 'DELETE', `/${clientId}`, { key: KEY });
    await bridge?.stop();
  });

  const create = (json: unknown) => callBridge(bridge.local.bridgeUrl, 'POST', '/', { key: KEY, json });

  /** A 201 whose credentials get a token at the IdP; returns the client as the IdP holds it. */
  async function expectWorkingClient(answer: BridgeAnswer) {
    expect({ status: answer.status, body: answer.body }).toMatchObject({
      status: 201,
      body: { client_id: expect.any(String), client_secret: expect.any(String) },
    });
    const clientId = answer.body.client_id as string;
    created.push(clientId);
    const token = await requestToken(idp.tokenEndpoint, clientId, answer.body.client_secret as string);
    expect(token.status).toBe(200);
    expect(token.body.access_token).toEqual(expect.any(String));
    return (await idp.findClient(clientId)) ?? {};
  }

  it("creates a working client for Konnect's Verify, whose ids are placeholders, and logs it as a verification", async () => {
    const before = idp.clientCount();
    const clicks: string[] = [];
    // Three clicks, as admins do: each answer holds working credentials, and only the latest stays.
    for (let click = 0; click < 3; click += 1) {
      const registered = await expectWorkingClient(await create(verifyCreate));
      expect(registered).toMatchObject({ client_name: 'test client_name', grant_types: ['client_credentials'] });
      clicks.push(created.at(-1) as string);
      expect(idp.clientCount()).toBe(before + 1);
    }
    for (const removed of clicks.slice(0, -1)) expect(await idp.findClient(removed)).toBeUndefined();
    const lines = bridge.output.lines().filter((line) => line.message === 'Konnect verification create');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ konnect_verification: true, portal_id: 'test portal_id' });
    const removals = bridge.output
      .lines()
      .filter((line) => line.message === 'Removed the previous Konnect verification client');
    expect(removals.map((line) => line.previous_client_id)).toEqual(clicks.slice(0, -1));
  });

  it.each([
    ['password', ['password']],
    ['introspection and userinfo', ['introspection', 'userinfo']],
    ['kong_oauth2', ['kong_oauth2']],
    ['an auth method Konnect adds next year', ['something_new']],
    ['a mix with bearer and session', ['bearer', 'session', 'password', 'kong_oauth2']],
  ])('accepts unknown auth methods (%s), never asking the IdP for them', async (_label, grantTypes) => {
    const registered = await expectWorkingClient(
      await create({ client_name: 'Auth methods app', grant_types: grantTypes }),
    );
    expect(registered.grant_types).toEqual(['client_credentials']);
  });

  it.each([
    ['none', 'none'],
    ['private_key_jwt', 'private_key_jwt'],
    ['an unknown one', 'something_new'],
  ])('gives the developer a secret whatever token_endpoint_auth_method says (%s)', async (_label, method) => {
    const registered = await expectWorkingClient(
      await create({ client_name: 'Auth method app', token_endpoint_auth_method: method }),
    );
    expect(registered.token_endpoint_auth_method).toBe('client_secret_basic');
  });

  it('fills in what a body with only client_name leaves out', async () => {
    const registered = await expectWorkingClient(await create({ client_name: 'Only a name' }));
    expect(registered).toMatchObject({ client_name: 'Only a name', grant_types: ['client_credentials'] });
  });

  it('accepts even an empty body, naming the client "Konnect application"', async () => {
    const registered = await expectWorkingClient(await create({}));
    expect(registered.client_name).toBe('Konnect application');
  });

  it('accepts nulls, a single-string grant_types and space-separated scopes', async () => {
    const registered = await expectWorkingClient(
      await create({
        client_name: 'Loose app',
        redirect_uris: null,
        grant_types: 'client_credentials',
        scopes: 'read write',
        token_endpoint_auth_method: null,
        application_description: null,
      }),
    );
    expect(registered.scope).toBe('read write');
  });

  it('cuts a too long name and replaces control characters instead of refusing', async () => {
    const registered = await expectWorkingClient(
      await create({ client_name: `Tab\there ${'n'.repeat(1_000)}`, application_description: 'd'.repeat(5_000) }),
    );
    expect(registered.client_name).toBe(`Tab here ${'n'.repeat(246)}`);
  });

  it('accepts a native app redirect URI with a private-use scheme (RFC 8252 §7.1) for authorization_code', async () => {
    const registered = await expectWorkingClient(
      await create({
        client_name: 'Native app',
        redirect_uris: ['com.example.app:/callback'],
        grant_types: ['authorization_code'],
      }),
    );
    expect(registered).toMatchObject({
      redirect_uris: ['com.example.app:/callback'],
      grant_types: expect.arrayContaining(['client_credentials', 'authorization_code']),
    });
  });

  it.each([
    ['a wildcard', 'https://*.example.com/callback', 'wildcard'],
    ['userinfo', 'https://user@example.com/callback', 'userinfo'],
    ['whitespace', 'https://example.com/call back', 'whitespace'],
    ['a non-canonical URI', 'https://example.com', 'use "https://example.com/"'],
  ])('refuses a redirect URI with %s with a 400 naming redirect_uris, before the IdP', async (_label, uri, reason) => {
    const before = idp.requestCount();

    const answer = await create({
      client_name: 'Refused app',
      redirect_uris: ['https://example.com/ok', uri],
      grant_types: ['authorization_code'],
    });

    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_client_metadata');
    expect(answer.body.error_description).toContain('redirect_uris.1: ');
    expect(answer.body.error_description).toContain(reason);
    expect(idp.requestCount()).toBe(before);
  });
});
