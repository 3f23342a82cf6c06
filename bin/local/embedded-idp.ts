/**
 * A real OAuth 2.0 authorization server (oidc-provider) for local mode and
 * integration tests: RFC 7591 registration, RFC 7592 management and the
 * client credentials grant, on its own loopback port, rotating the client
 * secret on every update the way Curity does.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdapterPayload, ClientMetadata, KoaContextWithOIDC } from 'oidc-provider';
import Provider from 'oidc-provider';
import { createMemoryAdapterFactory } from './embedded-idp-adapter';

export interface EmbeddedIdpOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Issue a new client_secret on every RFC 7592 PUT (Curity-style rotation). @default true */
  rotateSecretOnUpdate?: boolean;
  /** Rotate the registration access token on every PUT. @default true */
  rotateRegistrationAccessToken?: boolean;
  /**
   * Scope values clients may register, added to {@link DEFAULT_SCOPES}.
   * oidc-provider rejects registrations whose `scope` holds a value it does not
   * know, and offers no "accept any scope" option.
   */
  scopes?: readonly string[];
}

export interface EmbeddedIdp {
  /** e.g. http://127.0.0.1:PORT (no trailing slash) */
  issuer: string;
  tokenEndpoint: string;
  registrationEndpoint: string;
  /** Initial access token that the bridge must present to register clients (carries the rotation policy). A secret. */
  initialAccessToken: string;
  /** Count and list of HTTP requests received (method + path, no headers/bodies), so tests can prove the bridge did NOT call the IdP. */
  requestCount(): number;
  requests(): ReadonlyArray<{ method: string; path: string }>;
  /** Number of clients currently registered (created minus deleted), so tests can prove nothing leaked. */
  clientCount(): number;
  /** The current registration of a client as the IdP holds it, to read back what the bridge changed. */
  findClient(clientId: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Every secret value this IdP has issued (client secrets, registration and access tokens, the
   * initial access token), so tests can search logs and answers for leaks.
   */
  issuedSecrets(): string[];
  close(): Promise<void>;
}

/**
 * Always accepted in `scope`. `offline_access` also makes oidc-provider allow
 * the refresh_token grant type, which authorization-code apps register.
 */
export const DEFAULT_SCOPES: readonly string[] = [
  'openid',
  'offline_access',
  'read',
  'write',
  'admin',
  'profile',
  'email',
];

const ROTATE_SECRET_POLICY = 'rotate-secret-on-update';

/**
 * Registration policy carried by the IAT and then the RAT. oidc-provider runs
 * the RAT's policies on PUT after it copied the current secret into the new
 * metadata, so replacing it here yields Curity-style rotation. A PUT that
 * sends the current client_secret (RFC 7592 lets it, and requires it to match)
 * keeps it, so a redirect URI update does not break the developer's
 * credentials. The expiry (client_secret_expires_at: 0, never) is kept.
 */
function rotateSecretOnPut(ctx: KoaContextWithOIDC, metadata: ClientMetadata): void {
  const keepsSecret = 'client_secret' in (ctx.oidc.body ?? {});
  if (ctx.method === 'PUT' && metadata.client_secret && !keepsSecret) {
    metadata.client_secret = randomBytes(32).toString('base64url');
  }
}

export async function startEmbeddedIdp(options: EmbeddedIdpOptions = {}): Promise<EmbeddedIdp> {
  const host = options.host ?? '127.0.0.1';

  // Port 0 is resolved only by listen(), and the issuer must contain the real
  // port, so listen first and install the provider's handler afterwards.
  let handler: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  try {
    return await mountProvider(server, host, options, (next) => {
      handler = next;
    });
  } catch (error) {
    // Do not leave the port bound when the provider cannot be set up.
    server.close();
    throw error;
  }
}

async function mountProvider(
  server: http.Server,
  host: string,
  options: EmbeddedIdpOptions,
  setHandler: (handler: http.RequestListener) => void,
): Promise<EmbeddedIdp> {
  const log: Array<{ method: string; path: string }> = [];
  const secrets = new Set<string>();
  const recordSecrets = (model: string, id: string, payload: AdapterPayload) => {
    if (model === 'Client' && typeof payload.client_secret === 'string') secrets.add(payload.client_secret);
    else if (model !== 'Client') secrets.add(id);
  };
  let clients = 0;
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  const provider = new Provider(issuer, {
    adapter: createMemoryAdapterFactory(recordSecrets),
    // Own keys and cookie secret: without them oidc-provider warns about
    // development-only defaults. RS256 is mandatory, hence RSA.
    jwks: { keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: [...new Set([...DEFAULT_SCOPES, ...(options.scopes ?? [])])],
    routes: { token: '/token', registration: '/reg' },
    // Explicit TTLs and CORS policy: the defaults print a notice when first used.
    ttl: { AccessToken: 3600, ClientCredentials: 3600, AuthorizationCode: 60, RefreshToken: 86400, Grant: 86400 },
    clientBasedCORS: () => false,
    // Errors as JSON whatever the Accept header says (default: an HTML page
    // plus a console notice when the client prefers text/html).
    renderError: (ctx, out) => {
      ctx.type = 'json';
      ctx.body = out;
    },
    features: {
      // Machine-to-machine only; the dev login UI would also print a warning.
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      registration: {
        enabled: true,
        initialAccessToken: true,
        policies: { [ROTATE_SECRET_POLICY]: rotateSecretOnPut },
      },
      registrationManagement: {
        enabled: true,
        rotateRegistrationAccessToken: options.rotateRegistrationAccessToken ?? true,
      },
    },
  });
  provider.proxy = false;
  provider.on('registration_create.success', () => {
    clients += 1;
  });
  provider.on('registration_delete.success', () => {
    clients -= 1;
  });

  const iat = new provider.InitialAccessToken(
    (options.rotateSecretOnUpdate ?? true) ? { policies: [ROTATE_SECRET_POLICY] } : {},
  );
  const initialAccessToken = await iat.save();

  const callback = provider.callback();
  setHandler((req, res) => {
    // Method and path only: headers, query strings and bodies carry secrets.
    log.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '' });
    void callback(req, res);
  });

  return {
    issuer,
    tokenEndpoint: `${issuer}/token`,
    registrationEndpoint: `${issuer}/reg`,
    initialAccessToken,
    requestCount: () => log.length,
    requests: () => log.map((entry) => ({ ...entry })),
    clientCount: () => clients,
    findClient: async (clientId) => (await provider.Client.find(clientId))?.metadata(),
    issuedSecrets: () => [...secrets],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      }),
  };
}
