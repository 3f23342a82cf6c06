import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AmbiguousProviderError, KonnectApi, KonnectRequestError } from '../../functions/konnect/konnect-api';
import { KonnectApiError } from '../../functions/konnect/konnect-api-error';
import { type FakeKonnect, problem, startFakeKonnect } from '../fakes/konnect-fake';
import { deadPort, type LoopbackServer, startLoopbackServer } from '../unit/support/loopback-server';

const KEY = 'KonnectApiTestKey_0123456789';

const httpBody = (overrides: Record<string, unknown> = {}) => ({
  name: 'api-test',
  provider_type: 'http' as const,
  issuer: 'https://issuer.example.com',
  dcr_config: { dcr_base_url: 'https://bridge.example.com/prod', api_key: KEY },
  ...overrides,
});

/** Texts the operator reads; none may contain the token or a key sent. */
function expectClean(error: unknown, ...secrets: string[]) {
  const text = `${String(error)} ${JSON.stringify(error)} ${(error as Error).stack ?? ''}`;
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('KonnectApi against the fake Konnect', () => {
  let konnect: FakeKonnect;
  let api: KonnectApi;

  beforeAll(async () => {
    konnect = await startFakeKonnect({ echoRejectedValues: true });
    api = new KonnectApi({ baseUrl: konnect.url, token: konnect.token, callTimeoutMs: 5000 });
  });

  afterAll(() => konnect.close());

  beforeEach(() => {
    konnect.providers.clear();
    konnect.requests.length = 0;
  });

  it('creates, gets, finds, updates, verifies (no bridge: failed) and removes', async () => {
    const created = await api.create(httpBody());
    expect(await api.get(created.id)).toEqual(created);
    expect((await api.findByName('api-test'))?.id).toBe(created.id);
    expect(await api.findByName('nothing-like-it')).toBeUndefined();
    const updated = await api.update(created.id, { issuer: 'https://issuer.example.com/v2' });
    expect(updated.issuer).toBe('https://issuer.example.com/v2');
    expect((await api.verify(created.id)).status).toBe('failed');
    await api.remove(created.id);
    expect(konnect.providers.size).toBe(0);
    expect(konnect.requests[2]).toMatchObject({
      method: 'GET',
      query: { 'filter[name][eq]': 'api-test', 'page[size]': '10' },
    });
  });

  it('finds by the exact name only, and refuses to choose between two providers with it', async () => {
    konnect.seedProvider({ name: 'twin' });
    konnect.seedProvider({ name: 'twin' });

    await expect(api.findByName('twin')).rejects.toThrow(AmbiguousProviderError);
    await expect(api.findByName('twin')).rejects.toThrow('Konnect has 2 DCR providers named "twin"');
  });

  it('reads a 401 as Konnect words it, without the token', async () => {
    const wrongToken = 'kpat_WrongTokenForThisOrganization0123456789';
    const stranger = new KonnectApi({ baseUrl: konnect.url, token: wrongToken });

    const error = await stranger.findByName('x').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KonnectApiError);
    expect(error).toMatchObject({ status: 401, title: 'Unauthorized', detail: 'Unauthorized' });
    expect((error as Error).message).toMatch(/^Konnect answered 401 Unauthorized: Unauthorized — the Konnect token/);
    expect((error as Error).message).toMatch(/\[kong:trace:\d+\]$/);
    expectClean(error, wrongToken);
  });

  it('reads a 403 (read-only token) and a 404', async () => {
    const reader = new KonnectApi({ baseUrl: konnect.url, token: konnect.readOnlyToken });
    const forbidden = await reader.create(httpBody()).catch((caught: unknown) => caught);
    expect((forbidden as Error).message).toContain(
      'Konnect answered 403 Forbidden: You do not have permission to perform this action',
    );
    expectClean(forbidden, konnect.readOnlyToken, KEY);

    const missing = await api.get('3f1c1c9e-6a4b-4a8e-9a55-0d7d3c3b9f10').catch((caught: unknown) => caught);
    expect(missing).toMatchObject({
      status: 404,
      message: expect.stringContaining('Konnect answered 404 Not Found: Not Found'),
    });
  });

  it('lists the invalid parameters of a 400', async () => {
    const badKey = 'short!';
    const error = await api
      .create(httpBody({ name: '', dcr_config: { dcr_base_url: 'ftp://x', api_key: badKey } }))
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KonnectApiError);
    const message = (error as Error).message;
    expect(message).toContain('Konnect answered 400 Bad Request');
    expect(message).toContain('dcr_config.dcr_base_url: must be a valid url');
    expect(message).toContain('dcr_config.api_key: must have at least 12 characters');
    expect(message).toContain('name: must have at least 1 characters');
  });

  it('never shows the token or key even when Konnect quotes them back', async () => {
    konnect.inject({
      status: 400,
      method: 'PATCH',
      body: problem(400, `bad request from Bearer ${konnect.token} with ${KEY}`, {
        invalid_parameters: [
          { field: 'dcr_config.api_key', rule: 'invalid', reason: `[${KEY}] is reused`, source: 'body' },
        ],
      }),
    });
    const created = await api.create(httpBody());

    const error = await api.update(created.id, { dcr_config: { api_key: KEY } }).catch((caught: unknown) => caught);

    expect((error as Error).message).toContain('[redacted]');
    expectClean(error, konnect.token, KEY);
  });

  it('waits out a 429 with Retry-After, then succeeds', async () => {
    konnect.inject({ status: 429, method: 'GET', headers: { 'retry-after': '1' } });
    const started = Date.now();

    expect(await api.findByName('none')).toBeUndefined();

    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(konnect.requests.map((request) => request.status)).toEqual([429, 200]);
  });

  it('gives up on a 429 whose wait does not fit the time allowed', async () => {
    konnect.inject({ status: 429, method: 'GET', headers: { 'retry-after': '30' } });
    const hurried = new KonnectApi({ baseUrl: konnect.url, token: konnect.token, operationTimeoutMs: 500 });

    const error = await hurried.findByName('none').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KonnectRequestError);
    expect((error as Error).message).toContain('Konnect is rate-limiting');
  });

  it('reports a 500 with its detail', async () => {
    konnect.inject({ status: 500, method: 'POST' });

    const error = await api.create(httpBody()).catch((caught: unknown) => caught);

    expect(error).toMatchObject({
      status: 500,
      message: expect.stringContaining('Konnect answered 500 Internal Server Error'),
    });
    expectClean(error, konnect.token, KEY);
  });
});

