import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import dynalite from 'dynalite';
import { type EmbeddedIdp, startEmbeddedIdp } from '../../bin/local/embedded-idp';
import { HttpClient } from '../../functions/commons/http-client';
import { GenericDcrAdapter } from '../../functions/idp/generic/generic-adapter';
import { IdpEndpointResolver } from '../../functions/idp/generic/idp-endpoints';
import { type NewClient, operationWithin } from '../../functions/idp/idp-adapter';
import { MemoryRegistrationStore } from '../../functions/store/memory-registration-store';
import { type BridgeAnswer, callBridge, requestToken } from '../support/konnect-client';
import { startTestBridge, type TestBridge } from '../support/local-bridge';
import { bridgeErrorOf } from '../unit/support/bridge-error-of';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy';
import { startTcpGate, type TcpGate } from './support/tcp-gate';

const KEY = 'store_faults_key_000001';
const TABLE = 'registrations';

/**
 * The real handler with the production store (DynamoDB, played by dynalite on a loopback port)
 * and a real RFC 7592 IdP (the embedded oidc-provider, which rotates the secret and the
 * registration access token on every update) behind a fault proxy that can hold a request.
 */
describe('Registration store faults: conflicts and unavailability', () => {
  let table: Server;
  /** Between the bridge and the table: closing it makes the store unreachable. */
  let gate: TcpGate;
  let dynamo: DynamoDBClient;
  let idp: EmbeddedIdp;
  let proxy: FaultProxy;
  let bridge: TestBridge;

  beforeAll(async () => {
    table = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolve) => table.listen(0, '127.0.0.1', resolve));
    const tableUrl = `http://127.0.0.1:${(table.address() as AddressInfo).port}`;
    gate = await startTcpGate((table.address() as AddressInfo).port);
    dynamo = new DynamoDBClient({
      endpoint: tableUrl,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await dynamo.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    idp = await startEmbeddedIdp();
    proxy = await startFaultProxy(idp.issuer);
    bridge = await startTestBridge([KEY], {
      IDP_REGISTRATION_ENDPOINT: `${proxy.url}/reg`,
      IDP_INITIAL_ACCESS_TOKEN: idp.initialAccessToken,
      IDP_SECRET_ROTATION: 'update',
      IDP_TIMEOUT_MS: '5000',
      REGISTRATION_TABLE_NAME: TABLE,
      // The bridge's own DynamoDB client finds dynalite the way any SDK client finds an endpoint.
      AWS_ENDPOINT_URL_DYNAMODB: gate.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });

  afterAll(async () => {
    await bridge?.stop();
    await proxy?.close();
    await idp?.close();
    dynamo?.destroy();
    await gate?.dispose();
    await new Promise<void>((resolve) => (table ? table.close(() => resolve()) : resolve()));
  });

  const stopTable = () => gate.close();
  const startTable = () => gate.open();

  const call = (method: 'POST' | 'DELETE', path: string, json?: unknown) =>
    callBridge(bridge.local.bridgeUrl, method, path, { key: KEY, json });
  const create = () => call('POST', '/', { client_name: 'Store app', grant_types: ['client_credentials'] });
  const rotate = (clientId: string) => call('POST', `/${clientId}/new-secret`);
  const remove = (clientId: string) => call('DELETE', `/${clientId}`);

  async function created(): Promise<{ clientId: string; secret: string }> {
    const answer = await create();
    expect(answer.status).toBe(201);
    return { clientId: String(answer.body.client_id), secret: String(answer.body.client_secret) };
  }

  const storedItem = async (clientId: string) =>
    (
      await dynamo.send(
        new GetItemCommand({ TableName: TABLE, Key: { clientId: { S: clientId } }, ConsistentRead: true }),
      )
    ).Item;

  /** What a container that died mid-operation leaves behind: a lease on the item. */
  const setLease = (clientId: string, until: number) =>
    dynamo.send(
      new UpdateItemCommand({
        TableName: TABLE,
        Key: { clientId: { S: clientId } },
        UpdateExpression: 'SET leasedUntil = :until',
        ExpressionAttributeValues: { ':until': { N: String(until) } },
      }),
    );

  /** Holds the next request for this client's RFC 7592 URI at the proxy until `release()`. */
  function holdNext(method: string, clientId: string) {
    let release = () => {};
    const until = new Promise<void>((resolve) => {
      release = resolve;
    });
    proxy.inject(method, new RegExp(`^/reg/${clientId}$`), { kind: 'hold', until });
    return release;
  }

  /** Waits until the proxy has received `count` calls matching `call`; bounded. */
  async function proxyReceived(call: string, count = 1): Promise<void> {
    for (let waited = 0; waited < 5000; waited += 10) {
      if (proxy.calls.filter((seen) => seen === call).length >= count) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`the proxy never received ${call}`);
  }

  const expectConflict = (answer: BridgeAnswer, clientId: string) => {
    expect(answer.status).toBe(409);
    expect(Object.keys(answer.body).sort()).toEqual(['error', 'error_description']);
    expect(answer.body.error).toBe('conflict');
    expect(answer.body.error_description).toContain(clientId);
    expect(answer.body.error_description).toContain('retry');
  };

  describe('two operations on one client at once', () => {
    // Through the real wiring: the DynamoDB store that bridge-dependencies builds must lease.
    it('two rotations: exactly one reaches the IdP and succeeds, the other gets 409; the stored RAT stays the honoured one', async () => {
      const { clientId, secret: original } = await created();
      const calls = proxy.calls.length;
      const releaseFirst = holdNext('GET', clientId);

      const first = rotate(clientId);
      // The first rotation holds the client (its lease is written) and is now at the IdP.
      await proxyReceived(`GET /reg/${clientId}`);
      const second = await rotate(clientId);
      releaseFirst();
      const winner = await first;

      expect(winner.status).toBe(200);
      expectConflict(second, clientId);
      // One read and one update reached the IdP: the refused rotation sent nothing.
      expect(proxy.calls.slice(calls)).toEqual([`GET /reg/${clientId}`, `PUT /reg/${clientId}`]);
      // The IdP honours the winner's secret, and only that one.
      const newSecret = String(winner.body.client_secret);
      expect((await requestToken(idp.tokenEndpoint, clientId, newSecret)).status).toBe(200);
      expect((await requestToken(idp.tokenEndpoint, clientId, original)).status).toBe(401);
      // The lease is gone, and the stored RAT is the one the IdP honours: the next operations work.
      expect(await storedItem(clientId)).not.toHaveProperty('leasedUntil');
      const again = await rotate(clientId);
      expect(again.status).toBe(200);
      expect((await requestToken(idp.tokenEndpoint, clientId, String(again.body.client_secret))).status).toBe(200);
      expect((await remove(clientId)).status).toBe(204);
      expect(await idp.findClient(clientId)).toBeUndefined();
    });

    it('a delete during a rotation gets 409 and leaves nothing behind once retried', async () => {
      const clientsBefore = idp.clientCount();
      const { clientId } = await created();
      const releaseRotation = holdNext('GET', clientId);

      const rotation = rotate(clientId);
      await proxyReceived(`GET /reg/${clientId}`);
      const deleteDuring = await remove(clientId);
      releaseRotation();

      expectConflict(deleteDuring, clientId);
      expect((await rotation).status).toBe(200);
      // Konnect retries the delete: the rotated RAT was stored, so it works.
      expect((await remove(clientId)).status).toBe(204);
      expect(idp.clientCount()).toBe(clientsBefore);
      expect(await storedItem(clientId)).toBeUndefined();
    });

    it('the lease covers the request deadline plus a margin, and one left by a dead container only blocks until it expires', async () => {
      const { clientId } = await created();
      const releaseRotation = holdNext('GET', clientId);
      const rotation = rotate(clientId);
      await proxyReceived(`GET /reg/${clientId}`);
      const leasedUntil = Number((await storedItem(clientId))?.leasedUntil?.N);
      // The request's IdP deadline is 5 s; the lease ends at most 5 s after it.
      expect(leasedUntil).toBeGreaterThan(Date.now() + 4000);
      expect(leasedUntil).toBeLessThanOrEqual(Date.now() + 10_000);
      releaseRotation();
      expect((await rotation).status).toBe(200);

      // A container died holding the client: refused until the lease's time is up, then served.
      await setLease(clientId, Date.now() + 60_000);
      const calls = proxy.calls.length;
      expectConflict(await rotate(clientId), clientId);
      expect(proxy.calls.slice(calls)).toEqual([]);
      await setLease(clientId, Date.now() - 1);
      expect((await rotate(clientId)).status).toBe(200);
      expect((await remove(clientId)).status).toBe(204);
    });
  });

  describe('the adapter with the in-memory store (npm start, the load test)', () => {
    it('two rotations at once: one wins, the other is refused with 409 before it reaches the IdP', async () => {
      const http = new HttpClient({ idpName: 'generic', callTimeoutMs: 5000 });
      const endpoints = new IdpEndpointResolver({ registrationEndpoint: `${proxy.url}/reg` }, http, 'generic');
      const store = new MemoryRegistrationStore();
      const adapter = new GenericDcrAdapter(
        { name: 'generic', secretRotation: 'update' },
        http,
        endpoints,
        store,
        async () => ({
          initialAccessToken: idp.initialAccessToken,
        }),
      );
      const newClient: NewClient = {
        clientName: 'Memory store app',
        description: '',
        redirectUris: [],
        grantTypes: ['client_credentials'],
        responseTypes: [],
        scopes: [],
        tokenEndpointAuthMethod: 'client_secret_basic',
        konnect: {},
      };
      const { clientId } = await adapter.createClient(newClient, operationWithin(5000));
      const calls = proxy.calls.length;
      const releaseFirst = holdNext('GET', clientId);

      const first = adapter.rotateSecret(clientId, operationWithin(5000));
      await proxyReceived(`GET /reg/${clientId}`);
      const refused = await bridgeErrorOf(adapter.rotateSecret(clientId, operationWithin(5000)));
      releaseFirst();
      const rotated = await first;

      expect(refused).toMatchObject({ statusCode: 409, error: 'conflict' });
      expect(proxy.calls.slice(calls)).toEqual([`GET /reg/${clientId}`, `PUT /reg/${clientId}`]);
      expect((await requestToken(idp.tokenEndpoint, clientId, rotated.clientSecret)).status).toBe(200);
      expect(await store.get(clientId)).not.toHaveProperty('leasedUntil');
      await adapter.deleteClient(clientId, operationWithin(5000));
      expect(await idp.findClient(clientId)).toBeUndefined();
    });
  });

  describe('the store is unavailable', () => {
    it('create: the client made at the IdP is removed again, and the answer is 503', async () => {
      const clientsBefore = idp.clientCount();
      const calls = proxy.calls.length;
      await stopTable();
      let answer: BridgeAnswer;
      try {
        answer = await create();
      } finally {
        await startTable();
      }

      expect(answer.status).toBe(503);
      expect(answer.body.error).toBe('service_unavailable');
      expect(answer.body.error_description).toContain('removed it again');
      expect(proxy.calls.slice(calls)).toEqual(['POST /reg', expect.stringMatching(/^DELETE \/reg\/.+/)]);
      expect(idp.clientCount()).toBe(clientsBefore);
      expect(bridge.output.text()).toContain('Removed a half-created client');
    });

    it('rotate, delete and event hooks: 503 before anything reaches the IdP, and all work again once it is back', async () => {
      const { clientId } = await created();
      const calls = proxy.calls.length;
      await stopTable();
      const answers: BridgeAnswer[] = [];
      try {
        answers.push(await rotate(clientId));
        answers.push(await remove(clientId));
        answers.push(
          await call('POST', `/${clientId}/event-hook`, {
            event_type: 'update_application',
            client_id: clientId,
            redirect_uris: ['https://app.example.com/cb'],
          }),
        );
        answers.push(
          await call('POST', `/${clientId}/event-hook`, {
            event_type: 'add_registration',
            client_id: clientId,
            api_product_version_id: 'apv-1',
          }),
        );
      } finally {
        await startTable();
      }

      for (const answer of answers) {
        expect(answer.status).toBe(503);
        expect(answer.body).toEqual({
          error: 'service_unavailable',
          error_description: 'The bridge could not reach its registration store; retry.',
        });
      }
      expect(proxy.calls.slice(calls)).toEqual([]);

      expect((await rotate(clientId)).status).toBe(200);
      expect((await remove(clientId)).status).toBe(204);
    });
  });

  it('never logs a registration access token or a client secret', () => {
    const logs = bridge.output.text();
    expect(logs).toContain('Request failed');
    for (const secret of idp.issuedSecrets()) expect(logs).not.toContain(secret);
  });
});
