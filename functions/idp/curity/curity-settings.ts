import * as z from 'zod/mini';
import { allowedOriginsSetting, optionalSetting, optionalUrlSetting, requiredUrlSetting } from '../settings';

// RFC 6749 section 3.3: one scope token.
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/;

const scopeSetting = (fallback: string) =>
  z.pipe(
    optionalSetting,
    z._default(z.string().check(z.regex(SCOPE_TOKEN, 'must be one OAuth scope value')), fallback),
  );

/**
 * How the bridge manages clients after registering them:
 * `dcrm` = one token with Curity's "dcrm" scope manages every dynamically registered client;
 * `rat` = the per-client registration access token of RFC 7592, kept in the registration table.
 */
export const CURITY_MANAGEMENT_MODES = ['dcrm', 'rat'] as const;

export const curitySettings = z.object({
  IDP_ISSUER: requiredUrlSetting,
  IDP_REGISTRATION_ENDPOINT: optionalUrlSetting,
  IDP_TOKEN_ENDPOINT: optionalUrlSetting,
  IDP_ALLOWED_ORIGINS: allowedOriginsSetting,
  IDP_CURITY_MANAGEMENT: z.pipe(
    optionalSetting,
    z._default(z.enum(CURITY_MANAGEMENT_MODES, 'must be "dcrm" or "rat"'), 'dcrm'),
  ),
  IDP_CURITY_DCR_SCOPE: scopeSetting('dcr'),
  IDP_CURITY_DCRM_SCOPE: scopeSetting('dcrm'),
});

export type CuritySettings = z.output<typeof curitySettings>;
