import type { IdpType } from '../functions/idp/create-idp-adapter';
import { isKonnectRegion, KONNECT_REGIONS, konnectApiUrl } from '../functions/konnect/konnect-regions';
import type { BridgeStackProps } from './bridge-stack-props';
import { assertKonnectIssuer, derivedKonnectIssuer, issuerUnknownReason } from './konnect-issuer';

/** Complete secret ARN: IAM then names exactly this secret (a partial ARN would need a wildcard). */
const COMPLETE_SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;

/** Konnect's limits on a DCR provider name. */
const MAX_PROVIDER_NAME_LENGTH = 256;

/** What the stack needs to connect Konnect, resolved from the props and the IdP settings. */
export interface KonnectSettings {
  /** `--konnect-region <r>` or `--konnect-url <url>` for the command line; a placeholder without either. */
  readonly endpointArguments: readonly string[];
  /** The API base URL (…/v2) for the Lambdas; undefined without region or URL. */
  readonly apiUrl?: string;
  readonly providerName: string;
  /** undefined when neither konnectIssuer nor the IdP settings give one. */
  readonly issuer?: string;
  /** On where the adapter cannot issue a new client secret (generic with IDP_SECRET_ROTATION=none). */
  readonly disableRefreshSecret: boolean;
  /** Set: the custom resource connects Konnect at deploy. */
  readonly tokenSecretArn?: string;
  readonly removeOnDelete: boolean;
  /** Take over a same-named provider without owner label. */
  readonly adoptProvider: boolean;
  /** Set: Secrets Manager rotates the key every this many days. */
  readonly rotationDays?: number;
}

/** Reads and checks the Konnect props; combinations that cannot work fail the synth. */
export function konnectSettings(
  props: BridgeStackProps,
  stackName: string,
  idpType: IdpType,
  idpEnvironment: Record<string, string>,
): KonnectSettings {
  const { konnectRegion, konnectApiUrl: explicitUrl, konnectTokenSecretArn: tokenSecretArn } = props;
  if (konnectRegion !== undefined && !isKonnectRegion(konnectRegion)) {
    throw new Error(`konnectRegion must be one of ${KONNECT_REGIONS.join(', ')}, got ${konnectRegion}`);
  }
  if (konnectRegion && explicitUrl) throw new Error('Set konnectRegion or konnectApiUrl, not both');
  const apiUrl = explicitUrl ? deployedApiUrl(explicitUrl) : konnectRegion && konnectApiUrl(konnectRegion);
  if (tokenSecretArn !== undefined && !COMPLETE_SECRET_ARN.test(tokenSecretArn)) {
    throw new Error(
      'konnectTokenSecretArn must be the complete ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>)',
    );
  }
  if (tokenSecretArn && !apiUrl) throw new Error('konnectTokenSecretArn needs konnectRegion (or konnectApiUrl)');
  if (!tokenSecretArn) {
    for (const name of ['konnectProviderRemoval', 'konnectKeyRotationDays', 'konnectAdoptProvider'] as const) {
      if (props[name] !== undefined) throw new Error(`${name} needs konnectTokenSecretArn`);
    }
  }
  const rotationDays = props.konnectKeyRotationDays;
  if (rotationDays !== undefined && (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > 1000)) {
    // Secrets Manager's own bounds for a rotation schedule.
    throw new Error(`konnectKeyRotationDays must be an integer from 1 to 1000, got ${rotationDays}`);
  }
  const providerName = props.konnectProviderName ?? stackName;
  if (providerName.trim() === '' || providerName.length > MAX_PROVIDER_NAME_LENGTH) {
    throw new Error(`konnectProviderName must be 1 to ${MAX_PROVIDER_NAME_LENGTH} characters`);
  }
  const issuer = props.konnectIssuer
    ? assertKonnectIssuer(props.konnectIssuer, 'konnectIssuer')
    : derivedKonnectIssuer(idpType, idpEnvironment);
  if (tokenSecretArn && !issuer) {
    throw new Error(
      `konnectIssuer is required with idpType=${idpType}: ${issuerUnknownReason(idpType)}. Set -c konnectIssuer=<the issuer of the tokens the gateway checks>.`,
    );
  }
  return {
    endpointArguments: explicitUrl
      ? ['--konnect-url', apiUrl as string]
      : ['--konnect-region', konnectRegion ?? `<${KONNECT_REGIONS.join('|')}>`],
    apiUrl,
    providerName,
    issuer: issuer && tokenSecretArn ? assertKonnectIssuer(issuer, 'the IdP issuer (konnectIssuer)') : issuer,
    disableRefreshSecret: idpType === 'generic' && (idpEnvironment.IDP_SECRET_ROTATION ?? 'none') === 'none',
    tokenSecretArn,
    removeOnDelete: props.konnectProviderRemoval === 'destroy',
    adoptProvider: props.konnectAdoptProvider === true,
    rotationDays,
  };
}

/** The deployed Lambdas call Konnect from AWS: https only (loopback http is for local tools). */
function deployedApiUrl(url: string): string {
  let resolved: string;
  try {
    resolved = konnectApiUrl(url);
  } catch (error) {
    throw new Error(`konnectApiUrl: ${(error as Error).message}`);
  }
  if (!resolved.startsWith('https://')) throw new Error('konnectApiUrl must be an https URL');
  return resolved;
}
