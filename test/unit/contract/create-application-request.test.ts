import { describe, expect, it } from '@jest/globals';
import {
  type CreateApplicationRequest,
  createApplicationRequest,
  DEFAULT_CLIENT_NAME,
} from '../../../functions/contract/create-application-request';

const PORTAL_ID = 'f32d905a-ed33-46a3-a093-d8f536af9a8a';
const ORG_ID = '7c2b1a3e-59a1-4a3a-9f3c-2d1f0e9b8a77';
const DEVELOPER_ID = '5f9fef03-d6b7-4d9f-a8d5-0e1f2a3b4c5d';
const AUTH_STRATEGY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DCR_PROVIDER_ID = '11111111-2222-4333-8444-555555555555';
const ID_FIELDS = ['portal_id', 'organization_id', 'developer_id', 'auth_strategy_id', 'dcr_provider_id'];

/** What Konnect sends on application creation (captured shape, extra fields included). */
const konnectBody = () => ({
  client_name: 'Weather app',
  redirect_uris: ['https://app.example.com/callback'],
  grant_types: ['client_credentials', 'bearer'],
  scopes: ['read:weather', 'openid'],
  token_endpoint_auth_method: 'client_secret_post',
  application_description: 'Shows the weather',
  portal_id: PORTAL_ID,
  organization_id: ORG_ID,
  developer_id: DEVELOPER_ID,
  auth_strategy_id: AUTH_STRATEGY_ID,
  dcr_provider_id: DCR_PROVIDER_ID,
});

const parse = (body: unknown) => createApplicationRequest.safeParse(body);

function accepted(body: unknown): CreateApplicationRequest {
  const result = parse(body);
  if (!result.success) throw new Error(`expected success, got ${JSON.stringify(result.error.issues)}`);
  return result.data;
}

