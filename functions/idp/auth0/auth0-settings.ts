import * as z from 'zod/mini';
import { idpUrl, optionalSetting } from '../settings';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Auth0 tenants are named by host; a bare "acme.eu.auth0.com" is read as https://acme.eu.auth0.com. */
const withScheme = (value: unknown) =>
  typeof value === 'string' && value !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `https://${value}` : value;

const tenantBaseUrl = z.pipe(
  z.transform((value: unknown) => withScheme(emptyToUndefined(value))),
  z.pipe(
    idpUrl('required: the tenant base URL, e.g. https://acme.eu.auth0.com').check(
      z.refine((value) => ['', '/'].includes(new URL(value).pathname) && !/[?#]/.test(value), {
        message: 'must be the tenant base URL without a path, query or fragment',
      }),
    ),
    z.transform((value: string) => value.replace(/\/+$/, '')),
  ),
);

const optionalAudience = z.pipe(
  z.transform(emptyToUndefined),
  z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(600))),
);

/** Space-separated scope list; "" or unset means "not configured". */
const scopeList = z.pipe(
  optionalSetting,
  z.transform((value: string | undefined) => value?.split(/\s+/).filter(Boolean)),
);

const auth0Environment = z.object({
  IDP_AUTH0_DOMAIN: tenantBaseUrl,
  IDP_AUTH0_MANAGEMENT_AUDIENCE: optionalAudience,
  IDP_AUTH0_DEFAULT_AUDIENCE: optionalAudience,
  IDP_AUTH0_DEFAULT_SCOPES: scopeList,
});

export const auth0SettingsSchema = z
  .pipe(
    auth0Environment,
    z.transform(
      (env: z.output<typeof auth0Environment>): Auth0Settings => ({
        baseUrl: env.IDP_AUTH0_DOMAIN,
        tokenEndpoint: `${env.IDP_AUTH0_DOMAIN}/oauth/token`,
        // With a custom domain the Management API audience stays the canonical tenant domain.
        managementAudience: env.IDP_AUTH0_MANAGEMENT_AUDIENCE ?? `${env.IDP_AUTH0_DOMAIN}/api/v2/`,
        defaultAudience: env.IDP_AUTH0_DEFAULT_AUDIENCE,
        defaultScopes: env.IDP_AUTH0_DEFAULT_SCOPES,
      }),
    ),
  )
  .check(
    z.refine((settings) => !settings.defaultAudience || !isManagementApiAudience(settings.defaultAudience, settings), {
      message: 'must not be the Auth0 Management API: the bridge never grants a client access to it',
      path: ['IDP_AUTH0_DEFAULT_AUDIENCE'],
    }),
  );

const comparable = (audience: string) => audience.trim().toLowerCase().replace(/\/+$/, '');

/**
 * Whether an audience names the tenant's Management API (`https://{tenant}/api/v2/`, also as reached
 * through the configured domain). A grant for it would let a Konnect application manage the tenant.
 */
export function isManagementApiAudience(
  audience: string,
  { baseUrl, managementAudience }: Pick<Auth0Settings, 'baseUrl' | 'managementAudience'>,
): boolean {
  const candidate = comparable(audience);
  return candidate === comparable(managementAudience) || candidate === comparable(`${baseUrl}/api/v2/`);
}

export interface Auth0Settings {
  /** https://{tenant or custom domain}, no trailing slash: every URL is built from it. */
  baseUrl: string;
  tokenEndpoint: string;
  managementAudience: string;
  /** An API identifier every new client is granted, like Konnect's own Auth0 provider does. */
  defaultAudience?: string;
  /** Scopes of the grants the bridge creates; unset = the Konnect app's scopes (default grant) or none. */
  defaultScopes?: string[];
}
