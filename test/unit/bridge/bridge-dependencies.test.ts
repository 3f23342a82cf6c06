import { describe, expect, it } from '@jest/globals';
import { MAX_IDP_TIMEOUT_MS, readBridgeConfig } from '../../../functions/bridge/bridge-config';
import { isMisconfigured, loadBridge, loadBridgeDependencies } from '../../../functions/bridge/bridge-dependencies';
import { ConfigurationError } from '../../../functions/commons/configuration-error';
import { captureOutputPerTest } from '../../support/captured-output';

const KEY = 'konnect_key_0123456789abcdef';

const localEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  IDP_ISSUER: 'https://idp.example.com',
  KONNECT_API_KEYS: KEY,
  ...extra,
});

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('loadBridgeDependencies', () => {
  captureOutputPerTest();

  it('builds the generic adapter and a key verifier from a local environment', async () => {
    const dependencies = loadBridgeDependencies(localEnv());

    expect(dependencies.adapter.name).toBe('generic');
    expect(dependencies.idpTimeoutMs).toBe(8000);
    await expect(dependencies.keyVerifier.verify(KEY)).resolves.toBe(true);
    await expect(dependencies.keyVerifier.verify('konnect_key_not_configured')).resolves.toBe(false);
  });

  it('accepts a comma-separated KONNECT_API_KEYS list with spaces', async () => {
    const other = 'konnect_key_second_key_00';
    const { keyVerifier } = loadBridgeDependencies(localEnv({ KONNECT_API_KEYS: ` ${KEY} , ${other} ,` }));

    await expect(keyVerifier.verify(KEY)).resolves.toBe(true);
    await expect(keyVerifier.verify(other)).resolves.toBe(true);
  });

  it('takes IDP_TIMEOUT_MS from the environment', () => {
    expect(loadBridgeDependencies(localEnv({ IDP_TIMEOUT_MS: '2500' })).idpTimeoutMs).toBe(2500);
  });

  it('refuses an environment without IDP_ISSUER or IDP_REGISTRATION_ENDPOINT, naming IDP_ISSUER', () => {
    const error = configurationError(() => loadBridgeDependencies({ KONNECT_API_KEYS: KEY }));

    expect(error.name).toBe('ConfigurationError');
    expect(error.message).toContain('IDP_ISSUER');
    expect(error.message).toContain('IDP_REGISTRATION_ENDPOINT');
  });

  it('accepts IDP_REGISTRATION_ENDPOINT instead of IDP_ISSUER', () => {
    expect(() =>
      loadBridgeDependencies({ IDP_REGISTRATION_ENDPOINT: 'https://idp.example.com/register', KONNECT_API_KEYS: KEY }),
    ).not.toThrow();
  });

  it('refuses an environment without any Konnect key setting', () => {
    const error = configurationError(() => loadBridgeDependencies({ IDP_ISSUER: 'https://idp.example.com' }));

    expect(error.message).toContain('KONNECT_API_KEY_SECRET_ARN');
  });

  it('refuses to run on Lambda without REGISTRATION_TABLE_NAME', () => {
    const error = configurationError(() =>
      loadBridgeDependencies(localEnv({ AWS_LAMBDA_FUNCTION_NAME: 'dcr-bridge' })),
    );

    expect(error.message).toContain('REGISTRATION_TABLE_NAME');
  });

  it('runs on Lambda with REGISTRATION_TABLE_NAME and a key secret ARN', () => {
    const dependencies = loadBridgeDependencies({
      AWS_LAMBDA_FUNCTION_NAME: 'dcr-bridge',
      AWS_REGION: 'us-east-1',
      IDP_ISSUER: 'https://idp.example.com',
      REGISTRATION_TABLE_NAME: 'registrations',
      KONNECT_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k',
    });

    expect(dependencies.adapter.name).toBe('generic');
  });

  it.each([
    ['a key that is too short', 'short_key'],
    ['a key with a dash', 'konnect-key-with-dash'],
    ['only commas', ' , ,'],
  ])('refuses KONNECT_API_KEYS with %s as a ConfigurationError naming the setting, not the value', (_label, keys) => {
    const error = configurationError(() => loadBridgeDependencies(localEnv({ KONNECT_API_KEYS: keys })));

    expect(error.message).toContain('KONNECT_API_KEYS');
    if (keys.trim().replace(/,/g, '') !== '') expect(error.message).not.toContain(keys);
  });

  it('treats empty settings as unset', () => {
    const error = configurationError(() =>
      loadBridgeDependencies({ IDP_ISSUER: '', IDP_REGISTRATION_ENDPOINT: '', KONNECT_API_KEYS: KEY }),
    );

    expect(error.message).toContain('IDP_ISSUER');
  });
});

