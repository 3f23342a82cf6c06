import net from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { localLambdaContext } from '../../bin/local/lambda-context';
import { loadBridge } from '../../functions/bridge/bridge-dependencies';
import { createBridgeHandler } from '../../functions/bridge/create-bridge-handler';
import { remainingCallMs, withinDeadline } from '../../functions/idp/idp-adapter';
import { DynamoDbRegistrationStore, StoreCallTimeoutError } from '../../functions/store/dynamodb-registration-store';
import { captureOutputPerTest } from '../support/captured-output';
import { apiGatewayEvent } from '../unit/support/api-gateway';
import { type LoopbackServer, sendJson, startLoopbackServer } from '../unit/support/loopback-server';

const KEY = 'dynamodb_budget_key_0001';
const TABLE = 'registrations';

/** A DynamoDB endpoint that accepts connections and never answers (a network black hole). */
async function startSilentServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** How long `promise` took to settle, and its rejection. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = Date.now();
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  return { ms: Date.now() - started, error };
}

describe('a DynamoDB call that never answers is abandoned within the budget (issue 9 finding 6)', () => {
  const output = captureOutputPerTest();
  let silent: Awaited<ReturnType<typeof startSilentServer>>;
  let client: DynamoDBClient;
  let idp: LoopbackServer;

  beforeAll(async () => {
    silent = await startSilentServer();
    // The real SDK client, as the bridge builds it, pointed at the black hole.
    client = new DynamoDBClient({
      endpoint: silent.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    idp = await startLoopbackServer();
  });

  afterAll(async () => {
    client?.destroy();
    await silent?.close();
    await idp?.close();
  });

  it('gives up at the time limit the store is given', async () => {
    const store = new DynamoDbRegistrationStore(TABLE, client, { callTimeoutMs: () => 300 });

    const { ms, error } = await timed(store.get('client-1'));

    expect(error).toBeInstanceOf(StoreCallTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(800);
    expect(silent.connections()).toBeGreaterThan(0);
  });

  it("ends with the request's deadline when wired as the bridge wires it (remainingCallMs)", async () => {
    const store = new DynamoDbRegistrationStore(TABLE, client, { callTimeoutMs: remainingCallMs });

    const { ms, error } = await timed(withinDeadline(400, () => store.create(record('client-2'))));

    expect(error).toBeInstanceOf(StoreCallTimeoutError);
    expect(ms).toBeLessThan(400 + 400);
  });

  it('through the handler: the create is undone at the IdP and answered 503 before the Lambda timeout', async () => {
    let issued = 0;
    idp.handle((request, response) => {
      if (request.method === 'DELETE') {
        response.writeHead(204).end();
        return;
      }
      issued += 1;
      sendJson(response, 201, {
        client_id: `budget-client-${issued}`,
        client_secret: `budget-secret-${issued}`,
        registration_access_token: `budget-rat-${issued}`,
        registration_client_uri: `${idp.url}/reg/budget-client-${issued}`,
      });
    });
    // Read by the SDK client the bridge builds (the stack sets no endpoint; AWS's is found the same way).
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_DYNAMODB: silent.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    const idpTimeoutMs = 1000;
    const handler = createBridgeHandler(() =>
      loadBridge({
        IDP_REGISTRATION_ENDPOINT: `${idp.url}/reg`,
        IDP_TIMEOUT_MS: String(idpTimeoutMs),
        REGISTRATION_TABLE_NAME: TABLE,
        KONNECT_API_KEYS: KEY,
      }),
    );
    const event = apiGatewayEvent({
      resource: '/',
      httpMethod: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-KEY': KEY },
      body: JSON.stringify({ client_name: 'Budget app', grant_types: ['client_credentials'] }),
    });

    const started = Date.now();
    const result = await handler(event, localLambdaContext(idpTimeoutMs + 4000));
    const elapsed = Date.now() - started;

    expect(result.statusCode).toBe(503);
    expect(JSON.parse(result.body)).toEqual({
      error: 'service_unavailable',
      error_description: 'The bridge could not record the new client, so it removed it again; retry.',
    });
    // Abandoned at the request's deadline; before, the SDK waited for DynamoDB indefinitely.
    expect(elapsed).toBeLessThan(idpTimeoutMs + 500);
    expect(idp.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'POST /reg',
      'DELETE /reg/budget-client-1',
    ]);
    expect(output.text()).not.toContain('budget-rat-1');
  });
});

const record = (clientId: string) => ({
  clientId,
  registrationClientUri: `https://idp.example.com/reg/${clientId}`,
  registrationAccessToken: 'rat',
});
