import { describe, expect, it } from '@jest/globals';
import {
  type CreateApplicationRequest,
  createApplicationRequest,
} from '../../../functions/contract/create-application-request';

const PORTAL_ID = 'f32d905a-ed33-46a3-a093-d8f536af9a8a';
const ORG_ID = '7c2b1a3e-59a1-4a3a-9f3c-2d1f0e9b8a77';
const DEVELOPER_ID = '5f9fef03-d6b7-4d9f-a8d5-0e1f2a3b4c5d';
const AUTH_STRATEGY_ID = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const DCR_PROVIDER_ID = '11111111-2222-4333-8444-555555555555';

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
      const parsed = accepted({
        ...konnectBody(),
        labels: { team: 'a' },
        future_field: 42,
        application_id: 'not even a uuid',
      });
      expect(parsed).not.toHaveProperty('labels');
      expect(parsed).not.toHaveProperty('future_field');
      expect(parsed).not.toHaveProperty('application_id');
      expect(parsed.client_name).toBe('Weather app');
    });

    it('fills defaults for a body with only client_name', () => {
      expect(accepted(minimal())).toEqual({
        client_name: 'App',
        redirect_uris: [],
        grant_types: [],
        scopes: [],
        token_endpoint_auth_method: 'client_secret_basic',
        application_description: '',
      });
    });
  });

  describe('client_name', () => {
    it('is required', () => {
      expect(refusedAt({ redirect_uris: [] })).toContain('client_name');
    });

    it.each([
      ['empty', ''],
      ['only spaces', '    '],
      ['256 characters', 'a'.repeat(256)],
      ['a newline', 'my\napp'],
      ['a NUL', 'my\u0000app'],
      ['an escape', 'my\u001bapp'],
      ['a DEL', 'my\u007fapp'],
      ['not a string', 42],
    ])('refuses %s', (_label, value) => {
      expect(refusedAt(withField('client_name', value))).toEqual(['client_name']);
    });

    it('accepts 255 characters and unicode', () => {
      expect(accepted(withField('client_name', 'a'.repeat(255))).client_name).toHaveLength(255);
      expect(accepted(withField('client_name', 'Météo ☀ アプリ')).client_name).toBe('Météo ☀ アプリ');
    });

    it('is trimmed', () => {
      expect(accepted(withField('client_name', '  Weather  ')).client_name).toBe('Weather');
    });
  });

  describe('redirect_uris', () => {
    it.each([
      'https://app.example.com/callback',
      'https://app.example.com:8443/cb?x=1',
      'http://127.0.0.1/callback',
      'http://127.0.0.1:8080/callback',
      'http://[::1]/callback',
      'http://[::1]:9000/cb',
      'http://localhost/callback',
      'http://localhost:3000/cb',
    ])('accepts %s', (uri) => {
      expect(accepted(minimal({ redirect_uris: [uri] })).redirect_uris).toEqual([uri]);
    });

    it.each([
      ['http on a public host', 'http://app.example.com/callback'],
      ['http on a host that starts with localhost', 'http://localhost.evil.example/cb'],
      ['http on a private address', 'http://10.0.0.1/cb'],
      ['a fragment', 'https://app.example.com/cb#section'],
      ['an empty fragment', 'https://app.example.com/cb#'],
      ['a relative path', '/callback'],
      ['a scheme-relative URI', '//app.example.com/cb'],
      ['a bare word', 'callback'],
      ['a custom scheme', 'myapp://callback'],
      ['javascript:', 'javascript:alert(1)'],
      ['an empty string', ''],
    ])('refuses %s', (_label, uri) => {
      expect(refusedAt(minimal({ redirect_uris: [uri] }))).toEqual(['redirect_uris.0']);
    });

    it('accepts a URI of exactly 2000 characters and refuses 2001', () => {
      const prefix = 'https://app.example.com/';
      const exactly2000 = prefix + 'a'.repeat(2000 - prefix.length);
      expect(exactly2000).toHaveLength(2000);
      expect(accepted(minimal({ redirect_uris: [exactly2000] })).redirect_uris).toEqual([exactly2000]);
      expect(refusedAt(minimal({ redirect_uris: [`${exactly2000}a`] }))).toEqual(['redirect_uris.0']);
    });

    it('accepts 20 URIs and refuses 21', () => {
      const uris = (count: number) => Array.from({ length: count }, (_, i) => `https://app.example.com/cb/${i}`);
      expect(accepted(minimal({ redirect_uris: uris(20) })).redirect_uris).toHaveLength(20);
      expect(refusedAt(minimal({ redirect_uris: uris(21) }))).toEqual(['redirect_uris']);
    });

    it('names the position of the bad URI among good ones', () => {
      expect(refusedAt(minimal({ redirect_uris: ['https://a.example.com/cb', 'http://b.example.com/cb'] }))).toEqual([
        'redirect_uris.1',
      ]);
    });

    it('refuses a string instead of a list', () => {
      expect(refusedAt(minimal({ redirect_uris: 'https://app.example.com/cb' }))).toEqual(['redirect_uris']);
    });
  });

  describe('Konnect ids', () => {
    it.each(['portal_id', 'organization_id', 'developer_id', 'auth_strategy_id', 'dcr_provider_id'])(
      '%s is validated as a UUID when present',
      (field) => {
        expect(refusedAt(withField(field, 'not-a-uuid'))).toEqual([field]);
        expect(refusedAt(withField(field, ''))).toEqual([field]);
        expect(refusedAt(withField(field, 12))).toEqual([field]);
      },
    );

    it.each(['portal_id', 'organization_id', 'developer_id', 'auth_strategy_id', 'dcr_provider_id'])(
      '%s is optional',
      (field) => {
        const body: Record<string, unknown> = konnectBody();
        delete body[field];
        expect(accepted(body)).not.toHaveProperty(field);
      },
    );
  });

  describe('grant_types', () => {
    it('accepts every Konnect auth method', () => {
      const all = ['client_credentials', 'bearer', 'session', 'authorization_code', 'refresh_token', 'implicit'];
      expect(accepted(minimal({ grant_types: all })).grant_types).toEqual(all);
    });

    it.each(['password', 'urn:ietf:params:oauth:grant-type:device_code', '', 'CLIENT_CREDENTIALS'])(
      'refuses the unknown value %j',
      (value) => {
        expect(refusedAt(minimal({ grant_types: ['client_credentials', value] }))).toEqual(['grant_types.1']);
      },
    );

    it('refuses more than 10 entries', () => {
      expect(refusedAt(minimal({ grant_types: Array(11).fill('bearer') }))).toEqual(['grant_types']);
    });
  });

  describe('scopes', () => {
    it('accepts RFC 6749 scope tokens', () => {
      const scopes = ['openid', 'read:weather', 'https://api.example.com/read', 'a!#$%&()*+,-./:;<=>?@[]^_`{|}~'];
      expect(accepted(minimal({ scopes })).scopes).toEqual(scopes);
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

    it('accepts 50 scopes and refuses 51', () => {
      const scopes = (count: number) => Array.from({ length: count }, (_, i) => `scope${i}`);
      expect(accepted(minimal({ scopes: scopes(50) })).scopes).toHaveLength(50);
      expect(refusedAt(minimal({ scopes: scopes(51) }))).toEqual(['scopes']);
    });
  });

  describe('token_endpoint_auth_method', () => {
    it.each([
      ['absent', undefined],
      ['empty', ''],
      ['null', null],
    ])('defaults to client_secret_basic when %s', (_label, value) => {
      expect(accepted(minimal({ token_endpoint_auth_method: value })).token_endpoint_auth_method).toBe(
        'client_secret_basic',
      );
    });

    it.each(['client_secret_basic', 'client_secret_post', 'client_secret_jwt'])('accepts %s', (method) => {
      expect(accepted(minimal({ token_endpoint_auth_method: method })).token_endpoint_auth_method).toBe(method);
    });

    it.each(['none', 'private_key_jwt', 'tls_client_auth', 'basic'])('refuses %s', (method) => {
      expect(refusedAt(minimal({ token_endpoint_auth_method: method }))).toEqual(['token_endpoint_auth_method']);
    });
  });

  describe('application_description', () => {
    it.each([
      ['absent', undefined],
      ['null', null],
      ['empty', ''],
    ])('becomes "" when %s', (_label, value) => {
      expect(accepted(minimal({ application_description: value })).application_description).toBe('');
    });

    it('accepts 1000 characters and refuses 1001', () => {
      expect(accepted(minimal({ application_description: 'd'.repeat(1000) })).application_description).toHaveLength(
        1000,
      );
      expect(refusedAt(minimal({ application_description: 'd'.repeat(1001) }))).toEqual(['application_description']);
    });

    it('refuses control characters', () => {
      expect(refusedAt(minimal({ application_description: 'bell\u0007' }))).toEqual(['application_description']);
    });

    it('keeps line breaks and tabs, as Konnect descriptions come from a multi-line field', () => {
      const description = 'Line one\r\nLine two\n\tindented';
      expect(accepted(minimal({ application_description: description })).application_description).toBe(description);
    });
  });

  it('reports every bad field of a body at once', () => {
    const paths = refusedAt({
      client_name: '',
      redirect_uris: ['http://example.com/cb'],
      grant_types: ['password'],
      token_endpoint_auth_method: 'none',
    });
    expect(paths).toEqual(
      expect.arrayContaining(['client_name', 'redirect_uris.0', 'grant_types.0', 'token_endpoint_auth_method']),
    );
  });
});