describe("loadBridge (the handler's loader)", () => {
  captureOutputPerTest();

  it('keeps the key check when the IdP settings are wrong, and holds their problem for authenticated callers', async () => {
    const loaded = loadBridge({ IDP_TYPE: 'okta', KONNECT_API_KEYS: KEY });

    if (!isMisconfigured(loaded)) throw new Error('expected a misconfigured bridge');
    await expect(loaded.keyVerifier.verify(KEY)).resolves.toBe(true);
    expect(loaded.misconfiguration.message).toContain('IDP_OKTA_ORG_URL');
  });

  it('throws when the key settings themselves are wrong: no caller can be authenticated', () => {
    expect(() => loadBridge({ IDP_ISSUER: 'https://idp.example.com' })).toThrow(ConfigurationError);
    expect(() => loadBridge({ IDP_ISSUER: 'https://idp.example.com', KONNECT_API_KEYS: 'short' })).toThrow(
      ConfigurationError,
    );
  });
});

describe('readBridgeConfig', () => {
  it("caps IDP_TIMEOUT_MS at 22 s: with the 4 s of compensation and answer, the function ends before API Gateway's 29 s", () => {
    expect(MAX_IDP_TIMEOUT_MS).toBe(22_000);
    expect(readBridgeConfig(localEnv({ IDP_TIMEOUT_MS: '22000' })).IDP_TIMEOUT_MS).toBe(22_000);
    expect(configurationError(() => readBridgeConfig(localEnv({ IDP_TIMEOUT_MS: '22001' }))).message).toContain(
      'IDP_TIMEOUT_MS',
    );
  });

  it('applies the documented defaults', () => {
    expect(readBridgeConfig(localEnv())).toMatchObject({
      IDP_TYPE: 'generic',
      IDP_TIMEOUT_MS: 8000,
      KEY_CACHE_TTL_SECONDS: 300,
      KEY_REFRESH_MIN_INTERVAL_SECONDS: 10,
      IDP_CREDENTIALS_CACHE_TTL_SECONDS: 300,
    });
  });

  it.each([
    ['IDP_TIMEOUT_MS', '100'],
    ['IDP_TIMEOUT_MS', '30000'],
    ['IDP_TYPE', 'secret-abc'],
    ['KEY_CACHE_TTL_SECONDS', '-1'],
  ])('names %s when it is %j, without echoing the value', (setting, value) => {
    const error = configurationError(() => readBridgeConfig(localEnv({ [setting]: value })));

    expect(error.message).toContain(setting);
    expect(error.message).not.toContain('secret-abc');
  });

  it.each([
    ['IDP_ISSUER', 'not a url with secret-abc'],
    ['IDP_ISSUER', 'ftp://idp.example.com/secret-abc'],
    ['IDP_TOKEN_ENDPOINT', 'secret-abc'],
    ['IDP_SECRET_ROTATION', 'secret-abc'],
  ])('the generic adapter names %s when it is %j, without echoing the value', (setting, value) => {
    const error = configurationError(() => loadBridgeDependencies(localEnv({ [setting]: value })));

    expect(error.message).toContain('IDP_TYPE=generic');
    expect(error.message).toContain(setting);
    expect(error.message).not.toContain('secret-abc');
  });
});
