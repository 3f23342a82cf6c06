import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { auth0Adapter } from '../../../../functions/idp/auth0/auth0-factory';
import { auth0SettingsSchema } from '../../../../functions/idp/auth0/auth0-settings';
import { type NewClient, operationWithin } from '../../../../functions/idp/idp-adapter';
import { FakeAuth0 } from '../../../fakes/auth0-fake';
import { captureOutputPerTest } from '../../../support/captured-output';
import { bridgeErrorOf } from '../../support/bridge-error-of';

const API = 'https://api.example.com';

const newClient = (extra: Partial<NewClient> = {}): NewClient => ({
  clientName: 'Weather app',
  description: '',
  redirectUris: [],
  grantTypes: ['client_credentials'],
  responseTypes: [],
  scopes: ['read'],
  tokenEndpointAuthMethod: 'client_secret_basic',
  konnect: {},
  ...extra,
});

describe('Auth0Adapter against the fake tenant', () => {
  const output = captureOutputPerTest();
  let fake: FakeAuth0;

  beforeAll(async () => {
    fake = await FakeAuth0.start([API]);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.reset();
  });

  function adapter(env: Record<string, string> = {}) {
    const settings = auth0SettingsSchema.parse({ IDP_AUTH0_DOMAIN: fake.url, ...env });
    return auth0Adapter.create(settings, {
      http: new HttpClient({ idpName: 'auth0', callTimeoutMs: 2000 }),
      credentials: async () => ({ clientId: fake.bridge.clientId, clientSecret: fake.bridge.clientSecret }),
      store: () => {
        throw new Error('the Auth0 adapter keeps no registrations');
      },
    });
  }

  const context = () => operationWithin(3000);

  it('has a fake that, like Auth0, lets the Management API change any application and grant the Management API', async () => {
    // The bridge's refusals must be its own: the tenant protects neither other apps nor the bridge's.
    const token = await fetch(fake.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: fake.bridge.clientId,
        client_secret: fake.bridge.clientSecret,
        audience: fake.managementAudience,
      }),
    }).then(async (response) => ((await response.json()) as { access_token: string }).access_token);
    const call = (method: string, path: string, json?: unknown) =>
      fetch(`${fake.url}/api/v2${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json !== undefined && { 'content-type': 'application/json' }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }).then((response) => response.status);
    const foreign = fake.addTenantApp();
    expect(
      await call('PATCH', `/clients/${foreign.client_id}`, { callbacks: ['https://elsewhere.example.com/cb'] }),
    ).toBe(200);
    expect(await call('POST', `/clients/${foreign.client_id}/rotate-secret`)).toBe(200);
    expect(
      await call('POST', '/client-grants', {
        client_id: foreign.client_id,
        audience: fake.managementAudience,
        scope: [],
      }),
    ).toBe(201);
    expect(await call('PATCH', `/clients/${fake.bridge.clientId}`, { callbacks: [] })).toBe(200);
    expect(await call('DELETE', `/clients/${foreign.client_id}`)).toBe(204);
  });

  it('creates no grant without a default audience', async () => {
    const issued = await adapter().createClient(newClient(), context());
    expect(fake.clients.has(issued.clientId)).toBe(true);
    expect(fake.grants.size).toBe(0);
    expect(fake.calls).toEqual(['POST /oauth/token', 'POST /api/v2/clients']);
  });

  it('grants the configured scopes instead of the app scopes when IDP_AUTH0_DEFAULT_SCOPES is set', async () => {
    const issued = await adapter({
      IDP_AUTH0_DEFAULT_AUDIENCE: API,
      IDP_AUTH0_DEFAULT_SCOPES: 'read:weather',
    }).createClient(newClient(), context());
    expect([...fake.grants.values()]).toEqual([
      { id: expect.any(String), client_id: issued.clientId, audience: API, scope: ['read:weather'] },
    ]);
  });

  it('removes the client again when the default audience is no API of the tenant', async () => {
    const error = await bridgeErrorOf(
      adapter({ IDP_AUTH0_DEFAULT_AUDIENCE: 'https://missing.example.com' }).createClient(newClient(), context()),
    );
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('IDP_AUTH0_DEFAULT_AUDIENCE');
    expect(error.description).toContain('removed the new Auth0 client');
    expect(fake.clients.size).toBe(0);
  });

  it('removes a client Auth0 created without a secret', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, { status: 201, body: { client_id: 'NoSecretClient' } });
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('no client_secret');
    expect(fake.calls).toContain('DELETE /api/v2/clients/NoSecretClient');
  });

  it('finds and removes a client Auth0 stored but answered without a client_id', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, { status: 201, body: { name: 'x' }, afterEffect: true });
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('client_id');
    expect(fake.clients.size).toBe(0);
    expect(output.text()).toContain('Removed a half-created client at Auth0');
    expect(output.text()).not.toContain('Orphaned');
  });

  it('finds and removes a client Auth0 stored before answering 500, by the creation id it carries', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'oops' },
      afterEffect: true,
    });
    // Auth0's search is eventually consistent: the first search does not see the new client yet.
    fake.laggingSearches = 1;
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('answered 500');
    expect(fake.clients.size).toBe(0);
    const searches = fake.requests.filter((request) => request.url.startsWith('/api/v2/clients/search?'));
    expect(searches).toHaveLength(2);
    const query = new URL(searches[0]?.url ?? '', fake.url).searchParams;
    expect(query.get('parser')).toBe('scim');
    expect(query.get('q')).toMatch(/^metadata\.konnect_creation_id eq "[0-9a-f-]{36}"$/);
    expect(output.text()).not.toContain('Orphaned');
  });

  it('reports a possible orphan, with the id to look for, when the search shows nothing', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, { status: 503, body: { statusCode: 503, error: 'Unavailable' } });
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(502);
    const orphan = output.lines().find((line) => String(line.message).startsWith('Orphaned client possible at Auth0'));
    expect(orphan).toMatchObject({ level: 'ERROR', look_for: 'client_metadata.konnect_creation_id' });
    expect(orphan?.creation_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports a possible orphan when it cannot search after a failed create', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, { status: 500, body: {}, afterEffect: true });
    fake.failNext('GET', /^\/api\/v2\/clients\/search$/, {
      status: 403,
      body: { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope', errorCode: 'insufficient_scope' },
    });
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(502);
    const orphan = output.lines().find((line) => String(line.message).startsWith('Orphaned client possible at Auth0'));
    expect(String(orphan?.reason)).toContain('insufficient_scope');
    expect(fake.clients.size).toBe(1);
  });

  it('does not look for a client after a rate limit, which Auth0 answers before creating anything', async () => {
    fake.failNext('POST', /^\/api\/v2\/clients$/, FakeAuth0.rateLimited(120));
    const error = await bridgeErrorOf(adapter().createClient(newClient(), context()));
    expect(error.statusCode).toBe(503);
    expect(fake.calls.filter((call) => call.includes('search'))).toEqual([]);
    expect(output.text()).not.toContain('Orphaned');
  });

  it("answers 502, not the developer's 400, when Auth0 refuses a secret rotation", async () => {
    const { clientId } = await adapter().createClient(newClient(), context());
    fake.failNext('POST', /rotate-secret$/, {
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'Cannot rotate', errorCode: 'invalid_body' },
    });
    const error = await bridgeErrorOf(adapter().rotateSecret(clientId, context()));
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain('answered 400 (invalid_body: Cannot rotate)');
  });

  it('answers 502 when a rotation returns no new secret', async () => {
    const { clientId } = await adapter().createClient(newClient(), context());
    fake.failNext('POST', /rotate-secret$/, { status: 200, body: { client_id: clientId } });
    const error = await bridgeErrorOf(adapter().rotateSecret(clientId, context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('client_secret');
  });

  it('sends only the callbacks on a redirect URI update', async () => {
    const bridge = adapter();
    const { clientId } = await bridge.createClient(newClient(), context());
    await bridge.updateRedirectUris(clientId, ['https://app.example.com/cb'], context());
    const patch = fake.requests.find((request) => request.method === 'PATCH');
    expect(patch?.url).toBe(`/api/v2/clients/${clientId}`);
    expect(JSON.parse(patch?.body ?? '')).toEqual({ callbacks: ['https://app.example.com/cb'] });
  });

  it('makes the client a native application when the new callbacks use a private-use scheme', async () => {
    const bridge = adapter();
    const { clientId } = await bridge.createClient(newClient(), context());
    await bridge.updateRedirectUris(clientId, ['com.example.weather:/callback'], context());
    expect(fake.clients.get(clientId)).toMatchObject({
      app_type: 'native',
      callbacks: ['com.example.weather:/callback'],
      grant_types: ['client_credentials'],
    });
  });

  it('answers 502 for a delete Auth0 fails', async () => {
    const { clientId } = await adapter().createClient(newClient(), context());
    fake.failNext('DELETE', /^\/api\/v2\/clients\//, {
      status: 500,
      body: { statusCode: 500, error: 'Internal Server Error', message: 'oops' },
    });
    const error = await bridgeErrorOf(adapter().deleteClient(clientId, context()));
    expect(error.statusCode).toBe(502);
    expect(error.description).toContain('500');
    expect(error.description).toContain('deleting the client');
  });
});
