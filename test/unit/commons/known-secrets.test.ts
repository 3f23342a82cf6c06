import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  forgetKnownSecrets,
  maskKnownSecrets,
  rememberAuthorization,
  rememberSecret,
  rememberSecretsIn,
} from '../../../functions/commons/known-secrets';
import { redactSecretValues } from '../../../functions/commons/redaction';

const mask = (text: string) => maskKnownSecrets(text, '[redacted]');

describe('known secrets', () => {
  beforeEach(() => forgetKnownSecrets());

  it('masks every occurrence of a remembered value, keeping the text around it', () => {
    rememberSecret('IAT_9f8e7d6c5b4a');

    expect(mask('token IAT_9f8e7d6c5b4a expired (IAT_9f8e7d6c5b4a)')).toBe('token [redacted] expired ([redacted])');
  });

  it('masks the URL-encoded form too, as a value travels in a form', () => {
    rememberSecret('s3cr3t/with+plus=');

    expect(mask('client_secret s3cr3t%2Fwith%2Bplus%3D refused')).toBe('client_secret [redacted] refused');
  });

  it('ignores values shorter than 8 characters and non-strings', () => {
    rememberSecret('short');
    rememberSecret(12345678);
    rememberSecret(undefined);

    expect(mask('a short answer of 12345678')).toBe('a short answer of 12345678');
  });

  it('masks a value that contains another one as a whole', () => {
    rememberSecret('abcdefgh');
    rememberSecret('xx-abcdefgh-yy');

    expect(mask('got xx-abcdefgh-yy')).toBe('got [redacted]');
  });

  it('stays bounded: the oldest of more than 128 values is forgotten, one in use is kept', () => {
    rememberSecret('oldest-value-0');
    rememberSecret('in-use-value-0');
    for (let index = 0; index < 127; index += 1) {
      rememberSecret(`filler-value-${index}`);
      // A credential the bridge keeps sending is remembered again each time, so it survives.
      rememberSecret('in-use-value-0');
    }

    expect(mask('oldest-value-0')).toBe('oldest-value-0');
    expect(mask('in-use-value-0')).toBe('[redacted]');
    expect(mask('filler-value-126')).toBe('[redacted]');
  });

  it('remembers the credential fields of a body, and nothing else', () => {
    rememberSecretsIn({
      client_id: 'client-id-visible',
      client_secret: 'issued-secret-1',
      registration_access_token: 'issued-rat-1',
      token_endpoint_auth_method: 'client_secret_basic',
      secretText: 'entra-secret-1',
    });

    expect(mask('client-id-visible client_secret_basic')).toBe('client-id-visible client_secret_basic');
    expect(mask('issued-secret-1 issued-rat-1 entra-secret-1')).toBe('[redacted] [redacted] [redacted]');
  });

  it('remembers a bearer token and the password inside Basic credentials, not the client id', () => {
    rememberAuthorization('Bearer registration-token-1');
    rememberAuthorization(`Basic ${Buffer.from('bridge-client:p%40ss+word-1').toString('base64')}`);

    expect(mask('registration-token-1')).toBe('[redacted]');
    expect(mask('secret p@ss word-1 or p%40ss+word-1')).toBe('secret [redacted] or [redacted]');
    expect(mask('bridge-client')).toBe('bridge-client');
  });

  it('is part of the one redaction used by logs, IdP texts and contract descriptions', () => {
    rememberSecret('IAT_0a1b2c3d4e5f');

    expect(redactSecretValues('initial access token IAT_0a1b2c3d4e5f is unknown')).toBe(
      'initial access token [redacted] is unknown',
    );
  });
});
