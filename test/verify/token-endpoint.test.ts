import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { describeToken, discoverTokenEndpoint, isRefused, requestToken } from '../../bin/verify/token-endpoint';
import { FakeDcrServer } from '../unit/support/fake-dcr-server';

describe('token endpoint discovery and client credentials', () => {
  let idp: FakeDcrServer;

  beforeAll(async () => {
    idp = await FakeDcrServer.start();
  });

  beforeEach(() => {
    idp.reset();
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('reads the token endpoint from OpenID Connect discovery', async () => {
    idp.behaviour.discovery = { openid: true, oauth: false };

    await expect(discoverTokenEndpoint(idp.url, 2000)).resolves.toBe(idp.tokenEndpoint);
    expect(idp.calls).toEqual(['GET /.well-known/openid-configuration']);
  });

  it('falls back to RFC 8414 authorization server metadata', async () => {
    idp.behaviour.discovery = { openid: false, oauth: true };

    await expect(discoverTokenEndpoint(idp.url, 2000)).resolves.toBe(idp.tokenEndpoint);
    expect(idp.calls).toEqual(['GET /.well-known/openid-configuration', 'GET /.well-known/oauth-authorization-server']);
  });

  it('says which documents it tried when neither exists', async () => {
    await expect(discoverTokenEndpoint(idp.url, 2000)).rejects.toThrow(
      `no token endpoint found in the issuer's metadata (${idp.url}/.well-known/openid-configuration → 404; ${idp.url}/.well-known/oauth-authorization-server → 404); pass --token-endpoint`,
    );
  });

  it('sends client credentials with HTTP Basic and the scopes, and reads the answer', async () => {
    const { id, secret, scope } = idp.behaviour.tokenClient;

    const accepted = await requestToken(
      idp.tokenEndpoint,
      { clientId: id, clientSecret: secret },
      { scopes: [scope] },
      2000,
    );
    const refused = await requestToken(
      idp.tokenEndpoint,
      { clientId: id, clientSecret: 'wrong' },
      { scopes: [scope], audience: 'https://api.example.com/' },
      2000,
    );

    expect(accepted).toEqual({ status: 200, accessToken: idp.behaviour.tokenClient.token, error: undefined });
    expect(refused).toEqual({ status: 401, error: 'invalid_client', accessToken: undefined });
    expect(isRefused(refused)).toBe(true);
    expect(idp.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`);
    expect(new URLSearchParams(idp.requests[0]?.body).get('grant_type')).toBe('client_credentials');
    expect(new URLSearchParams(idp.requests[1]?.body).get('audience')).toBe('https://api.example.com/');
  });

  it('counts 400 invalid_client as a refusal, but not 400 invalid_scope', () => {
    expect(isRefused({ status: 400, error: 'invalid_client' })).toBe(true);
    expect(isRefused({ status: 400, error: 'invalid_scope' })).toBe(false);
    expect(isRefused({ status: 500 })).toBe(false);
  });

  it('counts a bare 403 (no body at all) as a refusal of the credentials, but not a 403 with an OAuth error', async () => {
    idp.answerOnce('POST', /^\/token$/, 403);
    idp.answerOnce('POST', /^\/token$/, 403, { error: 'access_denied' });
    const credentials = { clientId: 'gone', clientSecret: 'gone-secret' };

    const bare = await requestToken(idp.tokenEndpoint, credentials, { scopes: [] }, 2000);
    const withBody = await requestToken(idp.tokenEndpoint, credentials, { scopes: [] }, 2000);

    expect(bare).toEqual({ status: 403, emptyBody: true });
    expect(isRefused(bare)).toBe(true);
    expect(describeToken(bare)).toBe('403 (empty body)');
    expect(withBody).toEqual({ status: 403, error: 'access_denied' });
    expect(isRefused(withBody)).toBe(false);
  });
});
