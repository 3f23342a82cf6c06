import { z } from 'zod';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import { basicAuthorization } from '../generic/registration-token';
import type { OperationContext } from '../idp-adapter';
import { idpErrorFromResponse } from '../idp-error';

/** Renew this long before the token's own expiry, so no call starts with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
});

export interface ManagementTokenSettings {
  idpName: string;
  tokenEndpoint: string;
  /** Extra form parameters: `scope`, `audience` (Auth0), `resource`. */
  parameters: Record<string, string>;
  /** `basic` (RFC 6749 §2.3.1, preferred) or `post` (credentials in the form; Auth0, Entra). */
  clientAuthentication: 'basic' | 'post';
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

  /** Forgets the token, e.g. after the API refused it (revoked, or the grant changed). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(operation: OperationContext): Promise<string> {
    const { clientId, clientSecret } = await this.credentials();
    const { idpName, tokenEndpoint, parameters, clientAuthentication } = this.settings;
    if (!clientId || !clientSecret) {
      throw idpFailed(
        `The bridge has no client_id and client_secret for the identity provider (${idpName}); set them in its IdP credentials.`,
      );
    }
    const form: Record<string, string> = { grant_type: 'client_credentials', ...parameters };
    const headers: Record<string, string> = {};
    if (clientAuthentication === 'basic') headers.authorization = basicAuthorization(clientId, clientSecret);
    else Object.assign(form, { client_id: clientId, client_secret: clientSecret });
    const response = await this.http.call({ method: 'POST', url: tokenEndpoint, headers, form }, operation);
    const parsed = tokenResponse.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      throw idpErrorFromResponse(idpName, 'the management token request', response.status, response.body);
    }
    const lifetimeMs = (parsed.data.expires_in ?? this.settings.defaultLifetimeSeconds ?? 300) * 1000;
    this.cached = {
      token: parsed.data.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    return parsed.data.access_token;
  }
}
