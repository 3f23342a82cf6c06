/**
 * Checks on application bodies the way Graph and the Entra application model refuse them; each
 * returns the message of Graph's 400 Request_BadRequest, or undefined when the body is fine.
 */

// https://learn.microsoft.com/graph/api/resources/application (writable properties of the type)
const APPLICATION_PROPERTIES = new Set([
  'displayName',
  'description',
  'notes',
  'tags',
  'signInAudience',
  'web',
  'spa',
  'publicClient',
  'api',
  'appRoles',
  'identifierUris',
  'info',
  'requiredResourceAccess',
  'isFallbackPublicClient',
  'serviceManagementReference',
]);
// https://learn.microsoft.com/graph/api/resources/webapplication
const WEB_PROPERTIES = new Set([
  'redirectUris',
  'implicitGrantSettings',
  'homePageUrl',
  'logoutUrl',
  'redirectUriSettings',
]);
// https://learn.microsoft.com/graph/api/resources/application ("signInAudience")
const SIGN_IN_AUDIENCES = new Set([
  'AzureADMyOrg',
  'AzureADMultipleOrgs',
  'AzureADandPersonalMicrosoftAccount',
  'PersonalMicrosoftAccount',
]);

// https://learn.microsoft.com/graph/api/resources/publicclientapplication
const PUBLIC_CLIENT_PROPERTIES = new Set(['redirectUris']);

const invalidValue = (property: string) =>
  `Invalid value specified for property '${property}' of resource 'Application'.`;
// OData's answer to a property the type does not define.
const noSuchProperty = (property: string, type: string) =>
  `Property '${property}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`;

export function applicationBodyProblem(
  body: Record<string, unknown>,
  { creating }: { creating: boolean },
): string | undefined {
  for (const key of Object.keys(body)) if (!APPLICATION_PROPERTIES.has(key)) return noSuchProperty(key, 'application');
  if (creating || 'displayName' in body) {
    if (typeof body.displayName !== 'string' || body.displayName.trim() === '' || body.displayName.length > 256) {
      return invalidValue('displayName');
    }
  }
  // https://learn.microsoft.com/graph/api/resources/application: "The maximum allowed size is 1,024 characters."
  if ('description' in body && (typeof body.description !== 'string' || body.description.length > 1024)) {
    return invalidValue('description');
  }
  if ('notes' in body && (typeof body.notes !== 'string' || body.notes.length > 1024)) return invalidValue('notes');
  if ('tags' in body && (!Array.isArray(body.tags) || body.tags.some((tag) => typeof tag !== 'string'))) {
    return invalidValue('tags');
  }
  if ('signInAudience' in body && !SIGN_IN_AUDIENCES.has(String(body.signInAudience))) {
    return invalidValue('signInAudience');
  }
  if ('web' in body) {
    const problem = webProblem(body.web);
    if (problem) return problem;
  }
  if ('publicClient' in body) return publicClientProblem(body.publicClient);
  return undefined;
}

/**
 * The public client (mobile and desktop) platform also takes a native app's own scheme, e.g.
 * `msauth.{bundle id}://auth` (https://learn.microsoft.com/graph/api/resources/publicclientapplication),
 * within the general restrictions (https://learn.microsoft.com/entra/identity-platform/reply-url).
 */
function publicClientProblem(publicClient: unknown): string | undefined {
  if (typeof publicClient !== 'object' || publicClient === null) return invalidValue('publicClient');
  for (const key of Object.keys(publicClient)) {
    if (!PUBLIC_CLIENT_PROPERTIES.has(key)) return noSuchProperty(key, 'publicClientApplication');
  }
  const { redirectUris } = publicClient as { redirectUris?: unknown };
  if (redirectUris === undefined) return undefined;
  if (!Array.isArray(redirectUris) || redirectUris.length > 256) return invalidValue('publicClient.redirectUris');
  const allowed = (uri: unknown) =>
    typeof uri === 'string' && uri.length <= 256 && !/[!$'(),;*]/.test(uri) && URL.canParse(uri) && !uri.includes('#');
  return redirectUris.every(allowed) ? undefined : invalidValue('publicClient.redirectUris');
}

function webProblem(web: unknown): string | undefined {
  if (typeof web !== 'object' || web === null) return invalidValue('web');
  for (const key of Object.keys(web)) if (!WEB_PROPERTIES.has(key)) return noSuchProperty(key, 'webApplication');
  const { redirectUris } = web as { redirectUris?: unknown };
  if (redirectUris === undefined) return undefined;
  if (!Array.isArray(redirectUris) || redirectUris.length > 256) return invalidValue('web.redirectUris');
  return redirectUris.every(isAllowedByEntra) ? undefined : invalidValue('web.redirectUris');
}

/**
 * The Entra application model's redirect URI restrictions: https, or http on localhost/127.0.0.1;
 * at most 256 characters; none of `! $ ' ( ) , ;`; IPv6 loopback [::1] not supported.
 * https://learn.microsoft.com/entra/identity-platform/reply-url
 */
export function isAllowedByEntra(uri: unknown): boolean {
  if (typeof uri !== 'string' || uri.length > 256 || /[!$'(),;]/.test(uri) || !URL.canParse(uri)) return false;
  const url = new URL(uri);
  if (url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '127.0.0.1');
}
