/**
 * Konnect's regional API hosts, from the servers of the Application Auth Strategies API v2
 * (Kong/developer.konghq.com api-specs/konnect/application-auth-strategies/v2/openapi.yaml).
 */
export const KONNECT_REGIONS = ['us', 'eu', 'au', 'me', 'in', 'sg'] as const;
export type KonnectRegion = (typeof KONNECT_REGIONS)[number];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export class KonnectUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KonnectUrlError';
  }
}

export const isKonnectRegion = (value: string): value is KonnectRegion =>
  (KONNECT_REGIONS as readonly string[]).includes(value);

/**
 * The API base (ending in /v2, no trailing slash) for a region name, or an explicit URL. An
 * explicit URL must be https: the token travels with every call. Plain http is allowed on
 * loopback only, for a local stand-in. A URL without a path gets /v2.
 */
export function konnectApiUrl(regionOrUrl: string): string {
  const value = regionOrUrl.trim();
  if (isKonnectRegion(value)) return `https://${value}.api.konghq.com/v2`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new KonnectUrlError(
      `"${value}" is neither a Konnect region (${KONNECT_REGIONS.join(', ')}) nor an https URL`,
    );
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new KonnectUrlError('the Konnect API URL must be https (http only on 127.0.0.1, localhost or ::1)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new KonnectUrlError('the Konnect API URL must not carry credentials, a query or a fragment');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path === '' ? '/v2' : path}`;
}
