import { describe, expect, it } from '@jest/globals';
import { logger, logLevelFromEnv } from '../../../functions/commons/logger';
import { redactSecrets, redactSecretValues } from '../../../functions/commons/redaction';
import { captureOutputPerTest } from '../../support/captured-output';

describe('redactSecrets', () => {
  it.each([
    'client_secret',
    'registration_access_token',
    'access_token',
    'password',
    'apiKey',
    'x-api-key',
    'api_key',
    'authorization',
    'Authorization',
    'credentials',
    'private_key',
    'privateKey',
    'client_assertion',
    'passphrase',
    'cookie',
    'rat',
    'key',
    'keys',
  ])('masks a string under %s', (key) => {
    expect(redactSecrets(key, 'value')).toBe('[redacted]');
  });

  it('masks objects under a secret-looking key, but keeps null', () => {
    expect(redactSecrets('credentials', { id: 'x' })).toBe('[redacted]');
    expect(redactSecrets('client_secret', null)).toBeNull();
  });

  it.each([
    ['client_id', 'c1'],
    ['portal_id', 'p1'],
    ['status', 502],
    ['secret_count', 3],
    ['', { root: true }],
    ['idp_request_id', 'okta-req-1'],
    ['route', 'POST /{clientId}/new-secret'],
    ['operation', 'rotate'],
    ['key_id', 'kid-1'],
  ])('keeps %s', (key, value) => {
    expect(redactSecrets(key, value)).toEqual(value);
  });

  it('masks credentials inside strings under any key', () => {
    expect(redactSecrets('message', 'IdP refused Bearer abc.def-123')).toBe('IdP refused Bearer [redacted]');
  });
});

describe('redactSecretValues', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln', 'bearer'],
    ['sent Basic YnJpZGdlOmJyaWRnZS1zZWNyZXQ= to the token endpoint', 'basic'],
    ['okta said no to SSWS 00aBcD-EfGh_1234567890', 'ssws'],
    ['DPoP dpop-proof-value', 'dpop'],
    ['assertion eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl', 'jwt'],
    ['-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----', 'pem'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIEvQIBADANBgkq (cut off', 'cut pem'],
    ['https://bridge:p4ssw0rd-value@idp.example.com/token', 'url password'],
    ['grant_type=client_credentials&client_secret=form-secret-value&scope=dcr', 'form'],
    ['https://idp.example.com/x?access_token=query-token-value&a=1', 'query'],
    ['IdP answered {"client_secret": "json-secret-value", "client_id": "c1"}', 'json'],
    ['{"registration_access_token":"json-rat-value"}', 'json rat'],
  ])('masks %s (%s)', (text) => {
    const masked = redactSecretValues(text);

    expect(masked).toContain('[redacted]');
    for (const secret of [
      'eyJhbGciOiJSUzI1NiJ9',
      'YnJpZGdlOmJyaWRnZS1zZWNyZXQ',
      '00aBcD-EfGh_1234567890',
      'dpop-proof-value',
      'MIIEvQIBADANBgkq',
      'p4ssw0rd-value',
      'form-secret-value',
      'query-token-value',
      'json-secret-value',
      'json-rat-value',
    ]) {
      expect(masked).not.toContain(secret);
    }
  });

  it('keeps the text around a masked credential', () => {
    expect(redactSecretValues('grant_type=client_credentials&client_secret=abc&scope=dcr')).toBe(
      'grant_type=client_credentials&client_secret=[redacted]&scope=dcr',
    );
    expect(redactSecretValues('https://u:pw@idp.example.com/register')).toBe(
      'https://u:[redacted]@idp.example.com/register',
    );
  });

  it.each([
    'The identity provider (okta) answered 400 (invalid_client_metadata: bad redirect) to the registration',
    'https://idp.example.com:8443/register/client-1',
    'token_endpoint_auth_method=client_secret_basic',
    'No client with id c-123 is known to the bridge.',
    'A basic problem with the bearer of bad news',
    'The identity provider refused the bearer token',
  ])('leaves %s alone', (text) => {
    expect(redactSecretValues(text)).toBe(text);
  });
});

describe('logLevelFromEnv', () => {
  it.each([
    [undefined, 'INFO'],
    ['', 'INFO'],
    ['debug', 'DEBUG'],
    [' WARN ', 'WARN'],
    ['Error', 'ERROR'],
    ['verbose', 'INFO'],
  ])('reads %j as %s', (value, level) => {
    expect(logLevelFromEnv({ POWERTOOLS_LOG_LEVEL: value })).toBe(level);
  });
});

describe('logger', () => {
  const output = captureOutputPerTest();

  it('masks secret-looking attributes at any depth', () => {
    logger.info('test line', {
      client_id: 'visible-client',
      nested: { deeper: { client_secret: 'hidden-secret-1', registration_access_token: 'hidden-rat-1' } },
      headers: { authorization: 'Bearer hidden-token-1' },
    });

    const [line] = output.lines();
    expect(line).toMatchObject({ message: 'test line', client_id: 'visible-client' });
    expect(output.text()).not.toContain('hidden-secret-1');
    expect(output.text()).not.toContain('hidden-rat-1');
    expect(output.text()).not.toContain('hidden-token-1');
  });

  it('masks credentials in messages, free-text attributes and errors', () => {
    const error = new Error('token request failed: client_secret=hidden-secret-2');
    logger.error('refused SSWS hidden-token-2', { detail: 'sent Bearer hidden-token-3', error });

    expect(output.lines()).toHaveLength(1);
    for (const hidden of ['hidden-secret-2', 'hidden-token-2', 'hidden-token-3']) {
      expect(output.text()).not.toContain(hidden);
    }
    expect(output.lines()[0]).toMatchObject({ message: 'refused SSWS [redacted]' });
  });

  it('logs at INFO by default', () => {
    expect(logger.getLevelName()).toBe(logLevelFromEnv(process.env));
  });
});
