import { Token } from 'aws-cdk-lib';
import { cognitoUserPoolOf } from '../functions/idp/cognito/cognito-settings';
import { ADAPTERS, type IdpType } from '../functions/idp/create-idp-adapter';

/** Konnect's limit on a DCR provider's issuer. */
const MAX_ISSUER_LENGTH = 256;

/**
 * The issuer Konnect's DCR provider gets, where the adapter's settings decide it (docs/idps/*,
 * "The matching Konnect set-up"); undefined where they do not, with the reason in
 * `issuerUnknownReason`.
 */
export function derivedKonnectIssuer(idpType: IdpType, environment: Record<string, string>): string | undefined {
  switch (idpType) {
    case 'generic':
    case 'curity':
      return environment.IDP_ISSUER;
    case 'keycloak': {
      const parsed = ADAPTERS.keycloak.settings.safeParse(environment);
      if (!parsed.success) return undefined;
      // Keycloak's `iss` is the realm URL.
      const base = parsed.data.IDP_KEYCLOAK_URL.replace(/\/+$/, '');
      return `${base}/realms/${encodeURIComponent(parsed.data.IDP_KEYCLOAK_REALM)}`;
    }
    case 'auth0': {
      const parsed = ADAPTERS.auth0.settings.safeParse(environment);
      // Auth0's `iss` is the tenant (or custom domain) URL with the trailing slash.
      return parsed.success ? `${parsed.data.baseUrl}/` : undefined;
    }
    case 'cognito': {
      // Access tokens' `iss` is https://cognito-idp.<region>.amazonaws.com/<poolId>. A pool the stack
      // creates has its issuer passed as konnectIssuer by the stack instead.
      // The pool alone decides it; other settings' problems stay synth warnings.
      const parsed = cognitoUserPoolOf(environment);
      return parsed.success ? parsed.data.issuer : undefined;
    }
    case 'okta':
    case 'entra':
      return undefined;
  }
}

/** Why the issuer cannot be derived, for the synth error that asks for konnectIssuer. */
export function issuerUnknownReason(idpType: IdpType): string {
  switch (idpType) {
    case 'okta':
      return 'the Okta settings do not say which authorization server issues the tokens (its Issuer URI, e.g. https://acme.okta.com/oauth2/default)';
    case 'entra':
      return 'the issuer depends on the token version of the API app registration (https://login.microsoftonline.com/<tenant id>/v2.0 or https://sts.windows.net/<tenant id>/, see docs/idps/entra.md)';
    case 'generic':
      return 'no IDP_ISSUER is set (idpIssuer or idpSettings)';
    default:
      return `the ${idpType} settings are incomplete`;
  }
}

/** Konnect takes an http(s) URL of at most 256 characters; the bridge's IdP URLs are https. */
export function assertKonnectIssuer(issuer: string, source: string): string {
  // Built by the stack from a resource it creates (the Cognito pool's provider URL): https by construction.
  if (Token.isUnresolved(issuer)) return issuer;
  const protocol = URL.canParse(issuer) ? new URL(issuer).protocol : undefined;
  if (protocol !== 'https:' || issuer.length > MAX_ISSUER_LENGTH) {
    throw new Error(`${source} must be an https URL of at most ${MAX_ISSUER_LENGTH} characters, got ${issuer}`);
  }
  return issuer;
}
