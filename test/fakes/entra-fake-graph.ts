import type http from 'node:http';
import type { LoopbackHandler, RecordedRequest } from '../unit/support/loopback-server';
import { applicationView, type FakeApplication, type FakeDirectory } from './entra-fake-directory';
import type { EntraOperation, Injections } from './entra-fake-injections';
import { sendGraph, sendGraphError } from './entra-fake-responses';
import { applicationBodyProblem } from './entra-fake-validation';

interface GraphContext {
  directory: FakeDirectory;
  injections: Injections;
  /** The resource Graph tokens must be issued for (`{graph}/.default` without `/.default`). */
  resource: string;
  calls: string[];
}

type Reply = (status: number, body?: unknown) => void;
type Fail = (status: number, code: string, message: string, details?: Record<string, unknown>[]) => void;

interface Call {
  method: string;
  url: URL;
  body: Record<string, unknown>;
  reply: Reply;
  fail: Fail;
}

const NOT_FOUND = (key: string) =>
  `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`;
const DENIED = 'Insufficient privileges to complete the operation.';

// GET /applications/{id} or GET /applications(appId='{appId}'): https://learn.microsoft.com/graph/api/application-get
const APPLICATION_PATH = /^\/applications(?:\/([^/(]+)|\(appId='([^']*)'\))(?:\/(addPassword|removePassword))?$/;
const PRINCIPAL_PATH = /^\/servicePrincipals(?:\/([^/(]+)|\(appId='([^']*)'\))$/;
const DELETED_ITEM_PATH = /^\/directory\/deletedItems\/([^/]+)$/;

/** Microsoft Graph v1.0, the application and service principal calls the bridge makes. */
export function graphHandler(context: GraphContext): LoopbackHandler {
  return (request, response) => {
    const url = new URL(request.url, 'http://graph.local');
    context.calls.push(`${request.method} ${url.pathname}`);
    const fail: Fail = (status, code, message, details) =>
      sendGraphError(response, status, code, message, { ...(details && { details }) });
    // https://learn.microsoft.com/graph/versioning-and-support: v1.0 and beta only.
    if (!url.pathname.startsWith('/v1.0/'))
      return fail(400, 'BadRequest', `Invalid version: ${url.pathname.split('/')[1]}`);
    const refusal = authorizationProblem(context, request);
    if (refusal) return fail(...refusal);
    const body = jsonBody(request);
    if (typeof body === 'string') return fail(400, 'BadRequest', body);
    const path = url.pathname.slice('/v1.0'.length);
    const route = routeOf(request.method, path);
    if (!route) return fail(400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1]}'.`);
    const call: Call = {
      method: request.method,
      url,
      body,
      reply: (status, payload) => sendGraph(response, status, payload),
      fail,
    };
    play(context, route.operation, response, call, (played) => route.run(context, played, route.match));
  };
}

/** Runs an operation, or an injected failure in its place (after its effect, if so injected). */
function play(
  context: GraphContext,
  operation: EntraOperation,
  response: http.ServerResponse,
  call: Call,
  run: (call: Call) => void,
) {
  const injection = context.injections.take(operation);
  if (!injection) return run(call);
  // The effect happens, its answer is lost: the caller only sees the injected failure.
  if (injection.afterEffect) run({ ...call, reply: () => {}, fail: () => {} });
  context.injections.answer(injection, response);
}

/**
 * Bearer token checks: https://learn.microsoft.com/graph/auth-v2-service (app-only tokens for
 * `{graph}/.default`), 401 InvalidAuthenticationToken / 403 Authorization_RequestDenied per
 * https://learn.microsoft.com/graph/errors.
 */
function authorizationProblem(context: GraphContext, request: RecordedRequest): Parameters<Fail> | undefined {
  const header = request.headers.authorization ?? '';
  if (!header.startsWith('Bearer ') || header.length === 'Bearer '.length) {
    return [401, 'InvalidAuthenticationToken', 'Access token is empty.'];
  }
  const token = context.directory.tokens.get(header.slice('Bearer '.length));
  if (!token || token.expiresAt < Date.now()) {
    return [401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience or expired token.'];
  }
  if (token.resource !== context.resource) {
    return [401, 'InvalidAuthenticationToken', 'Access token validation failure. Invalid audience.'];
  }
  if (token.clientId !== context.directory.admin.clientId) return [403, 'Authorization_RequestDenied', DENIED];
  return undefined;
}

/** Write requests must declare JSON; the body must parse. */
function jsonBody(request: RecordedRequest): Record<string, unknown> | string {
  if (request.method !== 'POST' && request.method !== 'PATCH') return {};
  if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
    return 'Write requests (excluding DELETE) must contain the Content-Type header declaration.';
  }
  try {
    const body: unknown = JSON.parse(request.body || 'null');
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body as Record<string, unknown>;
  } catch {
    // Falls through to Graph's answer for a body it cannot read.
  }
  return 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.';
}

interface Route {
  operation: EntraOperation;
  match: RegExpMatchArray;
  run: (context: GraphContext, call: Call, match: RegExpMatchArray) => void;
}

function routeOf(method: string, path: string): Route | undefined {
  const route = (operation: EntraOperation, match: RegExpMatchArray, run: Route['run']) => ({ operation, match, run });
  if (path === '/applications') {
    if (method === 'POST') return route('createApplication', [path], createApplication);
    if (method === 'GET') return route('listApplications', [path], listApplications);
  }
  const app = path.match(APPLICATION_PATH);
  if (app) {
    if (app[3] === 'addPassword' && method === 'POST') return route('addPassword', app, addPassword);
    if (app[3] === 'removePassword' && method === 'POST') return route('removePassword', app, removePassword);
    if (!app[3] && method === 'GET') return route('getApplication', app, getApplication);
    if (!app[3] && method === 'PATCH') return route('updateApplication', app, updateApplication);
    if (!app[3] && method === 'DELETE') return route('deleteApplication', app, deleteApplication);
  }
  if (path === '/servicePrincipals' && method === 'POST') {
    return route('createServicePrincipal', [path], createServicePrincipal);
  }
  const principal = path.match(PRINCIPAL_PATH);
  if (principal && method === 'DELETE') return route('deleteServicePrincipal', principal, deleteServicePrincipal);
  const deleted = path.match(DELETED_ITEM_PATH);
  if (deleted && method === 'DELETE') return route('purgeDeletedItem', deleted, purgeDeletedItem);
  return undefined;
}

/** The application addressed by object id (group 1) or appId alternate key (group 2). */
function addressed(context: GraphContext, match: RegExpMatchArray): { key: string; app?: FakeApplication } {
  const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  const appId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  const app = id === undefined ? context.directory.findByAppId(appId ?? '') : context.directory.applications.get(id);
  return { key: id ?? appId ?? '', app };
}

/** $select: only the named properties (and the id) come back. */
function selected(view: Record<string, unknown>, url: URL): Record<string, unknown> {
  const select = url.searchParams.get('$select');
  if (!select) return view;
  const names = new Set(['id', ...select.split(',').map((name) => name.trim())]);
  return Object.fromEntries(Object.entries(view).filter(([name]) => names.has(name)));
}

// https://learn.microsoft.com/graph/api/application-post-applications: 201 with the application.
function createApplication(context: GraphContext, call: Call) {
  const problem = applicationBodyProblem(call.body, { creating: true });
  if (problem) return call.fail(400, 'Request_BadRequest', problem);
  const app = context.directory.createApplication(call.body, context.directory.admin.clientId);
  call.reply(201, applicationView(app));
}

// https://learn.microsoft.com/graph/api/application-list: $filter on tags supports any().
function listApplications(context: GraphContext, call: Call) {
  const filter = call.url.searchParams.get('$filter') ?? '';
  const tag = filter.match(/^tags\/any\((\w+):\1 eq '([^']*)'\)$/)?.[2];
  if (filter && tag === undefined)
    return call.fail(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified.');
  const apps = [...context.directory.applications.values()].filter(
    (app) => tag === undefined || app.tags.includes(tag),
  );
  call.reply(200, { value: apps.map((app) => selected(applicationView(app), call.url)) });
}

function getApplication(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const { key, app } = addressed(context, match);
  if (!app) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  call.reply(200, selected(applicationView(app), call.url));
}

// https://learn.microsoft.com/graph/api/application-update: 204 No Content.
function updateApplication(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const { key, app } = addressed(context, match);
  if (!app) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  if (!context.directory.mayManage(app)) return call.fail(403, 'Authorization_RequestDenied', DENIED);
  const problem = applicationBodyProblem(call.body, { creating: false });
  if (problem) return call.fail(400, 'Request_BadRequest', problem);
  const { web, publicClient, ...rest } = call.body as {
    web?: Record<string, unknown>;
    publicClient?: Record<string, unknown>;
  };
  Object.assign(app, rest);
  if (web) app.web = { ...app.web, ...web } as FakeApplication['web'];
  if (publicClient) app.publicClient = { ...app.publicClient, ...publicClient } as FakeApplication['publicClient'];
  call.reply(204);
}

// https://learn.microsoft.com/graph/api/application-delete: 204; the app moves to deleted items.
function deleteApplication(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const { key, app } = addressed(context, match);
  if (!app) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  if (!context.directory.mayManage(app)) return call.fail(403, 'Authorization_RequestDenied', DENIED);
  context.directory.deleteApplication(app);
  call.reply(204);
}

// https://learn.microsoft.com/graph/api/application-addpassword: 200 with secretText, the only time.
function addPassword(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const { key, app } = addressed(context, match);
  if (!app) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  // Directory replication: a just-created application is not visible to this call yet.
  if (app.pendingReplication.addPassword > 0) {
    app.pendingReplication.addPassword -= 1;
    return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  }
  if (!context.directory.mayManage(app)) return call.fail(403, 'Authorization_RequestDenied', DENIED);
  const credential = (call.body.passwordCredential ?? {}) as { displayName?: unknown; endDateTime?: unknown };
  const end = credential.endDateTime;
  if (end !== undefined && (typeof end !== 'string' || Number.isNaN(Date.parse(end)) || Date.parse(end) < Date.now())) {
    return call.fail(
      400,
      'Request_BadRequest',
      "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.",
    );
  }
  call.reply(200, context.directory.addPassword(app, credential));
}

// https://learn.microsoft.com/graph/api/application-removepassword: keyId required, 204.
function removePassword(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const { key, app } = addressed(context, match);
  if (typeof call.body.keyId !== 'string') return call.fail(400, 'Request_BadRequest', "Property 'keyId' is required.");
  if (!app) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(key));
  if (!context.directory.mayManage(app)) return call.fail(403, 'Authorization_RequestDenied', DENIED);
  const index = app.passwordCredentials.findIndex((password) => password.keyId === call.body.keyId);
  if (index < 0) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(String(call.body.keyId)));
  app.passwordCredentials.splice(index, 1);
  call.reply(204);
}

