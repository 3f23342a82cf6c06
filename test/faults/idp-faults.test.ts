import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type EmbeddedIdp, startEmbeddedIdp } from '../../bin/local/embedded-idp';
import { HttpClient } from '../../functions/commons/http-client';
import { type NewClient, operationWithin } from '../../functions/idp/idp-adapter';
import { OktaAdapter } from '../../functions/idp/okta/okta-adapter';
import { OktaClientsApi } from '../../functions/idp/okta/okta-api';
import { SswsAuthorization } from '../../functions/idp/okta/okta-authorization';
import { Ownership } from '../../functions/idp/ownership';
import { type OktaFake, oktaError, startOktaFake } from '../fakes/okta-fake';
import { captureOutputPerTest } from '../support/captured-output';
import { type BridgeAnswer, callBridge } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { blobsWith, logLines } from '../unit/observability/emf';
import { bridgeErrorOf } from '../unit/support/bridge-error-of';
import { type Fault, type FaultProxy, startFaultProxy } from './support/fault-proxy';

const KEY = 'idp_faults_key_0000001';
const DEADLINE_MS = 1000;
/** Generous: the bridge answers by its 1 s deadline; this only keeps a broken bridge from hanging jest. */
const ANSWER_TIMEOUT_MS = 10_000;
const REGISTRATION = /^\/reg$/;
const LOST_CREATE = 'Orphaned client possible at the IdP';
const OKTA_TOKEN = '00faultTestApiToken';
const IDP_SOURCES = join(process.cwd(), 'functions', 'idp');

/**
 * The generic adapter against a real OAuth server (the embedded oidc-provider) behind a fault
 * proxy: the proxy lets the IdP act, then spoils its answer, so each test can tell from the IdP's
 * own client count whether a client was created, and check that the bridge removed or reported it.
 */
