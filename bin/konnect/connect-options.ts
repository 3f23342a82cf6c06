import { parseArgs } from 'node:util';
import { labelValue } from '../../functions/konnect/key-fingerprint';
import { isOwnerValue } from '../../functions/konnect/provider-owner';
import { KONNECT_ACCESS_USAGE, type KonnectAccess, KonnectAccessError, konnectAccess } from './konnect-access';

export interface ConnectCliOptions {
  access: KonnectAccess;
  /** The provider's name in Konnect: found by it, created with it. */
  name: string;
  /** The bridge's DcrBaseUrl. */
  url: string;
  /** The bridge's KonnectApiKeySecretArn: Konnect gets the newest key in it. */
  keySecretId: string;
  issuer: string;
  disableRefreshSecret: boolean;
  verify: boolean;
  stackLabel?: string;
  /** The stack's UUID (dcr-bridge-owner label): only a provider with it is changed. */
  owner?: string;
  /** Take over a same-named provider that has no owner label. */
  adopt: boolean;
  /** AWS region of the secrets. */
  region?: string;
}

export const CONNECT_USAGE = `Usage: npm run connect-konnect -- --konnect-region <region> | --konnect-url <url>
         --name <provider name> --url <DcrBaseUrl> --key-secret-id <KonnectApiKeySecretArn> --issuer <IdP issuer>
         [--owner <stack uuid>] [--adopt] [--disable-refresh-secret] [--no-verify] [--stack-label <name>]
         [--token-secret-id <arn>] [--region <aws region>]

Creates or updates (found by --name) Konnect's HTTP DCR provider for this bridge, then has Konnect verify it.
The Konnect token comes from KONNECT_TOKEN or --token-secret-id, never from a flag value.

${KONNECT_ACCESS_USAGE}
  --name <name>                          the DCR provider's name in Konnect (the stack name by convention)
  --url <url>                            the bridge's DcrBaseUrl (stack output)
  --key-secret-id <arn>                  the bridge's KonnectApiKeySecretArn (stack output); its newest key goes to Konnect
  --issuer <url>                         the IdP issuer the auth strategy expects
  --disable-refresh-secret               for IdPs whose adapter cannot rotate a client secret
  --no-verify                            skip Konnect's verify (a real create through the bridge)
  --stack-label <name>                   label the provider dcr-bridge-stack=<name>
  --owner <uuid>                         the stack's UUID (ConnectKonnectCommand output): the provider is labelled
                                         dcr-bridge-owner=<uuid>, and one owned by another bridge is refused
  --adopt                                take over a provider of that name that has no dcr-bridge-owner label
                                         (made by hand, or connected without --owner); without it such a provider is refused
  --region <aws region>                  region of the secrets (default: the AWS SDK's)`;

export class ConnectUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectUsageError';
  }
}

const OPTIONS = {
  'konnect-region': { type: 'string' },
  'konnect-url': { type: 'string' },
  'token-secret-id': { type: 'string' },
  name: { type: 'string' },
  url: { type: 'string' },
  'key-secret-id': { type: 'string' },
  issuer: { type: 'string' },
  'disable-refresh-secret': { type: 'boolean' },
  'no-verify': { type: 'boolean' },
  'stack-label': { type: 'string' },
  owner: { type: 'string' },
  adopt: { type: 'boolean' },
  region: { type: 'string' },
} as const;

/** An absolute https URL (http only on loopback, for a local bridge). */
function checkUrl(flag: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConnectUsageError(`${flag} must be an absolute URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConnectUsageError(`${flag} must be an https URL`);
  }
  if (value.length > 256) throw new ConnectUsageError(`${flag} must be at most 256 characters (Konnect's limit)`);
  return value;
}

export function parseConnectArgs(argv: string[], env: NodeJS.ProcessEnv): ConnectCliOptions {
  if (argv.some((arg) => arg === '--token' || arg.startsWith('--token='))) {
    throw new ConnectUsageError(
      '--token is not accepted (it would land in shell history): set KONNECT_TOKEN or use --token-secret-id',
    );
  }
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }));
  } catch (error) {
    throw new ConnectUsageError(error instanceof Error ? error.message : String(error));
  }
  const required = (flag: 'name' | 'url' | 'key-secret-id' | 'issuer') => {
    const value = values[flag]?.trim();
    if (!value) throw new ConnectUsageError(`--${flag} is required`);
    return value;
  };
  const name = required('name');
  if (name.length > 256) throw new ConnectUsageError('--name must be at most 256 characters');
  const url = checkUrl('--url', required('url'));
  const keySecretId = required('key-secret-id');
  const issuer = checkUrl('--issuer', required('issuer'));
  let access: KonnectAccess;
  try {
    access = konnectAccess(values, env);
  } catch (error) {
    if (error instanceof KonnectAccessError) throw new ConnectUsageError(error.message);
    throw error;
  }
  const stackLabel = values['stack-label']?.trim();
  if (stackLabel !== undefined && labelValue(stackLabel) === undefined) {
    throw new ConnectUsageError('--stack-label must contain letters or digits');
  }
  const owner = values.owner?.trim() || undefined;
  if (owner !== undefined && !isOwnerValue(owner)) {
    throw new ConnectUsageError('--owner must be the stack UUID (letters, digits, "-", at most 63 characters)');
  }
  return {
    access,
    name,
    url,
    keySecretId,
    issuer,
    disableRefreshSecret: values['disable-refresh-secret'] ?? false,
    verify: !(values['no-verify'] ?? false),
    stackLabel: stackLabel ? labelValue(stackLabel) : undefined,
    owner,
    adopt: values.adopt ?? false,
    region: values.region?.trim() || undefined,
  };
}
