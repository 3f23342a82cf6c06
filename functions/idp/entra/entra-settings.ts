import * as z from 'zod/mini';
import { idpUrl, optionalSetting } from '../settings';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** A base URL without query or fragment; a trailing slash is dropped so paths can be appended. */
const baseUrl = (fallback: string) =>
  z.pipe(
    z.transform(emptyToUndefined),
    z.pipe(
      z._default(
        idpUrl('must be an https URL').check(
          z.refine((value) => !/[?#]/.test(value), { message: 'must not have a query or fragment' }),
        ),
        fallback,
      ),
      z.transform((value: string) => value.replace(/\/+$/, '')),
    ),
  );

// Client credentials need one tenant: the multi-tenant aliases cannot issue app-only tokens.
const MULTI_TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);

/** A tenant id (GUID) or a verified domain such as contoso.onmicrosoft.com. */
const tenantId = z.pipe(
  z.transform(emptyToUndefined),
  z.string({ error: 'required: the directory (tenant) id or a verified domain' }).check(
    z.regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/, 'must be a tenant id (GUID) or a domain name'),
    z.refine((value) => !MULTI_TENANT_ALIASES.has(value.toLowerCase()), {
      message: 'must name one tenant, not common/organizations/consumers',
    }),
  ),
);

const flag = z.pipe(
  z.pipe(z.transform(emptyToUndefined), z._default(z.enum(['true', 'false']), 'false')),
  z.transform((v: 'true' | 'false') => v === 'true'),
);

const entraEnvironment = z.object({
  IDP_ENTRA_TENANT_ID: tenantId,
  // National clouds have their own hosts, e.g. https://login.microsoftonline.us, https://login.chinacloudapi.cn.
  IDP_ENTRA_LOGIN_URL: baseUrl('https://login.microsoftonline.com'),
  IDP_ENTRA_GRAPH_URL: baseUrl('https://graph.microsoft.com'),
  IDP_ENTRA_GRAPH_SCOPE: optionalSetting,
  IDP_ENTRA_SECRET_LIFETIME_DAYS: z.pipe(
    z.transform(emptyToUndefined),
    z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(3650)), 365),
  ),
  IDP_ENTRA_PERMANENT_DELETE: flag,
});

export const entraSettingsSchema = z.pipe(
  entraEnvironment,
  z.transform(
    (env: z.output<typeof entraEnvironment>): EntraSettings => ({
      tokenEndpoint: `${env.IDP_ENTRA_LOGIN_URL}/${encodeURIComponent(env.IDP_ENTRA_TENANT_ID)}/oauth2/v2.0/token`,
      graphApiUrl: `${env.IDP_ENTRA_GRAPH_URL}/v1.0`,
      // Graph's resource id is its origin; behind a proxy URL, IDP_ENTRA_GRAPH_SCOPE names the real one.
      graphScope: env.IDP_ENTRA_GRAPH_SCOPE ?? `${new URL(env.IDP_ENTRA_GRAPH_URL).origin}/.default`,
      secretLifetimeDays: env.IDP_ENTRA_SECRET_LIFETIME_DAYS,
      permanentDelete: env.IDP_ENTRA_PERMANENT_DELETE,
    }),
  ),
);

export interface EntraSettings {
  /** {login}/{tenant}/oauth2/v2.0/token: the bridge's own client credentials token for Graph. */
  tokenEndpoint: string;
  /** {graph}/v1.0, no trailing slash: every Graph URL is built from it. */
  graphApiUrl: string;
  /** `{graph}/.default`: the Graph application permissions granted to the bridge's app. */
  graphScope: string;
  /** Lifetime of each client secret the bridge adds (passwordCredential endDateTime). */
  secretLifetimeDays: number;
  /** Also purge deleted applications from deleted items instead of leaving them restorable for 30 days. */
  permanentDelete: boolean;
}
