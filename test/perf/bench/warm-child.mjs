// The warm figures, in one node process that plays a warm Lambda container (run with --expose-gc).
// argv: <bundle path>. env: the function's environment as deployed (IdP settings, secret ARNs and
// the registration table, served by loopback stand-ins), BENCH_CREATE_EVENT and BENCH_DELETE_EVENT
// (API Gateway events as JSON; the delete's client id is filled in), BENCH_DIRECT_BODY (what the
// bridge sends the IdP for that create), BENCH_IDP_TOKEN (the initial access token),
// BENCH_DIRECT_CLIENT (`fetch` or `node:http`: the HTTP client style of the bridge's IdP client),
// BENCH_WARMUP, BENCH_PAIRS, BENCH_HEAP_INVOCATIONS (run twice: to warm up, then measured); or only
// BENCH_ONLY_INVOCATIONS, for a profile of the handler alone.
// Reports on fd 3: {"createMs": [...], "directMs": [...], "storeMs": [...], "heapBefore",
// "heapRightAfter", "heapAfter", "maxRssKiB", "failures"}.
import { readFileSync, writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const env = process.env;
const createEvent = JSON.parse(env.BENCH_CREATE_EVENT);
const deleteEvent = JSON.parse(env.BENCH_DELETE_EVENT);
const directBody = env.BENCH_DIRECT_BODY;
const context = {
  awsRequestId: 'bench-warm',
  functionName: 'dcr-bridge-bench',
  functionVersion: '$LATEST',
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
  getRemainingTimeInMillis: () => 12_000,
};
let failures = 0;

/** One create through the handler, timed; then its delete (untimed). Lambda hands over a fresh event each time. */
async function create() {
  const event = structuredClone(createEvent);
  const startedAt = performance.now();
  const result = await handler(event, context);
  const elapsed = performance.now() - startedAt;
  if (result.statusCode !== 201) {
    failures += 1;
    return elapsed;
  }
  const clientId = JSON.parse(result.body).client_id;
  const removal = { ...structuredClone(deleteEvent), path: `/${clientId}`, pathParameters: { clientId } };
  if ((await handler(removal, context)).statusCode !== 204) failures += 1;
  return elapsed;
}

const idpHeaders = {
  accept: 'application/json',
  'content-type': 'application/json',
  authorization: `Bearer ${env.BENCH_IDP_TOKEN}`,
};
const http = process.getBuiltinModule('node:http');
// As an IdP client on node:http would hold its connections: one keep-alive agent.
const agent = new http.Agent({ keepAlive: true });
const table = new DynamoDBClient({});

/** One HTTP exchange with the client style the bridge uses; resolves to { status, body }. */
function exchange(url, method, headers, body) {
  if (env.BENCH_DIRECT_CLIENT === 'fetch') {
    return fetch(url, { method, headers, body }).then(async (response) => ({
      status: response.status,
      body: await response.text(),
    }));
  }
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * What a create must do whatever the code around it, timed apart: the same registration sent
 * directly to the IdP, then the registration record put through the same DynamoDB client. Then
 * both removed again (untimed).
 */
async function direct() {
  const startedAt = performance.now();
  const answer = await exchange(env.IDP_REGISTRATION_ENDPOINT, 'POST', idpHeaders, directBody);
  const client = JSON.parse(answer.body);
  const directElapsed = performance.now() - startedAt;
  const storeStartedAt = performance.now();
  await table.send(
    new PutItemCommand({
      TableName: env.REGISTRATION_TABLE_NAME,
      Item: {
        clientId: { S: client.client_id },
        registrationClientUri: { S: client.registration_client_uri },
        registrationAccessToken: { S: client.registration_access_token },
        version: { N: '1' },
        updatedAt: { S: new Date().toISOString() },
      },
      ConditionExpression: 'attribute_not_exists(clientId)',
    }),
  );
  const storeElapsed = performance.now() - storeStartedAt;
  await table.send(
    new DeleteItemCommand({ TableName: env.REGISTRATION_TABLE_NAME, Key: { clientId: { S: client.client_id } } }),
  );
  const removal = await exchange(client.registration_client_uri, 'DELETE', {
    authorization: `Bearer ${client.registration_access_token}`,
  });
  if (answer.status !== 201 || removal.status !== 204) failures += 1;
  return [directElapsed, storeElapsed];
}

/**
 * heapUsed after full GCs. Each GC is followed by a turn of the event loop, so that
 * FinalizationRegistry callbacks (AbortSignal.any and AbortSignal.timeout register every signal)
 * run and release their cells before the next GC.
 */
async function heapNow() {
  for (let round = 0; round < 3; round += 1) {
    globalThis.gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  globalThis.gc();
  return process.memoryUsage().heapUsed;
}

/**
 * The heap once every request's deadline timers have fired: each IdP call arms timers for
 * IDP_TIMEOUT_MS (AbortSignal.timeout), and they hold their request's signals until then.
 */
async function settledHeap() {
  await new Promise((resolve) => setTimeout(resolve, Number(env.IDP_TIMEOUT_MS ?? 8000) + 1000));
  return heapNow();
}

async function invocations(count) {
  for (let i = 0; i < count / 2; i += 1) await create();
}

// Profiling run: creates and deletes only, so the profile shows the handler's work alone.
if (env.BENCH_ONLY_INVOCATIONS) {
  await invocations(Number(env.BENCH_ONLY_INVOCATIONS));
  writeSync(3, JSON.stringify({ failures }));
  process.exit(0);
}

for (let i = 0; i < Number(env.BENCH_WARMUP); i += 1) {
  await create();
  await direct();
}

// Interleaved, alternating which goes first, so drift and connection reuse treat both alike.
const createMs = [];
const directMs = [];
const storeMs = [];
const recordDirect = ([idp, store]) => {
  directMs.push(idp);
  storeMs.push(store);
};
for (let i = 0; i < Number(env.BENCH_PAIRS); i += 1) {
  if (i % 2 === 0) {
    createMs.push(await create());
    recordDirect(await direct());
  } else {
    recordDirect(await direct());
    createMs.push(await create());
  }
}

// Every create is deleted again, so the registration table ends as empty as it began.
// A first round at the same pace grows Node's internal tables (timers, signals, finalization
// cells) to their size for that pace; the heap is compared over the second round.
const heap = {};
const heapInvocations = Number(env.BENCH_HEAP_INVOCATIONS);
if (heapInvocations > 0) {
  await invocations(heapInvocations);
  heap.heapBefore = await settledHeap();
  await invocations(heapInvocations);
  heap.heapRightAfter = await heapNow();
  heap.heapAfter = await settledHeap();
}

writeSync(3, JSON.stringify({ createMs, directMs, storeMs, ...heap, maxRssKiB: peakRssKiB(), failures }));
process.exit(0);

/**
 * Peak RSS of this process in KiB. VmHWM, because getrusage's maxRSS survives exec on Linux and
 * would report the (larger) bench process that spawned this one.
 */
function peakRssKiB() {
  const status = readFileSync('/proc/self/status', 'utf8').match(/VmHWM:\s+(\d+)/);
  return status ? Number(status[1]) : process.resourceUsage().maxRSS;
}
