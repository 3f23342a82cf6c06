import { describe, expect, it } from '@jest/globals';
import { HttpClient } from '../../../../functions/commons/http-client';
import { basicAuthorization, initialAccessToken } from '../../../../functions/idp/generic/registration-token';

const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');
// Never used for a request in these tests: every case returns before any HTTP call.
const http = new HttpClient({ idpName: 'generic', callTimeoutMs: 1000 });
const context = { signal: AbortSignal.abort(), deadlineAt: 0 };

describe('basicAuthorization', () => {
  it('encodes plain id and secret as id:secret', () => {
    expect(decode(basicAuthorization('client', 'secret'))).toBe('client:secret');
  });

  it('form-encodes both parts first (RFC 6749 section 2.3.1)', () => {
    expect(decode(basicAuthorization('my client:1', 'a b+c/d%e'))).toBe('my+client%3A1:a+b%2Bc%2Fd%25e');
  });

  it('starts with "Basic "', () => {
    expect(basicAuthorization('a', 'b')).toMatch(/^Basic [A-Za-z0-9+/=]+$/);
  });
});

describe('initialAccessToken without a scope', () => {
  it('returns the static initial access token', async () => {
    await expect(
      initialAccessToken({ initialAccessToken: 'iat-1' }, undefined, undefined, http, 'generic', context),
    ).resolves.toBe('iat-1');
  });

  it('returns undefined for open registration', async () => {
    await expect(initialAccessToken({}, undefined, undefined, http, 'generic', context)).resolves.toBeUndefined();
  });

  it('treats an empty scope as no scope', async () => {
    await expect(
      initialAccessToken({ initialAccessToken: 'iat-2' }, '', 'https://idp/token', http, 'generic', context),
    ).resolves.toBe('iat-2');
  });
});

describe('initialAccessToken with a scope', () => {
  it.each([
    ['no client id', { clientSecret: 's' }],
    ['no client secret', { clientId: 'c' }],
  ])('refuses with 502 when there is %s, naming neither credential', async (_label, credentials) => {
    const error = await initialAccessToken(credentials, 'dcr', 'https://idp/token', http, 'generic', context).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect((error as Error).message).toContain('"dcr"');
  });

  it('refuses with 502 when there is no token endpoint', async () => {
    const error = await initialAccessToken(
      { clientId: 'c', clientSecret: 's' },
      'dcr',
      undefined,
      http,
      'generic',
      context,
    ).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ statusCode: 502, error: 'idp_error' });
    expect((error as Error).message).toContain('no token endpoint');
  });
});
