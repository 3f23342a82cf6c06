import { z } from 'zod';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import { basicAuthorization } from '../generic/registration-token';
import type { OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { idpErrorFromResponse } from '../idp-error';

/** Renew this long before expiry, so no call starts with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;
const DEFAULT_LIFETIME_SECONDS = 300;

const tokenResponse = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive().optional(),
  scope: z.string().optional(),
});

/**
 * A client-credentials token for one scope (Curity's "dcrm"), cached per container and shared by
 * concurrent requests. Unlike the generic ManagementToken it checks the granted scope: Curity
 * leaves out scopes the client may not have instead of refusing the request
 * (https://curity.io/resources/learn/using-dynamic-client-registration/), and a token without
 * "dcrm" would make every management call look like "unknown client".
 */
export class CurityScopedToken {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly scope: string,
    private readonly tokenEndpoint: (context: OperationContext) => Promise<string>,
    private readonly http: HttpClient,
    private readonly credentials: () => Promise<IdpCredentials>,
  ) {}

  async get(context: OperationContext): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    this.pending ??= this.request(context).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets the token after Curity refused it (revoked, expired early). */
  invalidate(): void {
    this.cached = undefined;
  }

  private async request(context: OperationContext): Promise<string> {
    const { clientId, clientSecret } = await this.credentials();
    if (!clientId || !clientSecret) {
      throw idpFailed(
        `The bridge has no client_id and client_secret for the identity provider (curity) to obtain a "${this.scope}" token; set them in its IdP credentials.`,
      );
    }
    const response = await this.http.call(
      {
        method: 'POST',
        url: await this.tokenEndpoint(context),
        headers: { authorization: basicAuthorization(clientId, clientSecret) },
        form: { grant_type: 'client_credentials', scope: this.scope },
      },
      context,
    );
    const parsed = tokenResponse.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) {
      throw idpErrorFromResponse(
        'curity',
        `the bridge's token request (scope "${this.scope}")`,
        response.status,
        response.body,
      );
    }
    // RFC 6749 section 5.1: no scope in the answer means the requested one was granted.
    const granted = parsed.data.scope?.split(' ') ?? [this.scope];
    if (!granted.includes(this.scope)) {
      throw idpFailed(
        `The identity provider (curity) did not grant the scope "${this.scope}" to the bridge's client; allow that scope for the client (and, for "dcrm", list it among the DCR management clients).`,
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_SECONDS) * 1000;
    this.cached = {
      token: parsed.data.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    return parsed.data.access_token;
  }
}
