import type { LoopbackHandler, RecordedRequest } from '../unit/support/loopback-server';
import type { FakeDirectory } from './entra-fake-directory';
import type { Injections } from './entra-fake-injections';
import { sendTokenError } from './entra-fake-responses';

interface LoginContext {
  directory: FakeDirectory;
  injections: Injections;
  /** Resources that exist in the tenant besides Graph, e.g. an API's `api://...` identifier URI. */
  resources: () => string[];
  graphResource: string;
  calls: string[];
}

/**
 * The v2.0 token endpoint, client credentials grant with a shared secret:
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * `POST /{tenant}/oauth2/v2.0/token`, form-encoded `client_id`, `client_secret` (or HTTP Basic,
 * "per RFC 6749 also supported"), `scope={resource}/.default`, `grant_type=client_credentials`.
 * Errors and AADSTS codes: https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export function loginHandler(context: LoginContext): LoopbackHandler {
  return (request, response) => {
    const url = new URL(request.url, 'http://login.local');
    context.calls.push(`${request.method} ${url.pathname}`);
    const injection = context.injections.take('token');
    if (injection) return context.injections.answer(injection, response);
    const tenant = url.pathname.match(/^\/([^/]+)\/oauth2\/v2\.0\/token$/)?.[1];
    if (request.method !== 'POST' || tenant === undefined) {
      return sendTokenError(response, 400, 'invalid_request', 900561, 'The endpoint only accepts POST requests.');
    }
    const { directory } = context;
    if (decodeURIComponent(tenant) !== directory.tenantId) {
      return sendTokenError(response, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    }
    const form = formOf(request);
    const missing = ['grant_type', 'client_id', 'scope'].find((name) => !form.get(name));
    if (missing) {
      return sendTokenError(
        response,
        400,
        'invalid_request',
        900144,
        `The request body must contain the following parameter: '${missing}'.`,
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return sendTokenError(
        response,
        400,
        'unsupported_grant_type',
        70003,
        'The app requested an unsupported grant type.',
      );
    }
    const scope = form.get('scope') ?? '';
    if (!scope.endsWith('/.default') || scope.includes(' ')) {
      return sendTokenError(
        response,
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
      );
    }
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret');
    const refusal = clientRefusal(directory, clientId, secret);
    if (refusal) return sendTokenError(response, ...refusal);
    const resource = scope.slice(0, -'/.default'.length);
    if (resource !== context.graphResource && !context.resources().includes(resource)) {
      return sendTokenError(
        response,
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${directory.tenantId}.`,
      );
    }
    const body = JSON.stringify({
      token_type: 'Bearer',
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: directory.issueToken(clientId, resource),
    });
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store, no-cache',
    });
    response.end(body);
  };
}

/** Form parameters, with HTTP Basic client authentication folded in as client_id/client_secret. */
function formOf(request: RecordedRequest): URLSearchParams {
  const form = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(request.body)
    : new URLSearchParams();
  const basic = request.headers.authorization?.match(/^Basic (.+)$/)?.[1];
  if (basic) {
    const [id = '', secret = ''] = Buffer.from(basic, 'base64').toString('utf8').split(':');
    const decode = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    form.set('client_id', decode(id));
    form.set('client_secret', decode(secret));
  }
  return form;
}

/** Why this client gets no token: unknown (or without service principal), no secret, wrong or expired secret. */
function clientRefusal(
  directory: FakeDirectory,
  clientId: string,
  secret: string | null,
): [400 | 401, string, number, string] | undefined {
  const notFound: [400, string, number, string] = [
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId}' was not found in the directory '${directory.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
  ];
  if (!secret) {
    return [
      401,
      'invalid_client',
      7000216,
      "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.",
    ];
  }
  const wrongSecret: [401, string, number, string] = [
    401,
    'invalid_client',
    7000215,
    `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
  ];
  if (clientId === directory.admin.clientId) return secret === directory.admin.clientSecret ? undefined : wrongSecret;
  const app = directory.findByAppId(clientId);
  // Tokens are issued to the app's service principal in the tenant, not to the application object:
  // https://learn.microsoft.com/entra/identity-platform/app-objects-and-service-principals
  if (!app || !directory.servicePrincipalOf(clientId)) return notFound;
  const password = app.passwordCredentials.find((candidate) => candidate.secretText === secret);
  if (!password) return wrongSecret;
  if (Date.parse(password.endDateTime) < Date.now()) {
    return [401, 'invalid_client', 7000222, `The provided client secret keys for app '${clientId}' are expired.`];
  }
  return undefined;
}
