import { randomBytes, randomUUID } from 'node:crypto';
import { startLoopbackServer } from '../unit/support/loopback-server';
import { type FakeApplication, FakeDirectory, type GraphPermission } from './entra-fake-directory';
import { graphHandler } from './entra-fake-graph';
import { type EntraOperation, type Injection, Injections } from './entra-fake-injections';
import { loginHandler } from './entra-fake-login';

export type { EntraOperation, Injection } from './entra-fake-injections';

export interface EntraFake {
  tenantId: string;
  /** Base URL of the login host (IDP_ENTRA_LOGIN_URL). */
  loginUrl: string;
  /** Base URL of Graph (IDP_ENTRA_GRAPH_URL); Graph tokens are issued for `{graphUrl}/.default`. */
  graphUrl: string;
  tokenEndpoint: string;
  /** The bridge's own app registration (IDP_CLIENT_ID / IDP_CLIENT_SECRET). */
  admin: { clientId: string; clientSecret: string };
  directory: FakeDirectory;
  /** Fails the next `times` calls of an operation (or hangs them, or fails after their effect). */
  inject(operation: EntraOperation, injection: Injection): void;
  clearInjections(): void;
  /** The first `calls` addPassword/servicePrincipal calls for each new application see no application. */
  setReplicationDelay(calls: number): void;
  setPermission(permission: GraphPermission): void;
  /** Changes the bridge app's secret at Entra (as an admin rotating it would), and ends all tokens. */
  setAdminSecret(secret: string): void;
  revokeTokens(): void;
  /** An application someone else registered (no bridge tag), owned by someone else. */
  seedForeignApplication(): FakeApplication;
  applicationCount(): number;
  servicePrincipalCount(): number;
  deletedItemCount(): number;
  findApplication(appId: string): FakeApplication | undefined;
  /** Client credentials at the token endpoint, as a developer's app would do with its secret. */
  requestToken(
    clientId: string,
    clientSecret: string,
    scope?: string,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  /** "METHOD /path" of every Graph call, in order. */
  graphCalls: string[];
  loginCalls: string[];
  /** Every secret and token the fake ever issued, the bridge's own secret included. */
  issuedSecrets(): string[];
  close(): Promise<void>;
}

/** An API resource the developers' apps request tokens for, as Konnect's gateway would expect. */
export const API_RESOURCE = 'api://konnect-gateway';

/** Starts a fake Entra tenant: the login host and Microsoft Graph on two loopback ports. */
export async function startEntraFake(): Promise<EntraFake> {
  const tenantId = randomUUID();
  const admin = { clientId: randomUUID(), clientSecret: `bridge~${randomBytes(24).toString('base64url')}` };
  const directory = new FakeDirectory(tenantId, admin);
  const injections = new Injections();
  const graphCalls: string[] = [];
  const loginCalls: string[] = [];
  const graph = await startLoopbackServer();
  const login = await startLoopbackServer();
  graph.handle(graphHandler({ directory, injections, resource: graph.url, calls: graphCalls }));
  login.handle(
    loginHandler({
      directory,
      injections,
      resources: () => [API_RESOURCE],
      graphResource: graph.url,
      calls: loginCalls,
    }),
  );
  const tokenEndpoint = `${login.url}/${tenantId}/oauth2/v2.0/token`;
  return {
    tenantId,
    loginUrl: login.url,
    graphUrl: graph.url,
    tokenEndpoint,
    admin,
    directory,
    inject: (operation, injection) => injections.add(operation, injection),
    clearInjections: () => injections.clear(),
    setReplicationDelay: (calls) => {
      directory.replicationDelay = calls;
    },
    setPermission: (permission) => {
      directory.permission = permission;
    },
    setAdminSecret: (secret) => {
      admin.clientSecret = secret;
      directory.issuedSecrets.push(secret);
      directory.tokens.clear();
    },
    revokeTokens: () => directory.tokens.clear(),
    seedForeignApplication: () =>
      directory.createApplication({ displayName: 'HR portal', tags: [], web: { redirectUris: [] } }, randomUUID()),
    applicationCount: () => directory.applications.size,
    servicePrincipalCount: () => directory.servicePrincipals.size,
    deletedItemCount: () => directory.deletedItems.size,
    findApplication: (appId) => directory.findByAppId(appId),
    requestToken: async (clientId, clientSecret, scope = `${API_RESOURCE}/.default`) => {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope,
        }),
        signal: AbortSignal.timeout(5000),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    graphCalls,
    loginCalls,
    issuedSecrets: () => [...directory.issuedSecrets],
    close: async () => {
      injections.releaseHanging();
      await Promise.all([graph.close(), login.close()]);
    },
  };
}
