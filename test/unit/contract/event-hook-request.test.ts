import { describe, expect, it } from '@jest/globals';
import {
  eventHookEnvelope,
  registrationEvent,
  updateApplicationEvent,
} from '../../../functions/contract/event-hook-request';

const APPLICATION_ID = '3b0d4f4e-8d1c-4f3a-9a57-0c1d2e3f4a5b';
const PORTAL_ID = 'f32d905a-ed33-46a3-a093-d8f536af9a8a';

const envelope = (extra: Record<string, unknown> = {}) => ({
  event_type: 'update_application',
  client_id: 'client-1',
  application_id: APPLICATION_ID,
  application_name: 'Weather app',
  portal_id: PORTAL_ID,
  ...extra,
});

const issuePaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) => [
  ...new Set(result.error?.issues.map((issue) => issue.path.join('.')) ?? []),
];

describe('eventHookEnvelope', () => {
  it('accepts any event type and drops unknown fields', () => {
    const result = eventHookEnvelope.safeParse(envelope({ event_type: 'something_new', surprise: 1 }));
    expect(result.success).toBe(true);
    expect(result.data).toEqual({
      event_type: 'something_new',
      client_id: 'client-1',
      application_id: APPLICATION_ID,
      application_name: 'Weather app',
      portal_id: PORTAL_ID,
    });
  });

  it('needs only event_type and client_id', () => {
    expect(eventHookEnvelope.safeParse({ event_type: 'x', client_id: 'c' }).success).toBe(true);
  });

  it.each([
    ['event_type missing', { client_id: 'c' }, 'event_type'],
    ['event_type empty', { event_type: '', client_id: 'c' }, 'event_type'],
    ['event_type over 100 characters', { event_type: 'e'.repeat(101), client_id: 'c' }, 'event_type'],
    ['client_id missing', { event_type: 'x' }, 'client_id'],
    ['client_id empty', { event_type: 'x', client_id: '' }, 'client_id'],
    ['client_id over 255 characters', { event_type: 'x', client_id: 'c'.repeat(256) }, 'client_id'],
    ['application_name not text', { event_type: 'x', client_id: 'c', application_name: 7 }, 'application_name'],
    [
      'application_description not text',
      { event_type: 'x', client_id: 'c', application_description: ['a'] },
      'application_description',
    ],
  ])('refuses %s', (_label, body, field) => {
    expect(issuePaths(eventHookEnvelope.safeParse(body))).toEqual([field]);
  });

  it('keeps every envelope field Konnect sends, ids as any printable text', () => {
    const body = {
      event_type: 'x',
      client_id: 'c',
      application_id: 'app-1',
      application_name: 'Weather app',
      application_description: 'Line one\nLine two',
      portal_id: 'test portal_id',
      organization_id: 'org 1',
      developer_id: 'dev-1',
      auth_strategy_id: 'as-1',
      dcr_provider_id: 'dcr-1',
    };
    expect(eventHookEnvelope.parse(body)).toEqual(body);
  });

  it('drops ids that are no printable text of 1 to 255 characters instead of refusing the event', () => {
    const parsed = eventHookEnvelope.parse({
      event_type: 'x',
      client_id: 'c',
      application_id: 12,
      portal_id: '',
      developer_id: 'a\u0000b',
      dcr_provider_id: 'd'.repeat(256),
    });
    expect(parsed).toEqual({ event_type: 'x', client_id: 'c' });
  });

  it('cleans display text instead of refusing it', () => {
    const parsed = eventHookEnvelope.parse({
      event_type: 'x',
      client_id: 'c',
      application_name: `a\u0000${'n'.repeat(300)}`,
      application_description: `tab\there\u0007${'d'.repeat(1100)}`,
    });
    expect(parsed.application_name).toBe(`a ${'n'.repeat(253)}`);
    expect(parsed.application_description).toHaveLength(1000);
    expect(parsed.application_description?.startsWith('tab\there ')).toBe(true);
  });
});

