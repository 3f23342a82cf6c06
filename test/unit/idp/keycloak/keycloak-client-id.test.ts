import { describe, expect, it } from '@jest/globals';
import { parseClientId } from '../../../../functions/contract/client-id';
import { CLIENT_ID_PREFIX_PATTERN, generateClientId } from '../../../../functions/idp/keycloak/keycloak-client-id';

describe('generateClientId', () => {
  it('is the prefix, a slug of the name and a random suffix', () => {
    expect(generateClientId('konnect-', 'Payments App (v2)')).toMatch(/^konnect-payments-app-v2-[a-z0-9]{10}$/);
  });

  it.each([
    ['accents folded', 'Café Résumé', /^p-cafe-resume-[a-z0-9]{10}$/],
    ['nothing usable', '日本語 !!!', /^p-app-[a-z0-9]{10}$/],
    ['long names cut without a trailing dash', `${'a'.repeat(39)} bcd`, /^p-a{39}-[a-z0-9]{10}$/],
  ])('makes a readable slug: %s', (_label, name, pattern) => {
    expect(generateClientId('p-', name)).toMatch(pattern);
  });

  it('makes ids Konnect can send back in a path', () => {
    for (const name of ['x', 'A/B?C#D', '../..', 'ü'.repeat(300)]) {
      const clientId = generateClientId('konnect-', name);
      expect(parseClientId(clientId)).toBe(clientId);
    }
  });

  it('does not repeat itself', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => generateClientId('', 'app')));
    expect(ids.size).toBe(2000);
  });
});

describe('CLIENT_ID_PREFIX_PATTERN', () => {
  it('accepts path-safe prefixes, the empty one included, and refuses the rest', () => {
    for (const prefix of ['', 'konnect-', 'dev.portal_1~']) expect(CLIENT_ID_PREFIX_PATTERN.test(prefix)).toBe(true);
    for (const prefix of ['a/b', 'a b', 'x'.repeat(65), 'é']) expect(CLIENT_ID_PREFIX_PATTERN.test(prefix)).toBe(false);
  });
});
