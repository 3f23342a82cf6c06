/**
 * Payload checks of the fake Auth0 Management API, after the documented request schemas.
 * Create client: https://auth0.com/docs/api/management/v2/clients/post-clients (the published
 * CreateClientRequestContent schema has `additionalProperties: false`, `name` pattern `^[^<>]+$`,
 * `description` maxLength 140); update client: https://auth0.com/docs/api/management/v2/clients/patch-clients-by-id.
 */

/** Fields the bridge may send; Auth0 knows many more, and refuses any it does not know. */
const CLIENT_FIELDS = new Set([
  'name',
  'description',
  'app_type',
  'grant_types',
  'callbacks',
  'token_endpoint_auth_method',
  'client_metadata',
  'oidc_conformant',
  'is_first_party',
  'allowed_logout_urls',
  'web_origins',
]);
const APP_TYPES = new Set(['native', 'spa', 'regular_web', 'non_interactive', 'resource_server']);
const GRANT_TYPES = new Set([
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'password',
  'http://auth0.com/oauth/grant-type/password-realm',
]);
const AUTH_METHODS = new Set(['none', 'client_secret_post', 'client_secret_basic']);
// https://auth0.com/docs/api/management/v2/clients/post-clients: client_metadata "in the form of an
// object with string values (max 255 chars). Maximum of 10 metadata properties allowed. Field names
// (max 255 chars) are alphanumeric and may only include the following special characters:
// :,-+=_*?"/()<>@ [Tab] [Space]".
const METADATA_KEY = /^[A-Za-z0-9:,\-+=_*?"/()<>@\t ]{1,255}$/;

/** Auth0's `invalid_body` answer text for one failed property, as the Management API words it. */
const failed = (detail: string) => `Payload validation error: ${detail}`;

/**
 * Returns Auth0's validation message for a bad client payload, or undefined when it is valid.
 * `currentAppType` is the app type of the client an update changes.
 */
export function clientPayloadProblem(
  body: unknown,
  { creating, currentAppType }: { creating: boolean; currentAppType?: string },
): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return failed("'Expected type object but found type null'.");
  }
  const client = body as Record<string, unknown>;
  const unknown = Object.keys(client).filter((key) => !CLIENT_FIELDS.has(key));
  if (unknown.length > 0) return failed(`'Additional properties not allowed: ${unknown.join(',')}'.`);
  if (creating && client.name === undefined) return failed("'Missing required property: name'.");
  if (client.name !== undefined && (typeof client.name !== 'string' || !/^[^<>]+$/.test(client.name))) {
    return failed(`'String does not match pattern ^[^<>]+$: ${String(client.name)}' on property name.`);
  }
  if (client.description !== undefined) {
    if (typeof client.description !== 'string' || client.description.length > 140) {
      return failed("'String is too long (max length: 140 characters)' on property description.");
    }
  }
  if (client.app_type !== undefined && !APP_TYPES.has(String(client.app_type))) {
    return failed(`'No enum match for: ${String(client.app_type)}' on property app_type.`);
  }
  if (client.grant_types !== undefined) {
    if (!Array.isArray(client.grant_types) || client.grant_types.some((grant) => !GRANT_TYPES.has(String(grant)))) {
      return failed("'No enum match' on property grant_types.");
    }
  }
  if (client.token_endpoint_auth_method !== undefined && !AUTH_METHODS.has(String(client.token_endpoint_auth_method))) {
    return failed(
      `'No enum match for: ${String(client.token_endpoint_auth_method)}' on property token_endpoint_auth_method.`,
    );
  }
  if (client.callbacks !== undefined) {
    if (!Array.isArray(client.callbacks)) return failed("'Expected type array' on property callbacks.");
    const native = (client.app_type ?? currentAppType) === 'native';
    const index = client.callbacks.findIndex((url) => typeof url !== 'string' || !isCallbackUrl(url, native));
    if (index !== -1) {
      return failed(
        `'Object didn't pass validation for format callback-url: ${String(client.callbacks[index])}' on property callbacks[${index}] (A set of URLs that are valid to call back from Auth0 when authenticating users).`,
      );
    }
  }
  if (client.client_metadata !== undefined) return metadataProblem(client.client_metadata);
  return undefined;
}

function metadataProblem(metadata: unknown): string | undefined {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return failed("'Expected type object' on property client_metadata.");
  }
  const entries = Object.entries(metadata);
  if (entries.length > 10) return failed("'Too many properties defined (max 10)' on property client_metadata.");
  for (const [key, value] of entries) {
    if (!METADATA_KEY.test(key)) return failed(`'Invalid key ${key}' on property client_metadata.`);
    if (typeof value !== 'string' || value.length > 255) {
      return failed(`'Expected type string (max 255 characters)' on property client_metadata.${key}.`);
    }
  }
  return undefined;
}

/**
 * Callback URLs: absolute http(s) URLs; a `*` placeholder only as the whole left-most label of a
 * subdomain, never on a root-level domain such as `https://*.com`
 * (https://auth0.com/docs/applications/wildcards-for-subdomains). Custom URI schemes are native
 * applications' callbacks
 * (https://auth0.com/docs/secure/security-guidance/measures-against-app-impersonation): the fake
 * takes them from `app_type: native` clients only.
 */
export function isCallbackUrl(value: string, native = false): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return native && !value.includes('*');
  if (!url.hostname.includes('*')) return true;
  const labels = url.hostname.split('.');
  return labels[0] === '*' && labels.length >= 3 && labels.slice(1).every((label) => !label.includes('*'));
}
