import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { type EndpointSettings, IdpEndpointResolver } from '../../../../functions/idp/generic/idp-endpoints';
import { operationWithin } from '../../../../functions/idp/idp-adapter';
import { bridgeErrorOf } from '../../support/bridge-error-of';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../../support/loopback-server';

const OPENID = '/.well-known/openid-configuration';
const OAUTH = '/.well-known/oauth-authorization-server';
const context = () => operationWithin(5000);

describe('IdpEndpointResolver', () => {
  let server: LoopbackServer;
  /** Discovery documents by path; a missing path answers 404. */
  let documents: Record<string, { status?: number; body: unknown }>;

  beforeAll(async () => {
    server = await startLoopbackServer();
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.reset();
    documents = {};
    server.handle((request, response) => {
      const document = documents[request.url];
      if (!document) return sendJson(response, 404, { error: 'not_found' });
      if (typeof document.body === 'string') {
        response.writeHead(document.status ?? 200, { 'content-type': 'text/html' });
        response.end(document.body);
        return;
      }
      sendJson(response, document.status ?? 200, document.body);
    });
  });

  const resolver = (settings: EndpointSettings) =>
    new IdpEndpointResolver(settings, new HttpClient({ idpName: 'generic', callTimeoutMs: 3000 }), 'generic');

  const discovered = (extra: Record<string, unknown> = {}) => ({
    issuer: server.url,
    registration_endpoint: `${server.url}/reg`,
    token_endpoint: `${server.url}/tok`,
    ...extra,
  });

  const paths = () => server.requests.map((request) => request.url);

  it('uses configured endpoints without any HTTP call', async () => {
    const endpoints = await resolver({
      issuer: server.url,
      registrationEndpoint: 'https://idp.example.com/register',
      tokenEndpoint: 'https://idp.example.com/token',
    }).resolve(context());

    expect(endpoints).toEqual({
      registrationEndpoint: 'https://idp.example.com/register',
      tokenEndpoint: 'https://idp.example.com/token',
    });
    expect(paths()).toEqual([]);
  });

  it('uses a configured registration endpoint alone when there is no issuer', async () => {
    const endpoints = await resolver({ registrationEndpoint: 'https://idp.example.com/register' }).resolve(context());

    expect(endpoints).toEqual({ registrationEndpoint: 'https://idp.example.com/register', tokenEndpoint: undefined });
    expect(paths()).toEqual([]);
  });

  it('reads the OpenID configuration of the issuer', async () => {
    documents[OPENID] = { body: discovered() };

    const endpoints = await resolver({ issuer: server.url }).resolve(context());

    expect(endpoints).toEqual({ registrationEndpoint: `${server.url}/reg`, tokenEndpoint: `${server.url}/tok` });
    expect(paths()).toEqual([OPENID]);
  });

  it('handles an issuer with a trailing slash', async () => {
    documents[OPENID] = { body: discovered() };

    await resolver({ issuer: `${server.url}/` }).resolve(context());

    expect(paths()).toEqual([OPENID]);
  });

  it('keeps configured endpoints over discovered ones', async () => {
    documents[OPENID] = { body: discovered() };

    const endpoints = await resolver({
      issuer: server.url,
      registrationEndpoint: 'https://idp.example.com/register',
    }).resolve(context());

    expect(endpoints).toEqual({
      registrationEndpoint: 'https://idp.example.com/register',
      tokenEndpoint: `${server.url}/tok`,
    });
  });

  it('falls back to the OAuth metadata when there is no OpenID configuration', async () => {
    documents[OAUTH] = { body: discovered() };

    const endpoints = await resolver({ issuer: server.url }).resolve(context());

    expect(endpoints.registrationEndpoint).toBe(`${server.url}/reg`);
    expect(paths()).toEqual([OPENID, OAUTH]);
  });

  it.each([
    ['not JSON', '<html>login</html>'],
    ['a malformed document', { registration_endpoint: 'not a url' }],
  ])('falls back when the OpenID configuration is %s', async (_label, body) => {
    documents[OPENID] = { body };
    documents[OAUTH] = { body: discovered() };

    const endpoints = await resolver({ issuer: server.url }).resolve(context());

    expect(endpoints.registrationEndpoint).toBe(`${server.url}/reg`);
    expect(paths()).toEqual([OPENID, OAUTH]);
  });

  it('resolves once and serves later calls from memory', async () => {
    documents[OPENID] = { body: discovered() };
    const endpoints = resolver({ issuer: server.url });

    const [first, second] = await Promise.all([endpoints.resolve(context()), endpoints.resolve(context())]);
    const third = await endpoints.resolve(context());

    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(paths()).toEqual([OPENID]);
  });

  it('answers 502 when neither document exists, and retries on the next call', async () => {
    const endpoints = resolver({ issuer: server.url });

    const error = await bridgeErrorOf(endpoints.resolve(context()));
    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect(error.description).toContain('discovery document');
    expect(error.description).not.toContain('127.0.0.1');

    documents[OPENID] = { body: discovered() };
    await expect(endpoints.resolve(context())).resolves.toMatchObject({ registrationEndpoint: `${server.url}/reg` });
    expect(paths()).toEqual([OPENID, OAUTH, OPENID]);
  });

  it('answers 502 when the IdP advertises no registration endpoint', async () => {
    documents[OPENID] = { body: discovered({ registration_endpoint: undefined }) };

    const error = await bridgeErrorOf(resolver({ issuer: server.url }).resolve(context()));

    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect(error.description).toContain('does not advertise a registration_endpoint');
  });

  // Issue 9 finding 4: discovered endpoints were used wherever they pointed.
  describe('pinning to the configured origins', () => {
    const METADATA = 'http://169.254.169.254/latest/meta-data';

    it('tolerates a trailing slash on either issuer', async () => {
      documents[OPENID] = { body: discovered({ issuer: `${server.url}/` }) };

      await expect(resolver({ issuer: server.url }).resolve(context())).resolves.toMatchObject({
        registrationEndpoint: `${server.url}/reg`,
      });
    });

    it.each([
      ['another issuer', { issuer: 'https://attacker.example' }],
      ['an issuer with another path', { issuer: 'ISSUER/other-tenant' }],
      ['no issuer at all', { issuer: undefined }],
    ])('refuses a document naming %s, and does not fall back to the other one', async (_label, extra) => {
      const issuer = extra.issuer?.replace('ISSUER', server.url);
      documents[OPENID] = { body: discovered({ ...extra, issuer }) };
      documents[OAUTH] = { body: discovered() };

      const error = await bridgeErrorOf(resolver({ issuer: server.url }).resolve(context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain('does not name the configured IDP_ISSUER as its issuer');
      expect(error.description).not.toContain('attacker');
      expect(paths()).toEqual([OPENID]);
    });

    it.each([
      ['registration_endpoint', { registration_endpoint: `${METADATA}/reg` }],
      ['token_endpoint', { token_endpoint: `${METADATA}/token` }],
      ['registration_endpoint', { registration_endpoint: 'https://attacker.example/reg' }],
    ])('refuses a %s on another origin than the issuer', async (field, extra) => {
      documents[OPENID] = { body: discovered(extra) };

      const error = await bridgeErrorOf(resolver({ issuer: server.url }).resolve(context()));

      expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
      expect(error.description).toContain(`advertises a ${field} on another origin than the issuer`);
      expect(error.description).toContain('IDP_ALLOWED_ORIGINS');
      expect(error.description).not.toContain('169.254');
    });

    it('refuses the same host on another scheme or port', async () => {
      const otherPort = server.url.replace(/:(\d+)$/, (_match, port) => `:${Number(port) + 1}`);
      documents[OPENID] = { body: discovered({ token_endpoint: `${otherPort}/tok` }) };

      await expect(resolver({ issuer: server.url }).resolve(context())).rejects.toMatchObject({ statusCode: 502 });
    });

    it('accepts endpoints on an origin listed in IDP_ALLOWED_ORIGINS', async () => {
      documents[OPENID] = { body: discovered({ token_endpoint: 'https://login.idp.example/token' }) };

      const endpoints = await resolver({ issuer: server.url, allowedOrigins: ['https://login.idp.example'] }).resolve(
        context(),
      );

      expect(endpoints.tokenEndpoint).toBe('https://login.idp.example/token');
    });

    it('trusts the origins of every configured URL and allowed origin, and nothing else', () => {
      const endpoints = resolver({
        issuer: 'https://idp.example.com/realms/a',
        registrationEndpoint: 'https://reg.idp.example.com:8443/register',
        allowedOrigins: ['https://other.idp.example'],
      });

      expect(endpoints.trusts('https://IDP.example.com:443/realms/b/clients/1')).toBe(true);
      expect(endpoints.trusts('https://reg.idp.example.com:8443/register/c1')).toBe(true);
      expect(endpoints.trusts('https://other.idp.example/x')).toBe(true);
      for (const url of [
        'http://idp.example.com/realms/a/clients/1',
        'https://reg.idp.example.com/register/c1',
        'https://idp.example.com.attacker.example/x',
        `${METADATA}/iam`,
        'not a url',
        'file:///etc/passwd',
      ]) {
        expect(endpoints.trusts(url)).toBe(false);
      }
    });
  });

  it('answers 502 without any HTTP call when it has neither issuer nor endpoint', async () => {
    const error = await bridgeErrorOf(resolver({ tokenEndpoint: 'https://idp.example.com/token' }).resolve(context()));

    expect(error.description).toContain('no registration endpoint');
    expect(paths()).toEqual([]);
  });
});
