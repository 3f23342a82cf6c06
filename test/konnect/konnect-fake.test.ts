import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import { startTestBridge, type TestBridge } from '../support/local-bridge';

const KEY = 'FakeKonnectTestKey_0123456789';
const OTHER_KEY = 'SomeOtherKeyTheBridgeRefuses_42';

/** The fake itself over HTTP, as a client would see it: the spec's paths, statuses and shapes. */
describe('fake Konnect (Application Auth Strategies API v2)', () => {
  let bridge: TestBridge;
  let konnect: FakeKonnect;

  const call = async (method: string, path: string, body?: unknown, token = konnect.token) => {
    const answer = await fetch(`${konnect.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await answer.text();
    return {
      status: answer.status,
      contentType: answer.headers.get('content-type'),
      body: (text ? JSON.parse(text) : undefined) as Record<string, unknown>,
    };
  };

  const createBody = (overrides: Record<string, unknown> = {}) => ({
    name: 'dcr-bridge-test',
    provider_type: 'http',
    issuer: 'https://issuer.example.com',
    dcr_config: { dcr_base_url: bridge.local.bridgeUrl, api_key: KEY },
    ...overrides,
  });

  beforeAll(async () => {
    bridge = await startTestBridge([KEY]);
    konnect = await startFakeKonnect({ echoRejectedValues: true });
  });

  afterAll(async () => {
    await konnect.close();
    await bridge.stop();
  });

  it('refuses a missing or wrong Bearer token with a problem+json 401', async () => {
    const answer = await call('GET', '/dcr-providers', undefined, 'wrong');

    expect(answer.status).toBe(401);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Unauthorized' });
    expect(answer.body.instance).toMatch(/^kong:trace:\d+$/);
  });

  it('creates, finds by name, patches, verifies through the bridge and deletes', async () => {
    const created = await call('POST', '/dcr-providers', createBody({ labels: { team: 'a' } }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({
      name: 'dcr-bridge-test',
      provider_type: 'http',
      active: false,
      dcr_config: {
        dcr_base_url: bridge.local.bridgeUrl,
        disable_event_hooks: false,
        disable_refresh_secret: false,
        allow_multiple_credentials: false,
      },
    });
    expect(JSON.stringify(created.body)).not.toContain(KEY);
    expect(konnect.apiKeyOf(id)).toBe(KEY);

    const found = await call('GET', '/dcr-providers?filter[name][eq]=dcr-bridge-test&page[size]=5');
    expect(found.body).toMatchObject({ meta: { page: { number: 1, size: 5, total: 1 } } });
    expect((found.body.data as { id: string }[])[0]?.id).toBe(id);
    const none = await call('GET', '/dcr-providers?filter[name][eq]=other');
    expect(none.body.data).toEqual([]);

    const verified = await call('POST', `/dcr-providers/${id}/verify`);
    expect(verified).toMatchObject({ status: 200, body: { status: 'success', errors: [] } });
    expect(konnect.verifications.at(-1)).toMatchObject({ status: 'success', bridgeStatus: 201 });

    const patched = await call('PATCH', `/dcr-providers/${id}`, {
      dcr_config: { api_key: OTHER_KEY },
      labels: { team: null, owner: 'me' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.labels).toEqual({ owner: 'me' });
    expect(konnect.apiKeyOf(id)).toBe(OTHER_KEY);
    expect(konnect.requests.at(-1)?.body).toMatchObject({ dcr_config: { api_key: '[api_key]' } });

    const refused = await call('POST', `/dcr-providers/${id}/verify`);
    expect(refused.body.status).toBe('failed');
    expect(refused.body.errors).toContain(VERIFY_FAILED_ERROR);
    expect(konnect.verifications.at(-1)?.bridgeStatus).toBe(401);

    expect((await call('DELETE', `/dcr-providers/${id}`)).status).toBe(204);
    expect((await call('GET', `/dcr-providers/${id}`)).body).toMatchObject({ status: 404, detail: 'Not Found' });
  });

  it('answers 400 with invalid_parameters for a bad key, name or URL', async () => {
    const answer = await call(
      'POST',
      '/dcr-providers',
      createBody({ name: '', dcr_config: { dcr_base_url: 'not a url', api_key: 'short' } }),
    );

    expect(answer.status).toBe(400);
    const fields = (answer.body.invalid_parameters as { field: string }[]).map((item) => item.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'dcr_config.dcr_base_url', 'dcr_config.api_key']));
  });

  it('refuses writes with a read-only token (403) and plays injected answers', async () => {
    const refused = await call('POST', '/dcr-providers', createBody(), konnect.readOnlyToken);
    expect(refused.body).toMatchObject({ status: 403, detail: 'You do not have permission to perform this action' });

    konnect.inject({ status: 500, method: 'GET' });
    expect((await call('GET', '/dcr-providers')).status).toBe(500);
    expect((await call('GET', '/dcr-providers')).status).toBe(200);
  });

  it('fails the next verify on demand, and runs Konnect-style traffic with the key it holds', async () => {
    const created = await call('POST', '/dcr-providers', createBody({ name: 'traffic' }));
    const id = created.body.id as string;
    konnect.failNextVerify(['Some error']);
    expect((await call('POST', `/dcr-providers/${id}/verify`)).body).toEqual({
      status: 'failed',
      errors: ['Some error'],
    });

    expect(await konnect.sendCreate(id)).toBe(201);
    const traffic = konnect.startTraffic(id, { concurrency: 2, intervalMs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const summary = await traffic.stop();
    expect(summary.sent).toBeGreaterThan(2);
    expect(summary.failed).toBe(0);

    const record = konnect.providers.get(id);
    if (record) record.apiKey = OTHER_KEY;
    expect(await konnect.sendCreate(id)).toBe(401);
  });
});