/** The distinct paths of the issues, so a refusal is pinned to the field that caused it. */
function refusedAt(body: unknown): string[] {
  const result = parse(body);
  if (result.success) throw new Error('expected the body to be refused');
  return [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}

const withField = (field: string, value: unknown) => ({ ...konnectBody(), [field]: value });
const minimal = (extra: Record<string, unknown> = {}) => ({ client_name: 'App', ...extra });

describe('createApplicationRequest', () => {
  describe('a full Konnect body', () => {
    it('is accepted and keeps every known field', () => {
      expect(accepted(konnectBody())).toEqual({
        client_name: 'Weather app',
        redirect_uris: ['https://app.example.com/callback'],
        grant_types: ['client_credentials', 'bearer'],
        scopes: ['read:weather', 'openid'],
        token_endpoint_auth_method: 'client_secret_post',
        application_description: 'Shows the weather',
        portal_id: PORTAL_ID,
        organization_id: ORG_ID,
        developer_id: DEVELOPER_ID,
        auth_strategy_id: AUTH_STRATEGY_ID,
        dcr_provider_id: DCR_PROVIDER_ID,
      });
    });

    it('accepts unknown extra fields and drops them from the output', () => {
      const parsed = accepted({ ...konnectBody(), labels: { team: 'a' }, future_field: 42 });
      expect(parsed).not.toHaveProperty('labels');
      expect(parsed).not.toHaveProperty('future_field');
      expect(parsed.client_name).toBe('Weather app');
    });

    it('keeps application_id, which Konnect may send too', () => {
      expect(accepted(withField('application_id', 'app-1')).application_id).toBe('app-1');
    });
  });

  describe('missing optional fields get defaults', () => {
    it('fills everything for a body with only client_name', () => {
      expect(accepted(minimal())).toEqual({
        client_name: 'App',
        redirect_uris: [],
        grant_types: [],
        scopes: [],
        application_description: '',
      });
    });

    it('accepts even an empty body, naming the client after Konnect', () => {
      expect(accepted({})).toEqual({
        client_name: DEFAULT_CLIENT_NAME,
        redirect_uris: [],
        grant_types: [],
        scopes: [],
        application_description: '',
      });
    });

    it.each(['redirect_uris', 'grant_types', 'scopes'])('takes %s: null as an empty list', (field) => {
      expect(accepted(minimal({ [field]: null }))[field as 'scopes']).toEqual([]);
    });
  });

  describe('client_name', () => {
    it.each([
      ['missing', undefined],
      ['null', null],
      ['empty', ''],
      ['only spaces', '    '],
      ['only control characters', '\u0000\u0007'],
    ])('is "Konnect application" when %s', (_label, value) => {
      expect(accepted(minimal({ client_name: value })).client_name).toBe(DEFAULT_CLIENT_NAME);
    });

    it.each([
      ['a newline', 'my\napp', 'my app'],
      ['a NUL', 'my\u0000app', 'my app'],
      ['an escape', 'my\u001bapp', 'my app'],
      ['a DEL', 'my\u007fapp', 'my app'],
      ['a tab', 'my\tapp', 'my app'],
    ])('replaces %s by a space', (_label, value, expected) => {
      expect(accepted(withField('client_name', value)).client_name).toBe(expected);
    });

    it('keeps 255 characters and cuts longer names to 255', () => {
      expect(accepted(withField('client_name', 'a'.repeat(255))).client_name).toHaveLength(255);
      expect(accepted(withField('client_name', 'b'.repeat(1_000_000))).client_name).toBe('b'.repeat(255));
    });

    it('does not cut a character in half', () => {
      const name = `${'a'.repeat(254)}😀`;
      expect(accepted(withField('client_name', name)).client_name).toBe('a'.repeat(254));
    });

    it('keeps unicode and trims', () => {
      expect(accepted(withField('client_name', ' Météo ☀ アプリ ')).client_name).toBe('Météo ☀ アプリ');
    });

    it.each([
      ['a number', 42],
      ['a list', ['App']],
      ['an object', { name: 'App' }],
    ])('refuses %s', (_label, value) => {
      expect(refusedAt(withField('client_name', value))).toEqual(['client_name']);
    });
  });

  describe('redirect_uris', () => {
    it('accepts the forms the contract allows (see redirect-uris.test.ts for every rule)', () => {
      const uris = ['https://app.example.com/cb', 'http://localhost:3000/cb', 'com.example.app:/callback'];
      expect(accepted(minimal({ redirect_uris: uris })).redirect_uris).toEqual(uris);
    });

    it('names the position of the bad URI among good ones', () => {
      expect(refusedAt(minimal({ redirect_uris: ['https://a.example.com/cb', 'https://*.example.com/cb'] }))).toEqual([
        'redirect_uris.1',
      ]);
    });

    it('accepts 20 URIs and refuses 21', () => {
      const uris = (count: number) => Array.from({ length: count }, (_, i) => `https://app.example.com/cb/${i}`);
      expect(accepted(minimal({ redirect_uris: uris(20) })).redirect_uris).toHaveLength(20);
      expect(refusedAt(minimal({ redirect_uris: uris(21) }))).toEqual(['redirect_uris']);
    });

    it.each([
      ['a string instead of a list', 'https://app.example.com/cb'],
      ['a number', 3],
    ])('refuses %s', (_label, value) => {
      expect(refusedAt(minimal({ redirect_uris: value }))).toEqual(['redirect_uris']);
    });
  });

  describe('Konnect ids', () => {
    it.each(ID_FIELDS)('%s accepts the Verify placeholder and any printable text', (field) => {
      expect(accepted(withField(field, `test ${field}`))[field as 'portal_id']).toBe(`test ${field}`);
      expect(accepted(withField(field, 'not-a-uuid'))[field as 'portal_id']).toBe('not-a-uuid');
      expect(accepted(withField(field, 'x'.repeat(255)))[field as 'portal_id']).toHaveLength(255);
    });

    it.each(ID_FIELDS)('%s is dropped, not refused, when it is no printable text of 1 to 255 characters', (field) => {
      for (const value of ['', 'x'.repeat(256), 'a\u0000b', 'line\nbreak', 12, null, ['a'], { id: 'a' }]) {
        expect(accepted(withField(field, value))[field as 'portal_id']).toBeUndefined();
      }
    });

    it.each(ID_FIELDS)('%s is optional', (field) => {
      const body: Record<string, unknown> = konnectBody();
      delete body[field];
      expect(accepted(body)).not.toHaveProperty(field);
    });
  });

  describe('grant_types', () => {
    it('accepts any strings: Konnect auth methods, known or not', () => {
      const all = [
        'client_credentials',
        'bearer',
        'session',
        'authorization_code',
        'refresh_token',
        'password',
        'introspection',
        'userinfo',
        'kong_oauth2',
        'something_new',
        '',
        'CLIENT_CREDENTIALS',
      ];
      expect(accepted(minimal({ grant_types: all })).grant_types).toEqual(all);
    });

    it('takes a single string as a one-element list', () => {
      expect(accepted(minimal({ grant_types: 'bearer' })).grant_types).toEqual(['bearer']);
    });

    it.each([
      ['a number in the list', ['bearer', 7], 'grant_types.1'],
      ['an entry over 200 characters', ['m'.repeat(201)], 'grant_types.0'],
      ['more than 50 entries', Array(51).fill('bearer'), 'grant_types'],
      ['an object', { bearer: true }, 'grant_types'],
    ])('refuses %s', (_label, value, path) => {
      expect(refusedAt(minimal({ grant_types: value }))).toEqual([path]);
    });
  });

  describe('scopes', () => {
    it('accepts RFC 6749 scope tokens', () => {
      const scopes = ['openid', 'read:weather', 'https://api.example.com/read', 'a!#$%&()*+,-./:;<=>?@[]^_`{|}~'];
      expect(accepted(minimal({ scopes })).scopes).toEqual(scopes);
    });

    it('takes a space-separated string as the list', () => {
      expect(accepted(minimal({ scopes: 'openid  read:weather ' })).scopes).toEqual(['openid', 'read:weather']);
      expect(accepted(minimal({ scopes: '' })).scopes).toEqual([]);
    });

    it.each([
      ['a space', 'read write'],
      ['a double quote', 'read"'],
      ['a backslash', 'read\\write'],
      ['a tab', 'read\twrite'],
      ['a non-ASCII letter', 'lecture:météo'],
      ['an empty string', ''],
      ['201 characters', 'a'.repeat(201)],
    ])('refuses a scope with %s', (_label, scope) => {
      expect(refusedAt(minimal({ scopes: ['openid', scope] }))).toEqual(['scopes.1']);
    });

    it('refuses a token with a bad character in the string form too', () => {
      expect(refusedAt(minimal({ scopes: 'openid read"' }))).toEqual(['scopes.1']);
    });

    it('accepts 50 scopes and refuses 51', () => {
      const scopes = (count: number) => Array.from({ length: count }, (_, i) => `scope${i}`);
      expect(accepted(minimal({ scopes: scopes(50) })).scopes).toHaveLength(50);
      expect(refusedAt(minimal({ scopes: scopes(51) }))).toEqual(['scopes']);
    });
  });

  describe('token_endpoint_auth_method', () => {
    it.each(['client_secret_basic', 'none', 'private_key_jwt', 'something_new', ''])(
      'accepts the free string %j (new-client.ts decides what is used)',
      (method) => {
        expect(accepted(minimal({ token_endpoint_auth_method: method })).token_endpoint_auth_method).toBe(method);
      },
    );

    it.each([
      ['a number', 3],
      ['over 200 characters', 'm'.repeat(201)],
    ])('refuses %s', (_label, value) => {
      expect(refusedAt(minimal({ token_endpoint_auth_method: value }))).toEqual(['token_endpoint_auth_method']);
    });
  });

  // Issue 9 finding 7: characters that can disguise a name in an IdP console are refused, naming the field.
  describe('invisible format and separator characters (Unicode Cf, Zl, Zp)', () => {
    const DISGUISING: Array<[string, string]> = [
      ['U+202E RIGHT-TO-LEFT OVERRIDE', '\u202E'],
      ['U+200B ZERO WIDTH SPACE', '\u200B'],
      ['U+2028 LINE SEPARATOR', '\u2028'],
      ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
      ['U+FEFF BYTE ORDER MARK', '\uFEFF'],
    ];

    it.each(DISGUISING)(
      'refuses %s in client_name and application_description, naming the field and the character',
      (label, character) => {
        const codePoint = label.split(' ')[0] as string;
        for (const field of ['client_name', 'application_description']) {
          const result = parse(withField(field, `pay${character}lacipe`));
          expect(result.success).toBe(false);
          expect(result.error?.issues.map((issue) => issue.path.join('.'))).toEqual([field]);
          expect(result.error?.issues[0]?.message).toContain(`found ${codePoint}`);
        }
      },
    );

    it('accepts the zero width joiner of an emoji sequence, and variation selectors', () => {
      const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
      expect(accepted(withField('client_name', `Family ${family} app`)).client_name).toBe(`Family ${family} app`);
      expect(accepted(withField('application_description', `Sunny \u2600\uFE0F`)).application_description).toBe(
        'Sunny \u2600\uFE0F',
      );
    });
  });

  describe('application_description', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
      ['blank', '  \n '],
    ])('becomes "" when %s', (_label, value) => {
      expect(accepted(minimal({ application_description: value })).application_description).toBe('');
    });

    it('keeps 1000 characters and cuts longer ones to 1000', () => {
      expect(accepted(minimal({ application_description: 'd'.repeat(1000) })).application_description).toHaveLength(
        1000,
      );
      expect(accepted(minimal({ application_description: 'd'.repeat(5000) })).application_description).toBe(
        'd'.repeat(1000),
      );
    });

    it('replaces control characters by spaces', () => {
      expect(accepted(minimal({ application_description: 'bell\u0007 and NUL\u0000' })).application_description).toBe(
        'bell  and NUL ',
      );
    });

    it('keeps line breaks and tabs, as Konnect descriptions come from a multi-line field', () => {
      const description = 'Line one\r\nLine two\n\tindented';
      expect(accepted(minimal({ application_description: description })).application_description).toBe(description);
    });

    it('refuses a value that is not text', () => {
      expect(refusedAt(minimal({ application_description: 42 }))).toEqual(['application_description']);
    });
  });

  it('reports every bad field of a body at once', () => {
    const paths = refusedAt({
      client_name: 1,
      redirect_uris: ['http://example.com/cb'],
      grant_types: [false],
      token_endpoint_auth_method: 5,
    });
    expect(paths).toEqual(
      expect.arrayContaining(['client_name', 'redirect_uris.0', 'grant_types.0', 'token_endpoint_auth_method']),
    );
  });
});