describe('display text in event hooks (issue 9 finding 7)', () => {
  it.each([
    ['application_name', '\u202E'],
    ['application_name', '\u2028'],
    ['application_description', '\u200B'],
    ['application_description', '\u2029'],
  ])('refuses %s with an invisible format or separator character, naming the field', (field, character) => {
    const result = eventHookEnvelope.safeParse(envelope({ [field]: `Weather${character} app` }));

    expect(result.success).toBe(false);
    expect(issuePaths(result)).toEqual([field]);
  });

  it('accepts an emoji sequence joined by U+200D in application_name', () => {
    const name = 'Team \u{1F469}\u200D\u{1F4BB}';
    expect(eventHookEnvelope.parse(envelope({ application_name: name })).application_name).toBe(name);
  });
});

describe('updateApplicationEvent', () => {
  it('accepts redirect URIs under the same rules as create', () => {
    const result = updateApplicationEvent.safeParse(
      envelope({ redirect_uris: ['https://app.example.com/cb', 'http://localhost:3000/cb'] }),
    );
    expect(result.success).toBe(true);
    expect(result.data?.redirect_uris).toEqual(['https://app.example.com/cb', 'http://localhost:3000/cb']);
  });

  it('accepts an empty list (all redirect URIs removed)', () => {
    expect(updateApplicationEvent.safeParse(envelope({ redirect_uris: [] })).data?.redirect_uris).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
  ])('leaves redirect_uris undefined when %s (the route acknowledges without action)', (_label, value) => {
    const result = updateApplicationEvent.safeParse(envelope({ redirect_uris: value }));
    expect(result.success).toBe(true);
    expect(result.data?.redirect_uris ?? undefined).toBeUndefined();
  });

  it('accepts a private-use scheme of a native app', () => {
    expect(updateApplicationEvent.parse(envelope({ redirect_uris: ['com.example.app:/cb'] })).redirect_uris).toEqual([
      'com.example.app:/cb',
    ]);
  });

  it('refuses redirect URIs under the create rules, naming each index', () => {
    expect(
      issuePaths(
        updateApplicationEvent.safeParse(
          envelope({
            redirect_uris: [
              'http://app.example.com/cb',
              'https://app.example.com/cb#x',
              'https://*.example.com/cb',
              'https://example.com',
            ],
          }),
        ),
      ),
    ).toEqual(['redirect_uris.0', 'redirect_uris.1', 'redirect_uris.2', 'redirect_uris.3']);
  });

  it('refuses another event type', () => {
    expect(issuePaths(updateApplicationEvent.safeParse(envelope({ event_type: 'add_registration' })))).toContain(
      'event_type',
    );
  });
});

describe('registrationEvent', () => {
  const registration = (extra: Record<string, unknown> = {}) =>
    envelope({ event_type: 'add_registration', api_product_version_id: 'apv-1', ...extra });

  it.each(['add_registration', 'remove_registration'])('accepts %s', (eventType) => {
    const result = registrationEvent.safeParse(registration({ event_type: eventType, audience: 'https://api' }));
    expect(result.success).toBe(true);
    expect(result.data).toMatchObject({
      event_type: eventType,
      api_product_version_id: 'apv-1',
      audience: 'https://api',
    });
  });

  it('makes audience optional', () => {
    const result = registrationEvent.safeParse(registration());
    expect(result.success).toBe(true);
    expect(result.data?.audience).toBeUndefined();
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['empty', ''],
  ])('leaves api_product_version_id undefined when %s (the route acknowledges without action)', (_label, value) => {
    const result = registrationEvent.safeParse(registration({ api_product_version_id: value }));
    expect(result.success).toBe(true);
    expect(result.data?.api_product_version_id).toBeUndefined();
  });

  it.each([
    [
      'api_product_version_id over 255 characters',
      { api_product_version_id: 'v'.repeat(256) },
      'api_product_version_id',
    ],
    ['api_product_version_id not text', { api_product_version_id: 7 }, 'api_product_version_id'],
    ['audience over 2000 characters', { audience: 'a'.repeat(2001) }, 'audience'],
    ['update_application as event type', { event_type: 'update_application' }, 'event_type'],
  ])('refuses %s', (_label, extra, field) => {
    expect(issuePaths(registrationEvent.safeParse(registration(extra)))).toEqual([field]);
  });
});
