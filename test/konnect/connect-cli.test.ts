import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { type ConnectCliOptions, ConnectUsageError, parseConnectArgs } from '../../bin/konnect/connect-options';
import { runConnect } from '../../bin/konnect/run-connect';
import { type FakeKonnect, startFakeKonnect, VERIFY_FAILED_ERROR } from '../fakes/konnect-fake';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { mockSecretsManagerMap } from '../support/secrets-manager-map';

const repoRoot = join(import.meta.dirname, '..', '..');
const KEY_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-key-AbCdEf';
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:konnect-token-AbCdEf';
const KEY = 'ConnectCliKeyOne_0123456789';
const NEXT_KEY = 'ConnectCliKeyTwo_0123456789';
const OWNER = '3f1c0e9a-5b2d-4c7e-9f10-2a3b4c5d6e7f';

const { secrets: store, mock: secretsManager } = mockSecretsManagerMap();

const base = [
  '--konnect-region',
  'eu',
  '--name',
  'dcr-a',
  '--url',
  'https://b.example.com/prod/',
  '--key-secret-id',
  'arn:k',
  '--issuer',
  'https://idp.example.com',
];

describe('parseConnectArgs', () => {
  it('reads the options, the token from KONNECT_TOKEN', () => {
    expect(
      parseConnectArgs([...base, '--disable-refresh-secret', '--region', 'eu-west-1'], {
        KONNECT_TOKEN: 'kpat_x1234567',
      }),
    ).toEqual({
      access: { apiUrl: 'https://eu.api.konghq.com/v2', token: { fromEnv: 'kpat_x1234567' } },
      name: 'dcr-a',
      url: 'https://b.example.com/prod/',
      keySecretId: 'arn:k',
      issuer: 'https://idp.example.com',
      disableRefreshSecret: true,
      verify: true,
      stackLabel: undefined,
      owner: undefined,
      adopt: false,
      region: 'eu-west-1',
    });
    expect(parseConnectArgs([...base, '--owner', OWNER, '--adopt'], { KONNECT_TOKEN: 'kpat_x1234567' })).toMatchObject({
      owner: OWNER,
      adopt: true,
    });
  });

  it('takes the token from a secret, a URL instead of a region, --no-verify and a stack label', () => {
    const options = parseConnectArgs(
      [
        ...base.slice(2),
        '--konnect-url',
        'http://127.0.0.1:9/v2',
        '--token-secret-id',
        'arn:t',
        '--no-verify',
        '--stack-label',
        'dcr a',
      ],
      {},
    );
    expect(options).toMatchObject({
      access: { apiUrl: 'http://127.0.0.1:9/v2', token: { secretId: 'arn:t' } },
      verify: false,
      stackLabel: 'dcr-a',
    });
  });

  it.each([
    [[...base, '--token', 'kpat_secret'], '--token is not accepted'],
    [[...base, '--token=kpat_secret'], '--token is not accepted'],
    [base.slice(2), '--konnect-region or --konnect-url is required'],
    [[...base, '--konnect-url', 'https://x.example.com'], 'not both'],
    [['--konnect-region', 'mars', ...base.slice(2)], 'neither a Konnect region'],
    [base.filter((arg) => arg !== '--name' && arg !== 'dcr-a'), '--name is required'],
    [
      base.map((arg) => (arg === 'https://b.example.com/prod/' ? 'http://b.example.com/' : arg)),
      '--url must be an https URL',
    ],
    [[...base, '--force'], "Unknown option '--force'"],
    [[...base, '--owner', 'not a label!'], '--owner must be the stack UUID'],
  ])('refuses %j: %s', (argv, message) => {
    expect(() => parseConnectArgs(argv, { KONNECT_TOKEN: 'kpat_x1234567' })).toThrow(ConnectUsageError);
    expect(() => parseConnectArgs(argv, { KONNECT_TOKEN: 'kpat_x1234567' })).toThrow(message);
  });

  it('needs a token source', () => {
    expect(() => parseConnectArgs(base, {})).toThrow('set KONNECT_TOKEN');
  });
});

