import { randomBytes } from 'node:crypto';
import { type EmbeddedIdp, type EmbeddedIdpOptions, startEmbeddedIdp } from './embedded-idp';
import { startLocalBridge } from './start-local-bridge';

export interface LocalEnvironmentOptions {
  /** Bridge port. @default 3000 */
  port?: number;
  /** Embedded IdP port, used only when no IdP is configured. @default port + 1 */
  idpPort?: number;
  /** @default '127.0.0.1' */
  host?: string;
  embeddedIdp?: Omit<EmbeddedIdpOptions, 'port' | 'host'>;
}

export interface LocalEnvironment {
  bridgeUrl: string;
  /** The keys the bridge accepts in X-API-KEY. */
  apiKeys: string[];
  /** Set when the bridge fronts the embedded IdP. */
  idp?: EmbeddedIdp;
  /** The file that keeps registrations across restarts; unset when they live in memory (embedded IdP). */
  registrationStoreFile?: string;
  close(): Promise<void>;
}

/** Where `npm start` keeps registrations when it fronts a real IdP, relative to the working folder. */
export const DEFAULT_REGISTRATION_STORE_FILE = '.dcr-bridge/registrations.json';

/**
 * Runs the Lambda's own handler behind a local HTTP server, configured from process.env exactly
 * as on AWS. With no IdP configured it starts the embedded one and points the generic adapter at
 * it; with no Konnect key configured it generates one. In front of a real IdP, registrations are
 * kept in a file: lost registration access tokens would leave clients no delete can reach.
 */
export async function startLocalEnvironment(options: LocalEnvironmentOptions = {}): Promise<LocalEnvironment> {
  const env = process.env;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 3000;
  let idp: EmbeddedIdp | undefined;
  const genericWithoutIdp =
    (env.IDP_TYPE ?? 'generic') === 'generic' && !env.IDP_ISSUER && !env.IDP_REGISTRATION_ENDPOINT;
  if (genericWithoutIdp) {
    idp = await startEmbeddedIdp({
      ...options.embeddedIdp,
      host,
      port: options.idpPort ?? (port === 0 ? 0 : port + 1),
    });
    env.IDP_TYPE = 'generic';
    env.IDP_ISSUER = idp.issuer;
    env.IDP_INITIAL_ACCESS_TOKEN = idp.initialAccessToken;
    // The embedded IdP issues a new secret on an RFC 7592 update, like Curity.
    env.IDP_SECRET_ROTATION = 'update';
  } else if (!env.REGISTRATION_TABLE_NAME) {
    env.REGISTRATION_STORE_FILE ??= DEFAULT_REGISTRATION_STORE_FILE;
  }
  // CloudWatch metric lines (EMF) mean nothing on a terminal; set it to false to see them.
  env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  if (!env.KONNECT_API_KEYS && !env.KONNECT_API_KEY_SECRET_ARN) {
    env.KONNECT_API_KEYS = randomBytes(24).toString('hex');
  }
  // Imported only now: Powertools reads its settings (e.g. POWERTOOLS_METRICS_DISABLED) at import.
  const { handler } = await import('../../functions/bridge/index');
  const timeoutMs = Number(env.IDP_TIMEOUT_MS ?? 8000) + 4000;
  const bridge = await startLocalBridge({ handler, host, port, timeoutMs }).catch(async (error: unknown) => {
    await idp?.close();
    throw error;
  });
  return {
    bridgeUrl: bridge.url,
    apiKeys: (env.KONNECT_API_KEYS ?? '')
      .split(',')
      .map((key) => key.trim())
      .filter(Boolean),
    idp,
    registrationStoreFile: env.REGISTRATION_TABLE_NAME ? undefined : env.REGISTRATION_STORE_FILE,
    close: async () => {
      await bridge.close();
      await idp?.close();
    },
  };
}
