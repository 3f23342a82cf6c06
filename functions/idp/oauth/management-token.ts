import * as z from 'zod/mini';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import { basicAuthorization } from '../generic/registration-token';
import type { OperationContext } from '../idp-adapter';
import { idpErrorFromResponse } from '../idp-error';

/** Renew this long before the token's own expiry, so no call starts with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  expires_in: z.optional(z.coerce.number().check(z.positive())),
  scope: z.optional(z.string()),
});

export interface ManagementTokenSettings {
  idpName: string;
  /** The token endpoint, or how to find it (e.g. from discovery) when it is first needed. */
  tokenEndpoint: string | ((operation: OperationContext) => Promise<string>);
  /** Extra form parameters: `scope`, `audience` (Auth0), `resource`. */
  parameters: Record<string, string>;
  /** `basic` (RFC 6749 §2.3.1, preferred) or `post` (credentials in the form; Auth0, Entra). */
  clientAuthentication: 'basic' | 'post';
  /**
   * A scope the token must carry. Some IdPs (Curity) silently leave out scopes the client may not
   * have; without this check every later call would fail in a misleading way.
   */
  requiredScope?: string;
  /** Used when the IdP does not say how long the token lives. */
  defaultLifetimeSeconds?: number;
}

/** The bridge's own credentials for this token: read when needed, so a rotated secret applies. */
export type ClientCredentials = () => Promise<{ clientId?: string; clientSecret?: string }>;

/**
 * A token for the IdP's management API, obtained by client credentials and cached per container
 * until shortly before it expires. Concurrent requests share one token request.
 */
export class ManagementToken {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly settings: ManagementTokenSettings,
    private readonly http: HttpClient,
    private readonly credentials: ClientCredentials,
  ) {}

  async get(operation: OperationContext): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.request(operation).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /**
   * Forgets the token after the API refused it (revoked, or the grant changed). Given the refused
   * token, keeps a newer one that a concurrent request already obtained.
   */
  invalidate(refused?: string): void {
    if (refused === undefined || this.cached?.token === refused) this.cached = undefined;
  }

  private async request(operation: OperationContext): Promise<string> {
    const { clientId, clientSecret } = await this.credentials();
    const { idpName, parameters, clientAuthentication, requiredScope } = this.settings;
    if (!clientId || !clientSecret) {
      throw idpFailed(
        `The bridge has no client_id and client_secret for the identity provider (${idpName}); set them in its IdP credentials.`,
      );
    }
    const form: Record<string, string> = { grant_type: 'client_credentials', ...parameters };
    const headers: Record<string, string> = {};
    if (clientAuthentication === 'basic') headers.authorization = basicAuthorization(clientId, clientSecret);
    else Object.assign(form, { client_id: clientId, client_secret: clientSecret });
    const url = await this.tokenEndpoint(operation);
    const response = await this.http.call({ method: 'POST', url, headers, form }, operation);
    const parsed = tokenResponse.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      throw idpErrorFromResponse(idpName, "the bridge's management token request", response.status, response.body);
    }
    // RFC 6749 section 5.1: no scope in the answer means the requested one was granted.
    if (requiredScope && !(parsed.data.scope?.split(' ') ?? [requiredScope]).includes(requiredScope)) {
      throw idpFailed(
        `The identity provider (${idpName}) did not grant the scope "${requiredScope}" to the bridge's client; allow that scope for it.`,
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? this.settings.defaultLifetimeSeconds ?? 300) * 1000;
    this.cached = {
      token: parsed.data.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    return parsed.data.access_token;
  }

  private tokenEndpoint(operation: OperationContext): Promise<string> {
    const { tokenEndpoint } = this.settings;
    return typeof tokenEndpoint === 'string' ? Promise.resolve(tokenEndpoint) : tokenEndpoint(operation);
  }
}
