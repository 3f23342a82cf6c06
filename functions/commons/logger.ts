import { Logger } from '@aws-lambda-powertools/logger';

// Any log attribute whose name looks like a credential is masked, whatever its depth.
const SECRET_KEY_PATTERN = /secret|token|password|api[-_]?key|authorization|credential/i;

/** Masks values of secret-looking keys; a second line of defence after "never log a secret". */
export function redactSecrets(key: string, value: unknown): unknown {
  if (key !== '' && SECRET_KEY_PATTERN.test(key) && (typeof value === 'string' || typeof value === 'object')) {
    return value === null ? value : '[redacted]';
  }
  return value;
}

/** The bridge's one logger: JSON lines with the AWS request id, and Konnect ids per request. */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'dcr-bridge',
  jsonReplacerFn: redactSecrets,
});
