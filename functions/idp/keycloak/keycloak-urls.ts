/** The Keycloak endpoints the bridge calls, all under the configured base URL and realm. */
export interface KeycloakUrls {
  /** The realm's token endpoint, where the bridge's service account gets its admin token. */
  token: string;
  /** `POST` creates a client; `GET ?clientId=` finds one by its public client id. */
  clients: string;
  clientsByClientId(clientId: string): string;
  /** One client by Keycloak's internal id (the UUID in `Location`, not the clientId). */
  client(id: string): string;
  clientSecret(id: string): string;
}

/**
 * Builds every URL from the configured base (which may carry a path, e.g. `/auth` before
 * Keycloak 17, or a reverse proxy's prefix) and percent-encodes each path and query parameter,
 * so no realm name or id can steer a call to another path.
 * Paths: https://www.keycloak.org/docs-api/latest/rest-api/index.html#_clients
 */
export function keycloakUrls(baseUrl: string, realm: string): KeycloakUrls {
  const base = baseUrl.replace(/\/+$/, '');
  const realmPath = encodeURIComponent(realm);
  const clients = `${base}/admin/realms/${realmPath}/clients`;
  const client = (id: string) => `${clients}/${encodeURIComponent(id)}`;
  return {
    token: `${base}/realms/${realmPath}/protocol/openid-connect/token`,
    clients,
    clientsByClientId: (clientId) => `${clients}?${new URLSearchParams({ clientId }).toString()}`,
    client,
    clientSecret: (id) => `${client(id)}/client-secret`,
  };
}
