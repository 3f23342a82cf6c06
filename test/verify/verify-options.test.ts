import { describe, expect, it } from '@jest/globals';
import { parseVerifyArgs, UsageError } from '../../bin/verify/verify-options';

const usageError = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error('expected a UsageError');
};

describe('parseVerifyArgs', () => {
  it('applies the defaults: 15 s per request, no propagation wait, rotation on, no scopes', () => {
    expect(parseVerifyArgs(['--url', 'https://dcr.example.com/prod/', '--key', 'k'], {})).toEqual({
      url: 'https://dcr.example.com/prod',
      key: 'k',
      tokenEndpoint: undefined,
      issuer: undefined,
      scopes: [],
      tokenScopes: undefined,
      audience: undefined,
      timeoutMs: 15_000,
      propagationWaitMs: 0,
      skipRotation: false,
      konnectVerify: false,
    });
  });

  it('reads every option, and scopes both repeated and space-separated', () => {
    const options = parseVerifyArgs(
      [
        '--url=http://127.0.0.1:3000',
        '--key=k',
        '--issuer=https://tenant.eu.auth0.com/',
        '--scope',
        'read write',
        '--scope',
        'admin',
        '--audience',
        'https://api.example.com/',
        '--timeout-ms',
        '5000',
        '--propagation-wait-ms',
        '30000',
        '--skip-rotation',
        '--token-scope',
        'openid email',
        '--token-scope=api',
        '--konnect-verify',
      ],
      {},
    );

    expect(options).toMatchObject({
      url: 'http://127.0.0.1:3000',
      issuer: 'https://tenant.eu.auth0.com',
      scopes: ['read', 'write', 'admin'],
      tokenScopes: ['openid', 'email', 'api'],
      konnectVerify: true,
      audience: 'https://api.example.com/',
      timeoutMs: 5000,
      propagationWaitMs: 30_000,
      skipRotation: true,
    });
  });

  it('takes the key from DCR_BRIDGE_API_KEY when --key is not given, so it stays out of shell history', () => {
    expect(parseVerifyArgs(['--url', 'https://dcr.example.com'], { DCR_BRIDGE_API_KEY: 'from_env' }).key).toBe(
      'from_env',
    );
  });

  it.each([
    [['--key', 'k'], '--url is required'],
    [['--url', 'https://dcr.example.com'], '--key (or DCR_BRIDGE_API_KEY) is required'],
    [['--url', 'ftp://dcr.example.com', '--key', 'k'], '--url must be an http:// or https:// URL'],
    [['--url', 'https://a.example', '--key', 'k', '--timeout-ms', '0'], '--timeout-ms must be more than 0'],
    [['--url', 'https://a.example', '--key', 'k', '--timeout-ms', 'soon'], '--timeout-ms must be a whole number'],
    [
      [
        '--url',
        'https://a.example',
        '--key',
        'k',
        '--issuer',
        'https://i.example',
        '--token-endpoint',
        'https://t.example',
      ],
      'give either --token-endpoint or --issuer, not both',
    ],
    [['--url', 'https://a.example', '--key', 'k', '--insecure'], "Unknown option '--insecure'"],
    [['--url', 'https://a.example', '--key', 'k', '--token-scope', ' '], '--token-scope must not be empty'],
  ])('refuses %j: %s', (argv, message) => {
    expect(usageError(() => parseVerifyArgs(argv, {}))).toContain(message);
  });
});
