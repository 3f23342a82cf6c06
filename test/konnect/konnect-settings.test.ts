import { describe, expect, it } from '@jest/globals';
import { KEY_FINGERPRINT_LABEL, konnectKeyFingerprint, labelValue } from '../../functions/konnect/key-fingerprint';
import { KONNECT_REGIONS, KonnectUrlError, konnectApiUrl } from '../../functions/konnect/konnect-regions';
import { KonnectTokenError, parseKonnectToken } from '../../functions/konnect/konnect-token';

describe('konnectApiUrl', () => {
  it.each(KONNECT_REGIONS)('maps region %s to its regional host', (region) => {
    expect(konnectApiUrl(region)).toBe(`https://${region}.api.konghq.com/v2`);
  });

  it.each([
    ['https://eu.api.konghq.com/v2/', 'https://eu.api.konghq.com/v2'],
    ['https://konnect.internal.example.com', 'https://konnect.internal.example.com/v2'],
    ['http://127.0.0.1:4010/v2', 'http://127.0.0.1:4010/v2'],
    ['http://localhost:4010', 'http://localhost:4010/v2'],
  ])('takes the URL %s as %s', (input, expected) => {
    expect(konnectApiUrl(input)).toBe(expected);
  });

  it.each([
    ['http://eu.api.konghq.com/v2', 'must be https'],
    ['eu-west-1', 'neither a Konnect region'],
    ['https://user:pass@eu.api.konghq.com/v2', 'must not carry credentials'],
    ['https://eu.api.konghq.com/v2?x=1', 'must not carry credentials, a query'],
  ])('refuses %s', (input, message) => {
    expect(() => konnectApiUrl(input)).toThrow(KonnectUrlError);
    expect(() => konnectApiUrl(input)).toThrow(message);
  });
});

describe('konnectKeyFingerprint', () => {
  it('is 32 hex characters, stable, different per key, and a valid Konnect label value', () => {
    const one = konnectKeyFingerprint('FingerprintKeyOne_0123456789');

    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(konnectKeyFingerprint('FingerprintKeyOne_0123456789')).toBe(one);
    expect(konnectKeyFingerprint('FingerprintKeyTwo_0123456789')).not.toBe(one);
    expect(one).toMatch(/^[a-z0-9A-Z]{1}([a-z0-9A-Z-._]*[a-z0-9A-Z]+)?$/);
    expect(KEY_FINGERPRINT_LABEL).not.toMatch(/^(kong|konnect|mesh|kic|_)/);
  });

  it('is the scrypt fingerprint of the plan (salt, N=16384, 16 bytes)', () => {
    // Pinned so that a change of parameters, which would make every deployed label stale, is seen.
    expect(konnectKeyFingerprint('abcdefghijkl')).toBe('617e6077770a9de291cc4fc23f29fd08');
  });
});

describe('labelValue', () => {
  it.each([
    ['DcrBridge', 'DcrBridge'],
    ['dcr okta/partners', 'dcr-okta-partners'],
    ['-_x_-', 'x'],
    ['a'.repeat(80), 'a'.repeat(63)],
    ['---', undefined],
  ])('turns %s into %s', (input, expected) => {
    expect(labelValue(input)).toBe(expected);
  });
});

describe('parseKonnectToken', () => {
  const TOKEN = 'kpat_ParseTestToken0123456789';

  it('reads a plain token or JSON {"token"}', () => {
    expect(parseKonnectToken(`${TOKEN}\n`)).toBe(TOKEN);
    expect(parseKonnectToken(JSON.stringify({ token: TOKEN }))).toBe(TOKEN);
  });

  it.each([
    ['', 'must hold the token'],
    ['{"token": ""}', 'must hold the token'],
    ['{"tok": "x"}', 'must hold the token'],
    ['{not json', 'not JSON'],
    [`${TOKEN} ${TOKEN}`, 'contains spaces'],
  ])('refuses %j without quoting it', (value, message) => {
    const error = (() => {
      try {
        parseKonnectToken(value);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a failure');
    })();
    expect(error).toBeInstanceOf(KonnectTokenError);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain(TOKEN);
  });
});