describe('npm run connect-konnect against the fake Konnect and the local bridge', () => {
  let bridge: TestBridge;
  let konnect: FakeKonnect;
  let options: ConnectCliOptions;

  const run = async () => {
    const out: string[] = [];
    const err: string[] = [];
    const { exitCode } = await runConnect(options, { out: (line) => out.push(line), err: (line) => err.push(line) });
    return { exitCode, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    bridge = await startTestBridge([KEY, NEXT_KEY]);
    konnect = await startFakeKonnect();
  });

  afterAll(async () => {
    secretsManager.restore();
    await konnect.close();
    await bridge.stop();
  });

  beforeEach(() => {
    konnect.providers.clear();
    store.set(KEY_ARN, KEY);
    store.set(TOKEN_ARN, konnect.token);
    options = parseConnectArgs(
      [
        '--konnect-url',
        konnect.url,
        '--name',
        'dcr-okta-partners',
        '--url',
        bridge.local.bridgeUrl,
        '--key-secret-id',
        KEY_ARN,
        '--issuer',
        'https://idp.example.com/oauth2/default',
        '--token-secret-id',
        TOKEN_ARN,
        '--region',
        'eu-west-1',
        '--owner',
        OWNER,
      ],
      {},
    );
  });

  it('creates, then reports unchanged, then the PATCHed fields', async () => {
    const created = await run();
    const id = konnect.providerNamed('dcr-okta-partners')?.provider.id;
    expect(created).toEqual({
      exitCode: 0,
      out: `Konnect DCR provider "dcr-okta-partners" (${id}): created\nKonnect verified the bridge: success`,
      err: '',
    });

    expect((await run()).out).toContain(`(${id}): unchanged`);

    store.set(KEY_ARN, JSON.stringify([KEY, NEXT_KEY]));
    expect((await run()).out).toContain(`(${id}): updated (dcr_config.api_key)`);
    expect(konnect.apiKeyOf(id as string)).toBe(NEXT_KEY);
  });

  it('without --owner, refuses to take over an existing provider unless --adopt; never one owned by a stack', async () => {
    options = { ...options, owner: undefined };
    expect((await run()).out).toContain('created');
    const id = konnect.providerNamed('dcr-okta-partners')?.provider.id as string;

    const refused = await run();
    expect(refused.exitCode).toBe(1);
    expect(refused.err).toContain('has no dcr-bridge-owner label');
    expect(refused.err).toContain('--adopt');

    options = { ...options, adopt: true };
    expect((await run()).out).toContain(`(${id}): unchanged`);

    const record = konnect.providers.get(id);
    if (record?.provider.labels) record.provider.labels['dcr-bridge-owner'] = OWNER;
    const owned = await run();
    expect(owned.exitCode).toBe(1);
    expect(owned.err).toContain(`belongs to another bridge (dcr-bridge-owner=${OWNER})`);
  });

  it('with --owner, labels what it creates, and refuses a provider another stack owns', async () => {
    await run();
    const record = konnect.providerNamed('dcr-okta-partners');
    expect(record?.provider.labels?.['dcr-bridge-owner']).toBe(OWNER);

    if (record?.provider.labels) record.provider.labels['dcr-bridge-owner'] = '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d';
    const refused = await run();
    expect(refused.exitCode).toBe(1);
    expect(refused.err).toContain('belongs to another bridge');
  });

  it('waits, and says so, when the key was stored moments ago', async () => {
    const waits: number[] = [];
    const out: string[] = [];
    // A key secret version written just now (CreatedDate), as Secrets Manager answers it.
    const client = {
      send: async (command: GetSecretValueCommand) => ({
        SecretString: command.input.SecretId === TOKEN_ARN ? konnect.token : KEY,
        CreatedDate: new Date(),
      }),
    } as unknown as SecretsManagerClient;
    const { exitCode } = await runConnect(
      options,
      { out: (line) => out.push(line), err: () => undefined },
      () => client,
      async (ms) => {
        waits.push(ms);
      },
    );
    expect(exitCode).toBe(0);
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThan(10_000);
    expect(out.join('\n')).toMatch(/Waiting 1[01] s: the key was stored moments ago/);
  });

  it("exits 1 with Konnect's verify errors", async () => {
    konnect.failNextVerify([VERIFY_FAILED_ERROR, 'The DCR server answered 401: unknown key']);

    const result = await run();

    expect(result.exitCode).toBe(1);
    expect(result.err).toContain(
      'Konnect could not verify the bridge:\n  - Unable to create the DCR application\n  - The DCR server answered 401: unknown key',
    );
  });

  it('exits 1 with a readable error, never the token, when Konnect refuses the token', async () => {
    const wrong = 'kpat_WrongTokenOfTheCli0123456789';
    store.set(TOKEN_ARN, JSON.stringify({ token: wrong }));

    const result = await run();

    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/^connect-konnect: Konnect answered 401 Unauthorized: Unauthorized/);
    expect(`${result.out}${result.err}`).not.toContain(wrong);
    expect(`${result.out}${result.err}`).not.toContain(KEY);
  });

  it('exits 1 naming a secret it cannot read', async () => {
    store.delete(KEY_ARN);

    const result = await run();

    expect(result).toMatchObject({ exitCode: 1, err: expect.stringContaining('ResourceNotFoundException') });
  });
});

describe('the connect-konnect command line', () => {
  it('exits 2 with the usage on a usage error, before calling anything', () => {
    const result = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'tsx'),
      ['bin/connect-konnect.ts', '--konnect-region', 'eu'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...process.env, KONNECT_TOKEN: '' },
      },
    );

    expect(result.stderr).toContain('connect-konnect: --name is required');
    expect(result.stderr).toContain('Usage: npm run connect-konnect --');
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});
