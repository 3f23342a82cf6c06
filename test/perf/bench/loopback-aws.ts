import { createSocket } from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** Dummy credentials and region: the loopback services below check no signature. */
export const LOOPBACK_AWS_ENV = {
  AWS_REGION: 'eu-central-1',
  AWS_DEFAULT_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'AKIABENCHBENCHBENCH0',
  AWS_SECRET_ACCESS_KEY: 'bench-secret-access-key',
  AWS_SESSION_TOKEN: 'bench-session-token',
} as const;

export interface LoopbackSecretsManager {
  /** For AWS_ENDPOINT_URL_SECRETS_MANAGER. */
  endpoint: string;
  /** The ARN under which each secret is served, by name. */
  arns: Record<string, string>;
  /** GetSecretValue calls answered so far. */
  reads(): number;
  close(): Promise<void>;
}

/**
 * The one Secrets Manager operation the bridge uses, GetSecretValue, in its JSON 1.1 protocol
 * (`x-amz-target: secretsmanager.GetSecretValue`, body `{"SecretId"}`), answered at once. The SDK
 * client reaches it through its endpoint override; nothing checks the signature.
 */
export async function startLoopbackSecretsManager(secrets: Record<string, string>): Promise<LoopbackSecretsManager> {
  const arn = (name: string) =>
    `arn:aws:secretsmanager:${LOOPBACK_AWS_ENV.AWS_REGION}:111122223333:secret:${name}-AbCdEf`;
  const byId = new Map<string, { name: string; value: string }>();
  for (const [name, value] of Object.entries(secrets)) {
    byId.set(name, { name, value });
    byId.set(arn(name), { name, value });
  }
  let reads = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const { SecretId } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { SecretId?: string };
      const secret = SecretId === undefined ? undefined : byId.get(SecretId);
      if (target !== 'secretsmanager.GetSecretValue') {
        return sendJson(res, 400, { __type: 'UnknownOperationException', message: `${target} is not served here` });
      }
      if (!secret) {
        return sendJson(res, 400, { __type: 'ResourceNotFoundException', message: 'Secrets Manager cannot find it.' });
      }
      reads += 1;
      sendJson(res, 200, {
        ARN: arn(secret.name),
        Name: secret.name,
        SecretString: secret.value,
        VersionId: '00000000-0000-4000-8000-000000000001',
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_767_225_600,
      });
    });
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    arns: Object.fromEntries(Object.keys(secrets).map((name) => [name, arn(name)])),
    reads: () => reads,
    close: () => close(server),
  };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': '00000000-0000-4000-8000-000000000002',
  });
  res.end(text);
}

export interface LoopbackDynamoDb {
  /** For AWS_ENDPOINT_URL_DYNAMODB. */
  endpoint: string;
  tableName: string;
  close(): Promise<void>;
}

/**
 * dynalite (a DynamoDB-compatible server, in memory) with the registration table as the stack
 * defines it (partition key `clientId`), created through the real SDK client.
 */
export async function startLoopbackDynamoDb(tableName: string): Promise<LoopbackDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const endpoint = await listen(server);
  const client = new DynamoDBClient({
    endpoint,
    region: LOOPBACK_AWS_ENV.AWS_REGION,
    credentials: { accessKeyId: LOOPBACK_AWS_ENV.AWS_ACCESS_KEY_ID, secretAccessKey: 'bench' },
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'clientId', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'clientId', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
  } finally {
    // Its keep-alive sockets would hold the server open on close.
    client.destroy();
  }
  return { endpoint, tableName, close: () => close(server) };
}

/**
 * Where the X-Ray SDK sends its segments in Lambda (AWS_XRAY_DAEMON_ADDRESS): a UDP socket that
 * drops them, so that a traced run pays for sending them as it would on Lambda.
 */
export async function startXrayDaemonSink(): Promise<{ address: string; datagrams(): number; close(): Promise<void> }> {
  const socket = createSocket('udp4');
  let datagrams = 0;
  socket.on('message', () => {
    datagrams += 1;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    datagrams: () => datagrams,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

async function listen(server: http.Server): Promise<string> {
  // Above every client's own keep-alive, so a warm loop never meets a closed socket.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: http.Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
