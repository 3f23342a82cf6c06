import { settingsProblems } from '../functions/commons/configuration-error';
import { ADAPTERS, IDP_TYPES, type IdpType } from '../functions/idp/create-idp-adapter';

/** Settings that are secrets: they belong in the IdP credentials secret, never in the template. */
const SECRET_SETTINGS = new Set([
  'IDP_CLIENT_ID',
  'IDP_CLIENT_SECRET',
  'IDP_INITIAL_ACCESS_TOKEN',
  'IDP_API_TOKEN',
  'IDP_PRIVATE_KEY',
]);

/** Settings the stack itself owns. */
const STACK_SETTINGS = new Set(['IDP_TYPE', 'IDP_TIMEOUT_MS', 'IDP_CREDENTIALS_SECRET_ARN']);

/** The adapter registry is the one source of truth for which IdP types exist. */
export function parseIdpType(value: string | undefined): IdpType {
  const idpType = value ?? 'generic';
  if (!(IDP_TYPES as string[]).includes(idpType)) {
    throw new Error(`idpType must be one of ${IDP_TYPES.join(', ')}, got ${JSON.stringify(idpType)}`);
  }
  return idpType as IdpType;
}

/** Refuses settings that must not be plain environment variables of the function. */
export function assertDeployableSettings(settings: Record<string, string>): void {
  for (const name of Object.keys(settings)) {
    if (!/^IDP_[A-Z0-9_]+$/.test(name)) throw new Error(`idpSettings: ${name} is not an IDP_* setting`);
    if (SECRET_SETTINGS.has(name)) {
      throw new Error(`idpSettings: ${name} is a credential; put it in the IdP credentials secret instead`);
    }
    if (STACK_SETTINGS.has(name)) throw new Error(`idpSettings: ${name} is set by the stack itself`);
  }
}

/** What the adapter would refuse at cold start, found at synth time instead ("" when fine). */
export function idpSettingsProblems(idpType: IdpType, settings: Record<string, string>): string {
  const parsed = ADAPTERS[idpType].settings.safeParse(settings);
  return parsed.success ? '' : settingsProblems(parsed.error);
}

export { needsRegistrationStore } from '../functions/idp/create-idp-adapter';
