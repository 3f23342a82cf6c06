import * as z from 'zod';
import { optionalSetting } from '../settings';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Auth0 tenants are named by host; a bare "acme.eu.auth0.com" is read as https://acme.eu.auth0.com. */
const withScheme = (value: unknown) =>
  typeof value === 'string' && value !== '' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `https://${value}` : value;

const tenantBaseUrl = z.preprocess(
  (value) => withScheme(emptyToUndefined(value)),
  z
    .url({ protocol: /^https?$/, error: 'required: the tenant base URL, e.g. https://acme.eu.auth0.com' })
    .refine((value) => ['', '/'].includes(new URL(value).pathname) && !/[?#]/.test(value), {
      message: 'must be the tenant base URL without a path, query or fragment',
    })
    .transform((value) => value.replace(/\/+$/, '')),
);

const optionalAudience = z.preprocess(emptyToUndefined, z.string().trim().min(1).max(600).optional());

/** Space-separated scope list; "" or unset means "not configured". */
const scopeList = optionalSetting.transform((value) => value?.split(/\s+/).filter(Boolean));

export const auth0SettingsSchema = z
  .object({
    IDP_AUTH0_DOMAIN: tenantBaseUrl,
    IDP_AUTH0_MANAGEMENT_AUDIENCE: optionalAudience,
    IDP_AUTH0_DEFAULT_AUDIENCE: optionalAudience,
    IDP_AUTH0_DEFAULT_SCOPES: scopeList,
  })
  .transform(
    (env): Auth0Settings => ({
      baseUrl: env.IDP_AUTH0_DOMAIN,
      tokenEndpoint: `${env.IDP_AUTH0_DOMAIN}/oauth/token`,
      // With a custom domain the Management API audience stays the canonical tenant domain.
      managementAudience: env.IDP_AUTH0_MANAGEMENT_AUDIENCE ?? `${env.IDP_AUTH0_DOMAIN}/api/v2/`,
      defaultAudience: env.IDP_AUTH0_DEFAULT_AUDIENCE,
      defaultScopes: env.IDP_AUTH0_DEFAULT_SCOPES,
    }),
  );

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