describe('IdP faults on create (generic adapter, real IdP behind a fault proxy)', () => {
  let idp: EmbeddedIdp;
  let proxy: FaultProxy;
  let bridge: TestBridge;

  beforeAll(async () => {
    idp = await startEmbeddedIdp();
    proxy = await startFaultProxy(idp.issuer);
    bridge = await startTestBridge([KEY], {
      IDP_REGISTRATION_ENDPOINT: `${proxy.url}/reg`,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
      IDP_SECRET_ROTATION: 'update',
      IDP_TIMEOUT_MS: String(DEADLINE_MS),
      // The OrphanedClients metric is part of what is proved here.
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await proxy?.close();
    await idp?.close();
  });

  const createBody = (name: string) => ({
    client_name: name,
    redirect_uris: [],
    grant_types: ['client_credentials'],
    scopes: ['read'],
    token_endpoint_auth_method: 'client_secret_basic',
    application_description: '',
    portal_id: '9f1c2c3e-2a59-4e8b-9b5d-3c2e1f0a7b6d',
    organization_id: '0c7d4c1e-5f1a-4a0e-8a9f-6b3d2e1c0f9a',
    developer_id: '5b2e8f7a-1c3d-4e5f-8a9b-0c1d2e3f4a5b',
    auth_strategy_id: '7e6d5c4b-3a29-4187-9f6e-5d4c3b2a1908',
    dcr_provider_id: '2a3b4c5d-6e7f-4081-9a2b-3c4d5e6f7a8b',
  });

  interface Attempt {
    answer: BridgeAnswer;
    /** POSTs the IdP side received for this create (the proxy counts them, forwarded or not). */
    posts: number;
    /** Requests of any kind the IdP side received, as "METHOD /path". */
    calls: string[];
    /** Clients at the IdP now minus before. */
    clientsAdded: number;
    /** What the bridge wrote while answering. */
    output: string;
  }

  /** One Konnect create with `faults` armed at the registration endpoint. */
  async function createWith(name: string, ...faults: Fault[]): Promise<Attempt> {
    for (const fault of faults) proxy.inject('POST', REGISTRATION, fault);
    const callsBefore = proxy.calls.length;
    const outputBefore = bridge.output.text().length;
    const clientsBefore = idp.clientCount();
    const answer = await callBridge(bridge.local.bridgeUrl, 'POST', '/', { key: KEY, json: createBody(name) });
    proxy.clearFaults();
    const calls = proxy.calls.slice(callsBefore);
    return {
      answer,
      posts: calls.filter((call) => call === 'POST /reg').length,
      calls,
      clientsAdded: idp.clientCount() - clientsBefore,
      output: bridge.output.text().slice(outputBefore),
    };
  }

  /** The contract's error body: exactly the two fields, as JSON, with nothing internal in it. */
  function expectContractError(attempt: Attempt, status: number, error: string): void {
    const { answer } = attempt;
    expect(answer.status).toBe(status);
    expect(answer.contentType).toBe('application/json');
    expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
    expect(answer.body.error).toBe(error);
    expect(answer.body.error_description).toEqual(expect.any(String));
    expect(answer.text).not.toContain('127.0.0.1');
    expect(answer.text).not.toContain(idp.initialAccessToken);
  }

  const orphanMetrics = (output: string) =>
    blobsWith(output, 'OrphanedClients').map((blob) => ({
      IdpType: blob.members.IdpType,
      OrphanedClients: blob.members.OrphanedClients,
    }));

  /** A create whose answer was lost: one POST, the client exists at the IdP, and it was reported. */
  function expectReportedLostCreate(attempt: Attempt, name: string): void {
    expect(attempt.posts).toBe(1);
    expect(attempt.clientsAdded).toBe(1);
    const [line, ...more] = attempt.output
      .split('\n')
      .filter((text) => text.startsWith('{') && !text.includes('"_aws"'))
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .filter((entry) => String(entry.message).startsWith(LOST_CREATE));
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'ERROR', idp: 'generic', client_name: name });
    expect(String(line?.message)).toContain('may have been created');
    // RFC 7591 gives no way to learn the id of a client whose answer was lost: none is claimed.
    expect(line).not.toHaveProperty('client_id');
    expect(orphanMetrics(attempt.output)).toEqual([{ IdpType: 'generic', OrphanedClients: 1 }]);
    expect(attempt.answer.body.error_description).toContain('may have created the client anyway');
  }

  /** A create refused before anything was made: nothing at the IdP, nothing reported. */
  function expectNothingCreated(attempt: Attempt): void {
    expect(attempt.clientsAdded).toBe(0);
    expect(attempt.output).not.toContain('Orphaned client');
    expect(orphanMetrics(attempt.output)).toEqual([]);
  }

  it(
    'works through the proxy when nothing is injected (the baseline the faults spoil)',
    async () => {
      const attempt = await createWith('Fault baseline');

      expect(attempt.answer.status).toBe(201);
      expect(attempt.posts).toBe(1);
      expect(attempt.clientsAdded).toBe(1);
      const deleted = await callBridge(bridge.local.bridgeUrl, 'DELETE', `/${attempt.answer.body.client_id}`, {
        key: KEY,
      });
      expect(deleted.status).toBe(204);
      expect(proxy.calls.at(-1)).toBe(`DELETE /reg/${attempt.answer.body.client_id}`);
    },
    ANSWER_TIMEOUT_MS,
  );

  describe('failures before anything was created', () => {
    it(
      'connection refused: 502, nothing sent, nothing reported',
      async () => {
        await proxy.refuseConnections();
        let attempt: Attempt;
        try {
          attempt = await createWith('Fault refused');
        } finally {
          await proxy.resume();
        }

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('could not be reached');
        expect(attempt.calls).toEqual([]);
        expectNothingCreated(attempt);
      },
      ANSWER_TIMEOUT_MS,
    );

    it.each([
      [500, { error: 'server_error', error_description: 'db down at http://10.0.0.7:5432' }],
      [503, { error: 'temporarily_unavailable' }],
    ])(
      'IdP answers %i before acting: 502 naming the status, no retry, and a possible orphan reported (the bridge cannot tell)',
      async (status, body) => {
        const attempt = await createWith(`Fault ${status}`, {
          kind: 'answer',
          status,
          body: JSON.stringify(body),
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain(String(status));
        expect(attempt.answer.body.error_description).toContain(body.error);
        expect(attempt.answer.text).not.toContain('10.0.0.7');
        expect(attempt.posts).toBe(1);
        expect(attempt.clientsAdded).toBe(0);
        // Some IdPs store the client and then answer a 5xx: any 5xx is reported, never assumed harmless.
        expect(attempt.output).toContain(LOST_CREATE);
        expect(orphanMetrics(attempt.output)).toEqual([{ IdpType: 'generic', OrphanedClients: 1 }]);
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      '429 with a Retry-After beyond the deadline: 503 at once, no retry',
      async () => {
        const attempt = await createWith('Fault 429 long', {
          kind: 'answer',
          status: 429,
          headers: { 'retry-after': '120' },
          body: '{"error":"rate_limited"}',
        });

        expectContractError(attempt, 503, 'service_unavailable');
        expect(attempt.answer.body.error_description).toContain('rate-limiting');
        expect(attempt.answer.body.error_description).toContain('120 s');
        expect(attempt.posts).toBe(1);
        expectNothingCreated(attempt);
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      '429 without Retry-After, every time: one short back-off retry, then 503',
      async () => {
        const limited: Fault = { kind: 'answer', status: 429, body: '{"error":"rate_limited"}' };
        const attempt = await createWith('Fault 429 always', limited, limited, limited);

        expectContractError(attempt, 503, 'service_unavailable');
        // The second back-off (1 s) no longer fits the 1 s deadline: two attempts in all.
        expect(attempt.posts).toBe(2);
        expectNothingCreated(attempt);
      },
      ANSWER_TIMEOUT_MS,
    );

    it.each([
      ['with Retry-After: 0', { 'retry-after': '0' }],
      ['without Retry-After', undefined],
    ])(
      'a single 429 %s is retried (a rate limiter creates nothing), and the retry creates the client once',
      async (_label, headers) => {
        const attempt = await createWith(`Fault 429 once ${_label}`, {
          kind: 'answer',
          status: 429,
          headers,
          body: '{"error":"rate_limited"}',
        });

        expect(attempt.answer.status).toBe(201);
        expect(attempt.posts).toBe(2);
        expect(attempt.clientsAdded).toBe(1);
        expect(attempt.output).not.toContain('Orphaned client');
        const deleted = await callBridge(bridge.local.bridgeUrl, 'DELETE', `/${attempt.answer.body.client_id}`, {
          key: KEY,
        });
        expect(deleted.status).toBe(204);
      },
      ANSWER_TIMEOUT_MS,
    );
  });

  describe('answers lost after the IdP created the client: never retried, always reported', () => {
    it(
      'connection reset before any answer: 502, reported',
      async () => {
        const attempt = await createWith('Fault reset early', { kind: 'reset-before-answer' });

        expectContractError(attempt, 502, 'idp_error');
        expectReportedLostCreate(attempt, 'Fault reset early');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'connection reset mid-response (status and half the body sent): 502, reported',
      async () => {
        const attempt = await createWith('Fault reset mid', { kind: 'reset-mid-response' });

        expectContractError(attempt, 502, 'idp_error');
        expectReportedLostCreate(attempt, 'Fault reset mid');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'hang past the deadline: 504 by the deadline, reported',
      async () => {
        const attempt = await createWith('Fault hang', { kind: 'hang' });

        expectContractError(attempt, 504, 'idp_timeout');
        expectReportedLostCreate(attempt, 'Fault hang');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'slow trickle (a byte every 200 ms, past the deadline): 504 by the deadline, reported',
      async () => {
        const attempt = await createWith('Fault trickle', { kind: 'trickle', everyMs: 200 });

        expectContractError(attempt, 504, 'idp_timeout');
        expectReportedLostCreate(attempt, 'Fault trickle');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'a gateway in front of the IdP answers 502 after forwarding: 502, reported',
      async () => {
        const attempt = await createWith('Fault gateway', {
          kind: 'replace',
          status: 502,
          body: () => '<html>Bad Gateway</html>',
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('502');
        expectReportedLostCreate(attempt, 'Fault gateway');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'the IdP stores the client, then answers 500: 502, reported',
      async () => {
        const attempt = await createWith('Fault 500 after storing', {
          kind: 'replace',
          status: 500,
          body: () => '{"error":"server_error"}',
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('500 (server_error)');
        expectReportedLostCreate(attempt, 'Fault 500 after storing');
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'malformed JSON (the real answer cut in half, status 201): 502, reported, and its secrets not logged',
      async () => {
        let real = '';
        const attempt = await createWith('Fault malformed', {
          kind: 'replace',
          status: 201,
          body: (body) => {
            real = body;
            return body.slice(0, Math.floor(body.length / 2));
          },
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('client_id');
        expectReportedLostCreate(attempt, 'Fault malformed');
        const leaked = JSON.parse(real) as Record<string, string>;
        for (const secret of [leaked.client_secret, leaked.registration_access_token]) {
          expect(secret).toEqual(expect.any(String));
          expect(bridge.output.text()).not.toContain(secret);
          expect(attempt.answer.text).not.toContain(secret);
        }
      },
      ANSWER_TIMEOUT_MS,
    );

    it.each([
      ['with a Content-Length', false],
      ['chunked, without a length', true],
    ])(
      'a body over 1 MiB (%s), status 201: 502, reported',
      async (_label, chunked) => {
        const name = `Fault huge ${chunked ? 'chunked' : 'declared'}`;
        const attempt = await createWith(name, {
          kind: 'replace',
          status: 201,
          chunked,
          body: (body) => `${body.slice(0, -1)},"padding":"${'x'.repeat(1024 * 1024 + 16)}"}`,
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('1 MiB');
        expectReportedLostCreate(attempt, name);
      },
      ANSWER_TIMEOUT_MS,
    );
  });

  describe('answers that name the client: the bridge removes it or names it', () => {
    it.each([201, 200])(
      'a %i without client_secret: 502, and the client is deleted again with its RAT (no orphan)',
      async (status) => {
        const attempt = await createWith(`Fault no secret ${status}`, {
          kind: 'replace',
          status,
          body: (body) => {
            const { client_secret: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
            return JSON.stringify(rest);
          },
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain('client_secret');
        expect(attempt.posts).toBe(1);
        expect(attempt.calls).toEqual(['POST /reg', expect.stringMatching(/^DELETE \/reg\/.+/)]);
        expect(attempt.clientsAdded).toBe(0);
        expect(attempt.output).toContain('Removed a half-created client');
        expect(orphanMetrics(attempt.output)).toEqual([]);
      },
      ANSWER_TIMEOUT_MS,
    );

    it(
      'a 201 without registration_access_token: 502 naming the client, logged as an orphan with its id and counted',
      async () => {
        let clientId = '';
        const attempt = await createWith('Fault no rat', {
          kind: 'replace',
          status: 201,
          body: (body) => {
            const { registration_access_token: _dropped, ...rest } = JSON.parse(body) as Record<string, unknown>;
            clientId = String(rest.client_id);
            return JSON.stringify(rest);
          },
        });

        expectContractError(attempt, 502, 'idp_error');
        expect(attempt.answer.body.error_description).toContain(clientId);
        expect(attempt.clientsAdded).toBe(1);
        const [line] = logLines(
          attempt.output,
          'Orphaned client at the IdP: it has no registration access token or URI to remove it with; delete it by hand',
        );
        expect(line).toMatchObject({ level: 'ERROR', client_id: clientId });
        expect(orphanMetrics(attempt.output)).toEqual([{ IdpType: 'generic', OrphanedClients: 1 }]);
      },
      ANSWER_TIMEOUT_MS,
    );
  });

  it('never puts a key, token or secret into logs', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Request failed');
    expect(logs).not.toContain(KEY);
    const secrets = idp.issuedSecrets();
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});

/**
 * The vendor adapters find lost creates themselves (Okta by name, Entra by tag, Keycloak by the
 * id it chose); what they cannot remove they log as `Orphaned client…`, and count.
 */
describe('OrphanedClients next to every orphan log line of the vendor adapters', () => {
  const output = captureOutputPerTest();
  let okta: OktaFake;

  beforeAll(async () => {
    okta = await startOktaFake({ apiToken: OKTA_TOKEN });
  });
  afterAll(async () => {
    await okta?.close();
  });

  const oktaAdapter = () =>
    new OktaAdapter(
      new OktaClientsApi(
        okta.orgUrl,
        new HttpClient({ idpName: 'okta', callTimeoutMs: 2000 }),
        new SswsAuthorization(async () => ({ apiToken: OKTA_TOKEN })),
      ),
      { manageUnmarkedClients: false },
      new Ownership('okta', async () => ({ apiToken: OKTA_TOKEN })),
    );

  const oktaClient = (clientName: string): NewClient => ({
    clientName,
    description: '',
    redirectUris: [],
    grantTypes: ['client_credentials'],
    responseTypes: [],
    scopes: [],
    tokenEndpointAuthMethod: 'client_secret_basic',
    konnect: { developerId: 'd4b3a9b0-6c8e-4a4a-9d8e-1f1f1f1f1f1f' },
  });

  const orphanCounts = () => blobsWith(output.text(), 'OrphanedClients').map((blob) => blob.members);

  it('Okta: a half-created client that cannot be removed is logged by id and counted once', async () => {
    okta.inject('create', { omitSecret: true });
    okta.inject('delete', { status: 500, body: oktaError('E0000009', 'Internal Server Error') });

    const error = await bridgeErrorOf(oktaAdapter().createClient(oktaClient('Orphan'), operationWithin(3000)));

    expect(error.statusCode).toBe(502);
    const orphan = output.lines().find((line) => String(line.message).startsWith('Orphaned client at Okta'));
    expect(orphan?.client_id).toEqual(expect.stringMatching(/^0oa/));
    expect(orphanCounts()).toEqual([{ service: 'dcr-bridge', IdpType: 'okta', OrphanedClients: 1 }]);
    await oktaAdapter().deleteClient(String(orphan?.client_id), operationWithin(3000));
  });

  it('Okta: a lost create it could not look for is logged by name and counted once', async () => {
    okta.inject('create', { hang: true });
    okta.inject('list', { status: 500, body: oktaError('E0000009', 'Internal Server Error') });

    const error = await bridgeErrorOf(oktaAdapter().createClient(oktaClient('Unchecked'), operationWithin(700)));

    expect(error.statusCode).toBe(504);
    expect(output.text()).toContain('Orphaned client possible at Okta');
    expect(orphanCounts()).toEqual([{ service: 'dcr-bridge', IdpType: 'okta', OrphanedClients: 1 }]);
  });

  it('every adapter reports orphans through functions/idp/orphans.ts, which logs and counts together', () => {
    const files = readdirSync(IDP_SOURCES, { recursive: true, encoding: 'utf8' }).filter((file) =>
      file.endsWith('.ts'),
    );
    const sources = new Map(files.map((file) => [file, readFileSync(join(IDP_SOURCES, file), 'utf8')]));
    // No adapter logs an orphan or counts one by itself: only the shared mechanism does both.
    for (const [file, source] of sources) {
      if (file === 'orphans.ts') continue;
      expect({ file, direct: /logger\.\w+\(\s*'Orphaned client|recordOrphanedClient\(/.test(source) }).toEqual({
        file,
        direct: false,
      });
    }
    // generic (2 + lost registration), okta (2), auth0 (2), entra (2), curity, keycloak.
    const calls = [...sources.values()].flatMap((source) => [...source.matchAll(/\b(reportOrphan|undoCreate)\(/g)]);
    expect(calls.length).toBeGreaterThanOrEqual(11);
  });
});
