import { describe, expect, it } from '@jest/globals';
import { redirectUriProblem, redirectUrisField } from '../../../functions/contract/redirect-uris';

describe('redirectUriProblem', () => {
  it.each([
    'https://app.example.com/callback',
    'https://app.example.com:8443/cb?x=1',
    'https://app.example.com/',
    'https://xn--bcher-kva.example/cb',
    'http://127.0.0.1/callback',
    'http://127.0.0.1:8080/callback',
    'http://[::1]/callback',
    'http://[::1]:9000/cb',
    'http://localhost/callback',
    'http://localhost:3000/cb',
    // RFC 8252 §7.1: private-use schemes of native apps, in reverse domain form.
    'com.example.app:/callback',
    'com.example.app:/oauth2/redirect?x=1',
    'com.example.app://callback',
    'io.konghq.portal:/cb',
  ])('accepts %s', (uri) => {
    expect(redirectUriProblem(uri)).toBeUndefined();
  });

  it.each([
    ['a wildcard host', 'https://*.example.com/cb', 'wildcard'],
    ['a wildcard path', 'https://app.example.com/*', 'wildcard'],
    ['userinfo', 'https://user@app.example.com/cb', 'userinfo'],
    ['userinfo with a password', 'https://user:pass@app.example.com/cb', 'userinfo'],
    ['a space', 'https://app.example.com/my cb', 'whitespace'],
    ['a leading space', ' https://app.example.com/cb', 'whitespace'],
    ['a trailing newline', 'https://app.example.com/cb\n', 'whitespace'],
    ['a tab', 'https://app.example.com/\tcb', 'whitespace'],
    ['a fragment', 'https://app.example.com/cb#section', 'fragment'],
    ['an empty fragment', 'https://app.example.com/cb#', 'fragment'],
    ['a relative path', '/callback', 'absolute URI'],
    ['a scheme-relative URI', '//app.example.com/cb', 'absolute URI'],
    ['a bare word', 'callback', 'absolute URI'],
    ['an empty string', '', 'absolute URI'],
    ['http on a public host', 'http://app.example.com/callback', 'private-use scheme'],
    ['http on a host that starts with localhost', 'http://localhost.evil.example/cb', 'private-use scheme'],
    ['http on a private address', 'http://10.0.0.1/cb', 'private-use scheme'],
    ['a custom scheme without a period', 'myapp://callback', 'private-use scheme'],
    ['javascript:', 'javascript:alert(1)', 'private-use scheme'],
    ['data:', 'data:text/html,x', 'private-use scheme'],
    ['file:', 'file:///etc/passwd', 'private-use scheme'],
  ])('refuses %s, saying why', (_label, uri, reason) => {
    expect(redirectUriProblem(uri)).toContain(reason);
  });

  it.each([
    ['no path', 'https://example.com', 'https://example.com/'],
    ['an upper-case host', 'https://App.Example.com/cb', 'https://app.example.com/cb'],
    ['an upper-case scheme', 'HTTPS://app.example.com/cb', 'https://app.example.com/cb'],
    ['the default port', 'https://app.example.com:443/cb', 'https://app.example.com/cb'],
    ['a dot segment', 'https://app.example.com/a/../cb', 'https://app.example.com/cb'],
    ['a unicode host', 'https://bücher.example/cb', 'https://xn--bcher-kva.example/cb'],
    ['a loopback without a path', 'http://127.0.0.1:8080', 'http://127.0.0.1:8080/'],
    ['an upper-case private-use scheme', 'Com.Example.App:/cb', 'com.example.app:/cb'],
    ['a raw non-ASCII path', 'https://app.example.com/café', 'https://app.example.com/caf%C3%A9'],
  ])('refuses a non-canonical URI (%s), naming the canonical form', (_label, uri, canonical) => {
    expect(redirectUriProblem(uri)).toBe(`must be written in canonical form: use "${canonical}"`);
    expect(redirectUriProblem(canonical)).toBeUndefined();
  });
});

describe('redirectUrisField', () => {
  const paths = (value: unknown) => {
    const result = redirectUrisField.safeParse(value);
    return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  };

  it('names the index of each refused URI with its reason', () => {
    expect(paths(['https://ok.example/cb', 'https://*.example/cb', 'https://example.com'])).toEqual([
      '1: must not contain a wildcard (*): IdPs compare redirect URIs as exact strings',
      '2: must be written in canonical form: use "https://example.com/"',
    ]);
  });

  it('accepts a URI of exactly 2000 characters and refuses 2001', () => {
    const prefix = 'https://app.example.com/';
    const exactly2000 = prefix + 'a'.repeat(2000 - prefix.length);
    expect(paths([exactly2000])).toEqual([]);
    expect(paths([`${exactly2000}a`])).toEqual(['0: must be at most 2000 characters']);
  });

  it('accepts an empty list and at most 20 URIs', () => {
    expect(paths([])).toEqual([]);
    const uris = Array.from({ length: 21 }, (_, i) => `https://app.example.com/cb/${i}`);
    expect(paths(uris)).toEqual([': at most 20 redirect URIs are allowed']);
  });
});
