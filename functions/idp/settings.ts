import * as z from 'zod/mini';
import '../commons/zod-locale';

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Shapes of adapter settings read from the environment; "" counts as unset. */
export const optionalSetting = z.pipe(z.transform(emptyToUndefined), z.optional(z.string()));
export const requiredSetting = z.pipe(
  z.transform(emptyToUndefined),
  z.string({ error: 'required' }).check(z.minLength(1)),
);

// 127.0.0.0/8, ::1 and localhost: the URL parser has already normalised "127.1" and "[0::1]".
const LOOPBACK_HOST = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])$/i;

/**
 * https, or http to this machine (local runs, tests). The bridge sends its admin credentials to
 * these URLs: one typo of the scheme must not send them in cleartext.
 */
export function isSecureIdpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname));
}

const HTTPS_REQUIRED = 'must use https (http only for localhost, 127.0.0.0/8 or [::1])';

/**
 * An IdP URL setting: `error` when it is no http(s) URL at all, and https required except for
 * loopback hosts. Vendor settings with their own URL rules build on it.
 */
export const idpUrl = (error: string) =>
  z.url({ protocol: /^https?$/, error }).check(
    // Only http to a remote host: anything else that is no http(s) URL already has its message.
    z.refine((value) => !URL.canParse(value) || new URL(value).protocol !== 'http:' || isSecureIdpUrl(value), {
      message: HTTPS_REQUIRED,
    }),
  );

export const optionalUrlSetting = z.pipe(z.transform(emptyToUndefined), z.optional(idpUrl('must be an https URL')));
export const requiredUrlSetting = z.pipe(z.transform(emptyToUndefined), idpUrl('required: an https URL'));

/** Scheme, host and port only: nothing after the host but an optional "/". */
const isOrigin = (value: string) => {
  const { pathname, search, hash, username, password } = new URL(value);
  return pathname === '/' && search + hash + username + password === '';
};

const origin = z.pipe(
  idpUrl('each entry must be an origin such as https://idp.example.com').check(
    z.refine((value) => !URL.canParse(value) || isOrigin(value), {
      message: 'each entry must be an origin only (scheme, host and port), e.g. https://idp.example.com',
    }),
  ),
  z.transform((value: string) => new URL(value).origin),
);

/**
 * IDP_ALLOWED_ORIGINS: comma-separated origins, beyond those of the configured IdP URLs, that the
 * IdP's own answers (discovery, registration_client_uri) may point to.
 */
export const allowedOriginsSetting = z.pipe(
  z.pipe(
    optionalSetting,
    z.transform((value: string | undefined) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    ),
  ),
  z.array(origin),
);
