import { describe, expect, it } from '@jest/globals';
import { rememberSecret } from '../../../functions/commons/known-secrets';
import { idpErrorFromResponse, oauthErrorOf, sanitizeIdpText } from '../../../functions/idp/idp-error';

describe('sanitizeIdpText', () => {
  it('keeps plain explanations', () => {
    expect(sanitizeIdpText('redirect_uris must use https')).toBe('redirect_uris must use https');
  });

  it.each([
    ['an https URL', 'see https://idp.internal.example.com:8443/admin?token=abc for details'],
    ['an http URL', 'backend http://10.1.2.3/register failed'],
    ['a JDBC-like URL', 'cannot open jdbc:postgresql://db.internal:5432/idp'],
    ['an upper-case scheme', 'HTTPS://IDP.EXAMPLE.COM/x'],
  ])('replaces %s with <url>', (_label, text) => {
    const clean = sanitizeIdpText(text);
    expect(clean).toContain('<url>');
    expect(clean).not.toMatch(/idp\.internal|10\.1\.2\.3|db\.internal|IDP\.EXAMPLE/);
    expect(clean).not.toContain('token=abc');
  });

  it('replaces IPv4 addresses, with and without port, with <address>', () => {
    const clean = sanitizeIdpText('connect to 10.0.12.7:5432 failed; fallback 192.168.1.1 too');
    expect(clean).toBe('connect to <address> failed; fallback <address> too');
  });

  it('replaces control characters with spaces', () => {
    expect(sanitizeIdpText('line one\nline two\r\u0000\u001b[31m')).toBe('line one line two   [31m');
  });

  it('truncates to 300 characters', () => {
    expect(sanitizeIdpText('e'.repeat(1000))).toHaveLength(300);
    expect(sanitizeIdpText('e'.repeat(300))).toHaveLength(300);
  });

  it('strips before truncating, so a URL cut at the limit cannot leak', () => {
    const text = `${'a'.repeat(290)} https://secret-host.example.com/path`;
    expect(sanitizeIdpText(text)).not.toContain('secret-host');
  });

  // Issue 9 finding 5: an IdP echoing the token or secret it was given passed it on to Konnect.
  it('masks every credential value the bridge knows, and credential-shaped text', () => {
    rememberSecret('IAT_51c0ffee2d9b');

    expect(sanitizeIdpText('token IAT_51c0ffee2d9b expired; sent Bearer abcdefgh12345')).toBe(
      'token [redacted] expired; sent Bearer [redacted]',
    );
  });

  it('masks before truncating, so a known secret cut at the limit cannot leak half', () => {
    rememberSecret('half-cut-secret-0123456789');

    const clean = sanitizeIdpText(`${'a'.repeat(285)} half-cut-secret-0123456789`);

    expect(clean).not.toContain('half-cut');
  });
});

describe('oauthErrorOf', () => {
  it('reads error and error_description, sanitized', () => {
    expect(oauthErrorOf({ error: 'invalid_redirect_uri', error_description: 'bad https://x.example/cb' })).toEqual({
      code: 'invalid_redirect_uri',
      description: 'bad <url>',
    });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'error'],
    ['non-string fields', { error: 42, error_description: ['x'] }],
  ])('returns nothing for %s', (_label, body) => {
    expect(oauthErrorOf(body)).toEqual({ code: undefined, description: undefined });
  });
});

describe('idpErrorFromResponse', () => {
  it.each(['invalid_redirect_uri', 'invalid_client_metadata', 'invalid_software_statement'])(
    "passes a 400 %s on as 400 with that code when the request carried the developer's input",
    (code) => {
      const error = idpErrorFromResponse(
        'generic',
        'the client registration',
        400,
        { error: code, error_description: 'redirect_uris[0] is not allowed' },
        { developerInput: true },
      );
      expect(error.statusCode).toBe(400);
      expect(error.error).toBe(code);
      expect(error.description).toBe(
        `The identity provider (generic) answered 400 (${code}: redirect_uris[0] is not allowed) to the client registration.`,
      );
    },
  );

  it.each([
    ['by default', undefined],
    ['for what the bridge built', { developerInput: false }],
  ])('answers 502 naming status and code when the IdP refuses metadata %s', (_label, options) => {
    const error = idpErrorFromResponse(
      'generic',
      'updating the client',
      400,
      { error: 'invalid_client_metadata', error_description: 'token_endpoint_auth_method must be a string' },
      options,
    );
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain(
      'answered 400 (invalid_client_metadata: token_endpoint_auth_method must be a string) to updating the client',
    );
    expect(error.description).toContain("not the developer's input");
  });

  it('treats a 400 with another code as the IdP failing (502)', () => {
    const error = idpErrorFromResponse('generic', 'the client registration', 400, { error: 'invalid_request' });
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain('400 (invalid_request)');
  });

  it('treats a 400 without a body as 502', () => {
    const error = idpErrorFromResponse('generic', 'the client registration', 400, undefined);
    expect(error.statusCode).toBe(502);
    expect(error.description).toBe('The identity provider (generic) answered 400 to the client registration.');
  });

  it.each([401, 403])('maps %i to 502 mentioning the bridge credentials', (status) => {
    const error = idpErrorFromResponse('generic', 'the client registration', status, { error: 'invalid_token' });
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain(`answered ${status}`);
    expect(error.description).toContain('credentials');
  });

  it.each(['invalid_client', 'unauthorized_client'])(
    'maps a token endpoint 400 %s to 502 mentioning the bridge credentials',
    (code) => {
      const error = idpErrorFromResponse('curity', "the bridge's management token request", 400, { error: code });
      expect(error.statusCode).toBe(502);
      expect(error.description).toContain(code);
      expect(error.description).toContain('credentials');
    },
  );

  it('maps 429 to 503 asking to retry later', () => {
    const error = idpErrorFromResponse('generic', 'the client registration', 429, undefined);
    expect(error.statusCode).toBe(503);
    expect(error.error).toBe('service_unavailable');
    expect(error.description).toContain('rate-limiting');
  });

  it.each([500, 502, 503, 302])('maps %i to 502 with the status in the description', (status) => {
    const error = idpErrorFromResponse('generic', 'reading the client', status, undefined);
    expect(error.statusCode).toBe(502);
    expect(error.error).toBe('idp_error');
    expect(error.description).toContain(String(status));
    expect(error.description).toContain('reading the client');
  });

  it('never passes internal URLs or addresses from the IdP body on', () => {
    const error = idpErrorFromResponse('generic', 'the client registration', 500, {
      error: 'server_error',
      error_description: 'upstream http://10.0.0.5:8080/db timed out; retried 172.16.0.9',
    });
    expect(error.description).not.toContain('10.0.0.5');
    expect(error.description).not.toContain('172.16.0.9');
    expect(error.description).toContain('<url>');
    expect(error.description).toContain('<address>');
  });

  it('keeps a sanitized code so a 400 with a URL in its code is not a client-metadata error', () => {
    const error = idpErrorFromResponse(
      'generic',
      'the client registration',
      400,
      { error: 'https://evil.example/invalid_redirect_uri' },
      { developerInput: true },
    );
    expect(error.statusCode).toBe(502);
    expect(error.description).not.toContain('evil.example');
  });
});
