import { ConfigurationError } from '../../commons/configuration-error';
import type { HttpClient } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';
import type { IdpCredentials } from '../idp-credentials';
import { OKTA_CLIENTS_SCOPE, OktaAccessToken } from './okta-access-token';
import type { CredentialHints } from './okta-error';

/** How the bridge authenticates to Okta's management API. */
export interface OktaAuthorization {
  /** The Authorization header, and whether it may be stale (a cached token) and so worth renewing. */
  header(context: OperationContext): Promise<{ value: string; renewable: boolean }>;
  /** Forgets a cached token that Okta refused. */
  invalidate(): void;
  readonly hints: CredentialHints;
}

/**
 * An Okta API token: `Authorization: SSWS <token>`. It acts with the permissions of the admin who
 * created it and lapses after 30 days without use.
 * https://developer.okta.com/docs/guides/create-an-api-token/main/
 */
export class SswsAuthorization implements OktaAuthorization {
  readonly hints: CredentialHints = {
    refused:
      'check api_token in the IdP credentials (an Okta API token is revoked after 30 days without use, or when its admin is deactivated).',
    forbidden: "give the API token's admin a role that may manage applications (Application Administrator).",
  };

  constructor(private readonly credentials: () => Promise<IdpCredentials>) {}

  async header(): Promise<{ value: string; renewable: boolean }> {
    const { apiToken } = await this.credentials();
    if (!apiToken) {
      throw new ConfigurationError(
        'The bridge is misconfigured: IDP_OKTA_AUTH_MODE=ssws needs api_token in the IdP credentials.',
      );
    }
    return { value: `SSWS ${apiToken}`, renewable: false };
  }

  invalidate(): void {}
}

/**
 * OAuth for Okta: a service app's scoped access token, `Authorization: Bearer <token>`.
 * https://developer.okta.com/docs/guides/implement-oauth-for-okta-serviceapp/main/
 */
export class OAuthAuthorization implements OktaAuthorization {
  readonly hints: CredentialHints = {
    refused: "check client_id and private_key in the IdP credentials and the bridge's service app in Okta.",
    forbidden: `grant ${OKTA_CLIENTS_SCOPE} to the bridge's service app and give it an admin role that may manage applications (Application Administrator).`,
  };
  private readonly token: OktaAccessToken;

  constructor(orgUrl: string, http: HttpClient, credentials: () => Promise<IdpCredentials>, keyId: string | undefined) {
    // The org authorization server: only it issues tokens with okta.* scopes.
    this.token = new OktaAccessToken(`${orgUrl}/oauth2/v1/token`, http, credentials, keyId);
  }

  async header(context: OperationContext): Promise<{ value: string; renewable: boolean }> {
    const { token, cached } = await this.token.get(context);
    return { value: `Bearer ${token}`, renewable: cached };
  }

  invalidate(): void {
    this.token.invalidate();
  }
}
