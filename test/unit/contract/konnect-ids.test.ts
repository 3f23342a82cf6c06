import { describe, expect, it } from '@jest/globals';
import {
  droppedKonnectIds,
  isKonnectId,
  KONNECT_ID_FIELDS,
  konnectIdLogKeys,
} from '../../../functions/contract/konnect-ids';
import { isKonnectVerification } from '../../../functions/contract/konnect-verification';

describe('isKonnectId', () => {
  it.each([
    ['a UUID', 'f32d905a-ed33-46a3-a093-d8f536af9a8a'],
    ["Verify's placeholder", 'test portal_id'],
    ['one character', 'x'],
    ['255 characters', 'x'.repeat(255)],
    ['unicode', 'portail-é-日'],
  ])('accepts %s', (_label, value) => {
    expect(isKonnectId(value)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'x'.repeat(256)],
    ['a NUL', 'a\u0000'],
    ['a newline', 'a\nb'],
    ['a DEL', 'a\u007f'],
    ['a number', 12],
    ['null', null],
    ['a list', ['a']],
  ])('refuses %s', (_label, value) => {
    expect(isKonnectId(value)).toBe(false);
  });
});

describe('droppedKonnectIds', () => {
  it('names the ids present but not printable text, and nothing else', () => {
    expect(
      droppedKonnectIds({
        portal_id: 'test portal_id',
        organization_id: 12,
        developer_id: '',
        auth_strategy_id: null,
        application_id: 'a\nb',
        client_name: 42,
      }),
    ).toEqual(['organization_id', 'developer_id', 'application_id']);
  });

  it.each([null, 'text', 3, []])('finds none in a body that is no object (%j)', (body) => {
    expect(droppedKonnectIds(body)).toEqual([]);
  });
});

describe('konnectIdLogKeys', () => {
  it('keeps the ids under their own names and nothing else', () => {
    expect(konnectIdLogKeys({ portal_id: 'p', dcr_provider_id: 'd', client_name: 'n' } as never)).toEqual({
      portal_id: 'p',
      dcr_provider_id: 'd',
    });
  });
});

describe('isKonnectVerification', () => {
  it.each(KONNECT_ID_FIELDS)('is true when %s is its "test <field>" placeholder', (field) => {
    expect(isKonnectVerification({ [field]: `test ${field}` })).toBe(true);
  });

  it('is true for the create Konnect sends when an admin clicks Verify', () => {
    expect(
      isKonnectVerification({
        portal_id: 'test portal_id',
        organization_id: 'test organization_id',
        developer_id: 'test developer_id',
      }),
    ).toBe(true);
  });

  it.each([
    ['real UUIDs', { portal_id: 'f32d905a-ed33-46a3-a093-d8f536af9a8a' }],
    ['no ids at all', {}],
    ["another field's placeholder", { portal_id: 'test developer_id' }],
    ['a placeholder in another case', { portal_id: 'Test portal_id' }],
    ['a placeholder with more text', { portal_id: 'test portal_id 2' }],
  ])('is false for %s', (_label, ids) => {
    expect(isKonnectVerification(ids)).toBe(false);
  });
});