describe('KonnectApi transport', () => {
  let server: LoopbackServer;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });

  afterAll(() => server.close());

  it('never follows a redirect (it would carry the token elsewhere)', async () => {
    server.handle((_request, response) => {
      response.writeHead(307, { location: 'https://elsewhere.example.com/v2/dcr-providers' });
      response.end();
    });
    const api = new KonnectApi({ baseUrl: `${server.url}/v2`, token: 'kpat_RedirectTestToken0123456789' });

    const error = await api.findByName('x').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KonnectRequestError);
    expect((error as Error).message).toContain('Konnect answered 307 (a redirect)');
    expect(server.requests).toHaveLength(1);
  });

  it('bounds a call that never answers', async () => {
    server.handle(() => undefined);
    const api = new KonnectApi({
      baseUrl: `${server.url}/v2`,
      token: 'kpat_SlowTestToken0123456789',
      callTimeoutMs: 300,
    });

    const error = await api.get('3f1c1c9e-6a4b-4a8e-9a55-0d7d3c3b9f10').catch((caught: unknown) => caught);

    expect((error as Error).message).toContain('Konnect did not answer GET');
    expect((error as Error).message).toContain('in time');
  });

  it('ends every call at the overall deadline it was given', async () => {
    server.handle(() => undefined);
    const api = new KonnectApi({
      baseUrl: `${server.url}/v2`,
      token: 'kpat_DeadlineTestToken0123456789',
      signal: AbortSignal.timeout(200),
    });
    const started = Date.now();

    await expect(api.findByName('x')).rejects.toThrow('in time');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says when Konnect cannot be reached', async () => {
    const api = new KonnectApi({
      baseUrl: `http://127.0.0.1:${await deadPort()}/v2`,
      token: 'kpat_DeadPortToken0123456789',
    });

    const error = await api.findByName('x').catch((caught: unknown) => caught);

    expect((error as Error).message).toMatch(
      /^Konnect could not be reached for GET .*\/v2\/dcr-providers: ECONNREFUSED$/,
    );
  });

  it('reads a non-JSON error body as its detail', async () => {
    server.handle((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad gateway</html>');
    });
    const api = new KonnectApi({ baseUrl: `${server.url}/v2`, token: 'kpat_HtmlTestToken0123456789' });

    const error = await api.findByName('x').catch((caught: unknown) => caught);

    expect((error as Error).message).toBe('Konnect answered 502 HTTP 502: <html>Bad gateway</html>');
  });
});
