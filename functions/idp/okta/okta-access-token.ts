import * as z from 'zod/mini';
import { idpFailed } from '../../commons/bridge-error';
import { ConfigurationError } from '../../commons/configuration-error';
import type { HttpClient, HttpResponse } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { clientAssertion, signingKeyFrom } from './client-assertion';
import { oktaErrorOf } from './okta-error';

/** The one Okta scope the bridge needs: create, read, update, delete clients and renew their secrets. */
export const OKTA_CLIENTS_SCOPE = 'okta.clients.manage';

/** Renew this long before expiry, so no call starts with a token about to die. */
const EXPIRY_MARGIN_MS = 60_000;

const tokenResponse = z.object({
  access_token: z.string().check(z.minLength(1)),
  token_type: z.optional(z.string()),
  expires_in: z.optional(z.coerce.number().check(z.positive())),
});

/**
 * "OAuth for Okta": a scoped access token from the org authorization server, obtained by client
 * credentials with a private_key_jwt assertion, cached per container until shortly before it
 * expires (Okta fixes its lifetime at one hour). Concurrent requests share one token request.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export class OktaAccessToken {
  private cached?: { token: string; renewAt: number };
  private pending?: Promise<string>;

  constructor(
    private readonly tokenEndpoint: string,
    private readonly http: HttpClient,
    private readonly credentials: () => Promise<IdpCredentials>,
    private readonly keyId?: string,
  ) {}

  /** The token, and whether it came from the cache (a refused cached token is worth renewing once). */
  async get(context: OperationContext): Promise<{ token: string; cached: boolean }> {
    if (this.cached && Date.now() < this.cached.renewAt) return { token: this.cached.token, cached: true };
    this.pending ??= this.request(context).finally(() => {
      this.pending = undefined;
    });
    return { token: await this.pending, cached: false };
  }

  invalidate(): void {
    this.cached = undefined;
  }

  private async request(context: OperationContext): Promise<string> {
    const { clientId, privateKey } = await this.credentials();
    if (!clientId || !privateKey) {
      throw new ConfigurationError(
        'The bridge is misconfigured: IDP_OKTA_AUTH_MODE=oauth needs client_id and private_key in the IdP credentials.',
      );
    }
    const assertion = clientAssertion(clientId, this.tokenEndpoint, signingKeyFrom(privateKey, this.keyId));
    const response = await this.http.call(
      {
        method: 'POST',
        url: this.tokenEndpoint,
        form: {
          grant_type: 'client_credentials',
          scope: OKTA_CLIENTS_SCOPE,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: assertion,
        },
      },
      context,
    );
    const parsed = tokenResponse.safeParse(response.body);
    if (response.status !== 200 || !parsed.success) throw tokenRequestError(response);
    if (parsed.data.token_type && parsed.data.token_type.toLowerCase() !== 'bearer') {
      throw idpFailed(
        `Okta issued a ${parsed.data.token_type} token to the bridge's service app; turn off "Require DPoP" on that app, the bridge sends Bearer tokens.`,
      );
    }
    const lifetimeMs = (parsed.data.expires_in ?? 3600) * 1000;
    this.cached = {
      token: parsed.data.access_token,
      renewAt: Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2),
    };
    return parsed.data.access_token;
  }
}

/** The token endpoint refused the bridge: say which of its settings at Okta to check. */
function tokenRequestError(response: HttpResponse) {
  const { code, summary } = oktaErrorOf(response.body);
  const detail = [code, summary].filter(Boolean).join(': ');
  const answered = `Okta answered ${response.status}${detail ? ` (${detail})` : ''} to the bridge's token request`;
  switch (code) {
    case 'invalid_client':
    case 'unauthorized_client':
      return idpFailed(
        `${answered}: the bridge's credentials for Okta were refused; check client_id and private_key in the IdP credentials against the public key of the bridge's service app.`,
      );
    case 'invalid_scope':
      return idpFailed(
        `${answered}: the bridge's credentials for Okta lack the ${OKTA_CLIENTS_SCOPE} grant; grant it on the service app's Okta API Scopes tab.`,
      );
    case 'invalid_dpop_proof':
      return idpFailed(`${answered}: turn off "Require DPoP" on the bridge's service app.`);
    default:
      if (response.status === 401 || response.status === 403) {
        return idpFailed(`${answered}: the bridge's credentials for Okta were refused.`);
      }
      return idpFailed(`${answered}.`);
  }
}
