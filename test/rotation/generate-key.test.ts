import { describe, expect, it } from '@jest/globals';
import { generateKonnectKey } from '../../bin/rotation/generate-key';
import { KONNECT_KEY_PATTERN } from '../../functions/auth/konnect-key-source';

describe('generateKonnectKey', () => {
  it('makes 48 characters of A-Za-z0-9, which Konnect and the bridge both accept', () => {
    const key = generateKonnectKey();

    expect(key).toMatch(/^[A-Za-z0-9]{48}$/);
    expect(KONNECT_KEY_PATTERN.test(key)).toBe(true);
  });

  it('makes a different key every time, drawing on the whole alphabet', () => {
    const keys = Array.from({ length: 200 }, () => generateKonnectKey());

    expect(new Set(keys).size).toBe(200);
    // 9,600 draws from 62 characters: every character shows up (a miss has odds far below 1e-60).
    expect(new Set(keys.join('')).size).toBe(62);
  });
});
