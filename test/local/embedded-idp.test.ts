import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbeddedIdp, startEmbeddedIdp } from '../../bin/local/embedded-idp';

// Everything over real HTTP on 127.0.0.1, each call bounded in time.
const TIMEOUT_MS = 5000;

type Json = Record<string, unknown>;

interface Registered {
  client_id: string;
  client_secret: string;
  registration_access_token: string;
  registration_client_uri: string;
  [key: string]: unknown;
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}

function jsonHeaders(bearer?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json',
    ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }),
  };
}

const CC_CLIENT = { grant_types: ['client_credentials'], response_types: [], scope: 'read write' };

async function register(idp: EmbeddedIdp, metadata: Json = CC_CLIENT): Promise<Registered> {
  const { status, body } = await call(idp.registrationEndpoint, {
    method: 'POST',
    headers: jsonHeaders(idp.initialAccessToken),
    body: JSON.stringify(metadata),
  });
  expect(status).toBe(201);
  return body as Registered;
}

function token(idp: EmbeddedIdp, clientId: string, secret: string, auth: 'basic' | 'post' = 'basic') {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  const headers: Record<string, string> = { accept: 'application/json' };
  if (auth === 'basic') {
    // RFC 6749 §2.3.1: form-encode both parts before Base64.
    const pair = `${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`;
    headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
  } else {
    form.set('client_id', clientId);
    form.set('client_secret', secret);
  }
  return call(idp.tokenEndpoint, { method: 'POST', headers, body: form });
}

/** RFC 7592 update body: the current metadata minus the fields a client must not send. */
function updateBody(current: Json, changes: Json = {}): string {
  const {
    registration_access_token: _rat,
    registration_client_uri: _uri,
    client_secret_expires_at: _expires,
    client_id_issued_at: _issued,
    client_secret: _secret,
    ...metadata
  } = current;
  return JSON.stringify({ ...metadata, ...changes });
}

function put(client: Registered, rat: string, changes: Json = {}) {
  return call(client.registration_client_uri, {
    method: 'PUT',
    headers: jsonHeaders(rat),
    body: updateBody(client, changes),
  });
}

