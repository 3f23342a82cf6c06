/**
 * The client metadata rules of Okta's Dynamic Client Registration API, as documented in
 * https://developer.okta.com/docs/reference/api/oauth-clients/#client-application-properties
 * Each function answers the `error_description` of Okta's `invalid_client_metadata` error, in
 * Okta's "field: reason" form, or undefined when the metadata is acceptable.
 */

export const APPLICATION_TYPES = ['web', 'native', 'browser', 'service'] as const;
export const AUTH_METHODS = [
  'none',
  'client_secret_post',
  'client_secret_basic',
  'client_secret_jwt',
  'private_key_jwt',
];
const RESPONSE_TYPES = ['code', 'token', 'id_token'];

// "Different Application types have different valid values for the corresponding grant type."
const GRANTS_BY_TYPE: Record<string, { allowed: string[]; required?: string }> = {
  browser: { allowed: ['authorization_code', 'implicit'] },
  native: { allowed: ['authorization_code', 'implicit', 'password', 'refresh_token'], required: 'authorization_code' },
  service: { allowed: ['client_credentials'] },
  web: {
    allowed: ['authorization_code', 'implicit', 'refresh_token', 'client_credentials'],
    required: 'authorization_code',
  },
};

/** Defaults documented per property: application_type web, grant_types authorization_code, … */
export function withDefaults(body: Record<string, unknown>): Record<string, unknown> {
  return {
    application_type: 'web',
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
    redirect_uris: [],
    ...stripNulls(body),
  };
}

/**
 * "Application name: maximum 100 characters"
 * (https://support.okta.com/help/s/article/What-Are-the-Character-Limits-for-Certain-Fields-in-the-Okta-Console);
 * counted in UTF-16 units, as Okta's Java does.
 */
export const MAX_NAME_LENGTH = 100;

export function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  const { client_name: name, application_type: type, grant_types: grants, response_types: responses } = metadata;
  // Documented example: "client_name: The field cannot be left blank".
  if (typeof name !== 'string' || name.trim() === '') return 'client_name: The field cannot be left blank';
  if (name.length > MAX_NAME_LENGTH) return `client_name: The field is too long (maximum ${MAX_NAME_LENGTH})`;
  if (typeof type !== 'string' || !(APPLICATION_TYPES as readonly string[]).includes(type)) {
    return `application_type: must be one of ${APPLICATION_TYPES.join(', ')}`;
  }
  if (!isStringArray(grants) || grants.length === 0) return 'grant_types: The field cannot be left blank';
  const rule = GRANTS_BY_TYPE[type];
  const invalid = grants.find((grant) => !rule?.allowed.includes(grant));
  if (invalid) return `grant_types: '${invalid}' is not valid for application_type '${type}'`;
  if (rule?.required && !grants.includes(rule.required)) {
    return `grant_types: application_type '${type}' must have at least ${rule.required}`;
  }
  if (!isStringArray(responses) || responses.some((value) => !RESPONSE_TYPES.includes(value))) {
    return `response_types: must be an array of ${RESPONSE_TYPES.join(', ')}`;
  }
  const method = metadata.token_endpoint_auth_method;
  if (typeof method !== 'string' || !AUTH_METHODS.includes(method)) {
    return `token_endpoint_auth_method: must be one of ${AUTH_METHODS.join(', ')}`;
  }
  return redirectProblem(metadata.redirect_uris, grants, type);
}

/**
 * "At least one redirect URI and response type is required for all client types, with the following
 * exceptions: … password … or client_credentials"; "All redirect URIs must be absolute URIs and must
 * not include a fragment component." A DCR client has no `wildcard_redirect` setting (that is an
 * Apps API setting, off by default), so a `*` in a redirect URI is refused too. Private-use schemes
 * are for native app integrations
 * (https://developer.okta.com/docs/guides/sign-into-mobile-app-redirect/), and a native client,
 * as OpenID Connect Dynamic Client Registration §2 puts it, "MUST only register redirect_uris using
 * custom URI schemes or URLs using the http: scheme with localhost as the hostname".
 */
function redirectProblem(redirectUris: unknown, grants: string[], type: string): string | undefined {
  if (!isStringArray(redirectUris)) return 'redirect_uris: must be an array of URIs';
  const optional = grants.includes('client_credentials') || grants.includes('password');
  if (redirectUris.length === 0 && !optional) return 'redirect_uris: The field cannot be left blank';
  for (const uri of redirectUris) {
    if (!URL.canParse(uri) || uri.includes('#'))
      return `redirect_uris: '${uri}' must be an absolute URI without a fragment`;
    if (uri.includes('*')) return `redirect_uris: '${uri}' must not contain a wildcard`;
    const { protocol, hostname } = new URL(uri);
    const web = protocol === 'https:' || protocol === 'http:';
    if (type !== 'native' && !web) return `redirect_uris: '${uri}' uses a custom scheme, which only native apps may`;
    const loopback = protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
    if (type === 'native' && web && !loopback) {
      return `redirect_uris: '${uri}' must use a custom scheme or http on localhost for a native app`;
    }
  }
  return undefined;
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

function stripNulls(body: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== null && value !== undefined));
}
