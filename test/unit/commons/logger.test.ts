import { describe, expect, it } from '@jest/globals';
import { logger, redactSecrets } from '../../../functions/commons/logger';
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
  ])('keeps %s', (key, value) => {
    expect(redactSecrets(key, value)).toEqual(value);
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
});
