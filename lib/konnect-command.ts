import { Token } from 'aws-cdk-lib';
import type { KonnectSettings } from './konnect-settings';

// Characters a shell passes through unquoted.
const PLAIN_WORD = /^[A-Za-z0-9_./:@%+=,-]+$/;

/**
 * The `npm run connect-konnect` line that connects this bridge to Konnect by hand: every value
 * but the token, which the command reads from KONNECT_TOKEN. Placeholders in <…> stand for what
 * the stack does not know (the Konnect region, an issuer the IdP settings do not give).
 */
export function connectKonnectCommand(
  settings: KonnectSettings,
  values: { dcrBaseUrl: string; keySecretArn: string; awsRegion: string; stackLabel: string; owner: string },
): string {
  const words = [
    'npm run connect-konnect --',
    ...settings.endpointArguments.map(shellWord),
    '--name',
    shellWord(settings.providerName),
    // The label the custom resource sets too, so either way the provider names its stack.
    '--stack-label',
    shellWord(values.stackLabel),
    // The stack's UUID: the command changes only the provider this stack owns (or creates it).
    '--owner',
    shellWord(values.owner),
    '--url',
    values.dcrBaseUrl,
    '--key-secret-id',
    values.keySecretArn,
    '--issuer',
    settings.issuer ? shellWord(settings.issuer) : "'<IdP issuer>'",
    ...(settings.disableRefreshSecret ? ['--disable-refresh-secret'] : []),
    '--region',
    values.awsRegion,
  ];
  return words.join(' ');
}

/** Known values in single quotes when a shell would split or expand them; tokens are plain URLs and ARNs. */
function shellWord(value: string): string {
  if (Token.isUnresolved(value) || PLAIN_WORD.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
