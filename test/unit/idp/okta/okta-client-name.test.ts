import { describe, expect, it } from '@jest/globals';
import {
  isBridgeClientName,
  MAX_CLIENT_NAME_LENGTH,
  uniqueClientName,
} from '../../../../functions/idp/okta/okta-client-name';

const ids = {
  portalId: 'B4B3A9B0-6C8E-4A4A-9D8E-1F1F1F1F1F1F',
  organizationId: 'c4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  developerId: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  authStrategyId: 'e4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
  dcrProviderId: 'f4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f',
};

describe('uniqueClientName', () => {
  it('keeps the application name readable and starts the suffix with the developer id', () => {
    expect(uniqueClientName('Weather', ids)).toMatch(/^Weather \(d4b3a9b0-[0-9a-f]{6}\)$/);
  });

  it('is deterministic, so a repeated create collides instead of creating twice', () => {
    expect(uniqueClientName('Weather', ids)).toBe(uniqueClientName('Weather', { ...ids }));
  });

  it.each([
    ['developer', { developerId: 'a1b2c3d4-6c8e-4a4a-9d8e-1f1f1f1f1f1f' }],
    ['portal', { portalId: 'a1b2c3d4-6c8e-4a4a-9d8e-1f1f1f1f1f1f' }],
    ['auth strategy', { authStrategyId: 'a1b2c3d4-6c8e-4a4a-9d8e-1f1f1f1f1f1f' }],
    ['DCR provider', { dcrProviderId: 'a1b2c3d4-6c8e-4a4a-9d8e-1f1f1f1f1f1f' }],
  ])('differs for another %s with the same application name', (_label, change) => {
    expect(uniqueClientName('Weather', { ...ids, ...change })).not.toBe(uniqueClientName('Weather', ids));
  });

  it('uses the portal id when Konnect sends no developer id, lower-cased', () => {
    const { developerId: _developer, ...withoutDeveloper } = ids;
    expect(uniqueClientName('Weather', withoutDeveloper)).toMatch(/^Weather \(b4b3a9b0-[0-9a-f]{6}\)$/);
  });

  it('still produces a bridge name when Konnect sends no ids at all', () => {
    expect(isBridgeClientName(uniqueClientName('Weather', {}))).toBe(true);
  });

  it('shortens long names to the limit, and long names differing only at the end stay distinct', () => {
    const long = 'A'.repeat(200);
    const name = uniqueClientName(`${long}1`, ids);
    expect(name).toHaveLength(MAX_CLIENT_NAME_LENGTH);
    expect(name).toContain('…');
    expect(isBridgeClientName(name)).toBe(true);
    expect(name).not.toBe(uniqueClientName(`${long}2`, ids));
  });

  it('stays within the limit in UTF-16 units, as Okta counts, without splitting a character', () => {
    const name = uniqueClientName('🌦'.repeat(150), ids);
    expect(name.length).toBeLessThanOrEqual(MAX_CLIENT_NAME_LENGTH);
    expect(name.length).toBeGreaterThanOrEqual(MAX_CLIENT_NAME_LENGTH - 1);
    expect(name).toMatch(/^(?:🌦)+… \(d4b3a9b0-[0-9a-f]{6}\)$/u);
  });
});

describe('isBridgeClientName', () => {
  it.each([
    ['Payroll (production)', false],
    ['Weather', false],
    ['Weather (d4b3a9b0-abc12)', false],
    ['Weather (D4B3A9B0-ABC123)', false],
    [null, false],
    [undefined, false],
    ['Weather (d4b3a9b0-abc123)', true],
  ])('%s → %s', (name, expected) => {
    expect(isBridgeClientName(name)).toBe(expected);
  });
});