describe('startEmbeddedIdp (defaults: Curity-style rotation)', () => {
  let idp: EmbeddedIdp;

  beforeAll(async () => {
    idp = await startEmbeddedIdp();
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('serves discovery for its own loopback issuer with registration and token endpoints', async () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const { status, body } = await call(`${idp.issuer}/.well-known/openid-configuration`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      issuer: idp.issuer,
      registration_endpoint: idp.registrationEndpoint,
      token_endpoint: idp.tokenEndpoint,
    });
    expect(body.grant_types_supported).toContain('client_credentials');
  });

  it('refuses registration without a valid initial access token', async () => {
    const before = idp.clientCount();
    for (const bearer of [undefined, 'not-the-iat']) {
      const { status, body } = await call(idp.registrationEndpoint, {
        method: 'POST',
        headers: jsonHeaders(bearer),
        body: JSON.stringify(CC_CLIENT),
      });
      expect(status).toBe(401);
      expect(body.error).toBe('invalid_token');
    }
    expect(idp.clientCount()).toBe(before);
  });

  it('registers a client-credentials client and issues tokens with Basic and client_secret_post', async () => {
    const before = idp.clientCount();
    const client = await register(idp);

    expect(client).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      registration_access_token: expect.any(String),
      registration_client_uri: `${idp.registrationEndpoint}/${client.client_id}`,
      grant_types: ['client_credentials'],
      scope: 'read write',
    });
    expect(idp.clientCount()).toBe(before + 1);

    for (const auth of ['basic', 'post'] as const) {
      const { status, body } = await token(idp, client.client_id, client.client_secret, auth);
      expect(status).toBe(200);
      expect(body).toMatchObject({ access_token: expect.any(String), token_type: 'Bearer' });
    }
    const wrong = await token(idp, client.client_id, `${client.client_secret}x`);
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
  });

  it('rotates the secret and the registration access token on PUT, like Curity', async () => {
    const client = await register(idp);
    const updated = await put(client, client.registration_access_token, {
      redirect_uris: ['https://app.example.com/callback'],
    });

    expect(updated.status).toBe(200);
    const newSecret = updated.body.client_secret as string;
    const newRat = updated.body.registration_access_token as string;
    expect(newSecret).toEqual(expect.any(String));
    expect(newSecret).not.toBe(client.client_secret);
    expect(newRat).not.toBe(client.registration_access_token);
    // The expiry stays as registered (0 = never), not reset by the rotation.
    expect(updated.body.client_secret_expires_at).toBe(client.client_secret_expires_at);
    expect(updated.body.client_id_issued_at).toBe(client.client_id_issued_at);

    const oldSecret = await token(idp, client.client_id, client.client_secret);
    expect(oldSecret.status).toBe(401);
    expect(oldSecret.body.error).toBe('invalid_client');
    expect((await token(idp, client.client_id, newSecret)).status).toBe(200);

    const withOldRat = await call(client.registration_client_uri, {
      headers: jsonHeaders(client.registration_access_token),
    });
    expect(withOldRat.status).toBe(401);
    expect(withOldRat.body.error).toBe('invalid_token');

    // GET keeps the RAT and reads back what PUT stored.
    for (let i = 0; i < 2; i += 1) {
      const read = await call(client.registration_client_uri, { headers: jsonHeaders(newRat) });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({
        client_id: client.client_id,
        client_secret: newSecret,
        registration_access_token: newRat,
        redirect_uris: ['https://app.example.com/callback'],
      });
    }
  });

  it('keeps the secret on a PUT that sends the current client_secret', async () => {
    const client = await register(idp);
    const updated = await put(client, client.registration_access_token, {
      client_secret: client.client_secret,
      redirect_uris: ['https://app.example.com/kept'],
    });

    expect(updated.status).toBe(200);
    expect(updated.body.client_secret).toBe(client.client_secret);
    expect(updated.body.redirect_uris).toEqual(['https://app.example.com/kept']);
    expect((await token(idp, client.client_id, client.client_secret)).status).toBe(200);
  });

  it('rejects an update that carries a read-only field', async () => {
    const client = await register(idp);
    const { status, body } = await call(client.registration_client_uri, {
      method: 'PUT',
      headers: jsonHeaders(client.registration_access_token),
      body: JSON.stringify({ ...JSON.parse(updateBody(client)), client_id_issued_at: client.client_id_issued_at }),
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_request');
  });

  it('deletes a client: 204, its credentials stop working, a repeat DELETE is 401', async () => {
    const before = idp.clientCount();
    const client = await register(idp);
    const del = () =>
      call(client.registration_client_uri, {
        method: 'DELETE',
        headers: jsonHeaders(client.registration_access_token),
      });

    expect((await del()).status).toBe(204);
    expect(idp.clientCount()).toBe(before);
    const refused = await token(idp, client.client_id, client.client_secret);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('invalid_client');

    const again = await del();
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_token');
    expect(idp.clientCount()).toBe(before);
  });

  it('accepts https and loopback redirect URIs for authorization-code clients', async () => {
    const redirectUris = ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'http://localhost:3000/cb'];
    const client = await register(idp, {
      grant_types: ['client_credentials', 'authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: redirectUris,
      scope: 'read write',
    });

    expect(client.grant_types).toEqual(['client_credentials', 'authorization_code', 'refresh_token']);
    expect(client.response_types).toEqual(['code']);
    expect(client.redirect_uris).toEqual(redirectUris);
  });

  it('accepts redirect URIs on a client-credentials-only client, at registration and on update', async () => {
    const withUris = await register(idp, { ...CC_CLIENT, redirect_uris: ['https://app.example.com/cb'] });
    expect(withUris.redirect_uris).toEqual(['https://app.example.com/cb']);

    const plain = await register(idp);
    const updated = await put(plain, plain.registration_access_token, { redirect_uris: ['http://127.0.0.1:9999/cb'] });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      grant_types: ['client_credentials'],
      redirect_uris: ['http://127.0.0.1:9999/cb'],
    });
  });

  it('rejects a scope value it was not configured with', async () => {
    const { status, body } = await call(idp.registrationEndpoint, {
      method: 'POST',
      headers: jsonHeaders(idp.initialAccessToken),
      body: JSON.stringify({ ...CC_CLIENT, scope: 'read not-configured' }),
    });
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_client_metadata');
  });

  it('records each request as method and path only', async () => {
    const before = idp.requestCount();
    await call(`${idp.issuer}/.well-known/openid-configuration?probe=${idp.initialAccessToken}`);
    await call(idp.registrationEndpoint, { method: 'POST', headers: jsonHeaders(idp.initialAccessToken), body: '{}' });

    expect(idp.requestCount()).toBe(before + 2);
    const recorded = idp.requests();
    expect(recorded).toHaveLength(before + 2);
    expect(recorded.slice(-2)).toEqual([
      { method: 'GET', path: '/.well-known/openid-configuration' },
      { method: 'POST', path: '/reg' },
    ]);
    expect(JSON.stringify(recorded)).not.toContain(idp.initialAccessToken);
  });
});

describe('startEmbeddedIdp with rotateSecretOnUpdate: false', () => {
  let idp: EmbeddedIdp;

  beforeAll(async () => {
    idp = await startEmbeddedIdp({ rotateSecretOnUpdate: false });
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('keeps the secret on PUT but still rotates the registration access token', async () => {
    const client = await register(idp);
    const updated = await put(client, client.registration_access_token, { client_name: 'renamed' });

    expect(updated.status).toBe(200);
    expect(updated.body.client_secret).toBe(client.client_secret);
    expect(updated.body.client_name).toBe('renamed');
    expect(updated.body.registration_access_token).not.toBe(client.registration_access_token);
    expect((await token(idp, client.client_id, client.client_secret)).status).toBe(200);
  });
});

describe('startEmbeddedIdp with rotateRegistrationAccessToken: false and extra scopes', () => {
  let idp: EmbeddedIdp;

  beforeAll(async () => {
    idp = await startEmbeddedIdp({ rotateRegistrationAccessToken: false, scopes: ['konnect:custom'] });
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('keeps the registration access token on PUT but still rotates the secret', async () => {
    const client = await register(idp, { ...CC_CLIENT, scope: 'read konnect:custom' });
    const updated = await put(client, client.registration_access_token);

    expect(updated.status).toBe(200);
    expect(updated.body.registration_access_token).toBe(client.registration_access_token);
    expect(updated.body.client_secret).not.toBe(client.client_secret);
    expect(updated.body.scope).toBe('read konnect:custom');
    const read = await call(client.registration_client_uri, { headers: jsonHeaders(client.registration_access_token) });
    expect(read.status).toBe(200);
  });
});

describe('EmbeddedIdp.close', () => {
  it('stops listening', async () => {
    const idp = await startEmbeddedIdp();
    const url = `${idp.issuer}/.well-known/openid-configuration`;
    expect((await call(url)).status).toBe(200);

    await idp.close();

    await expect(call(url)).rejects.toThrow();
  });
});