/**
 * https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals: 201. Right after the
 * application's create, Graph answers 400 NoBackingApplicationObject ("does not reference a valid
 * application object"), as reported in https://learn.microsoft.com/answers/questions/5883620.
 */
function createServicePrincipal(context: GraphContext, call: Call) {
  const appId = call.body.appId;
  if (typeof appId !== 'string') return call.fail(400, 'Request_BadRequest', "Property 'appId' is required.");
  const app = context.directory.findByAppId(appId);
  const noBacking = `The appId '${appId}' of the service principal does not reference a valid application object.`;
  const details = [{ code: 'NoBackingApplicationObject', message: noBacking, target: 'appId' }];
  if (!app) return call.fail(400, 'Request_BadRequest', noBacking, details);
  if (app.pendingReplication.servicePrincipal > 0) {
    app.pendingReplication.servicePrincipal -= 1;
    return call.fail(400, 'Request_BadRequest', noBacking, details);
  }
  if (!context.directory.mayManage(app)) return call.fail(403, 'Authorization_RequestDenied', DENIED);
  if (context.directory.servicePrincipalOf(appId)) {
    return call.fail(
      409,
      'Request_MultipleObjectsWithSameKeyValue',
      'Another object with the same value for property servicePrincipalNames already exists.',
    );
  }
  const principal = context.directory.createServicePrincipal(appId);
  call.reply(201, {
    ...principal,
    appDisplayName: app.displayName,
    servicePrincipalType: 'Application',
    accountEnabled: true,
  });
}

// https://learn.microsoft.com/graph/api/serviceprincipal-delete: by id or appId, 204.
function deleteServicePrincipal(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const id = match[1] === undefined ? undefined : decodeURIComponent(match[1]);
  const appId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
  const principal =
    id === undefined ? context.directory.servicePrincipalOf(appId ?? '') : context.directory.servicePrincipals.get(id);
  if (!principal) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(id ?? appId ?? ''));
  context.directory.servicePrincipals.delete(principal.id);
  call.reply(204);
}

// https://learn.microsoft.com/graph/api/directory-deleteditems-delete: permanently delete, 204.
function purgeDeletedItem(context: GraphContext, call: Call, match: RegExpMatchArray) {
  const id = decodeURIComponent(match[1] ?? '');
  if (!context.directory.deletedItems.delete(id)) return call.fail(404, 'Request_ResourceNotFound', NOT_FOUND(id));
  call.reply(204);
}
