import { Logger } from '@aws-lambda-powertools/logger';
import { DEFAULT_SERVICE_NAME } from './metrics';
import { redactSecrets } from './redaction';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/** POWERTOOLS_LOG_LEVEL in any case; INFO when unset or unknown. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): LogLevel {
  const wanted = env.POWERTOOLS_LOG_LEVEL?.trim().toUpperCase();
  return LOG_LEVELS.find((level) => level === wanted) ?? 'INFO';
}

/**
 * The bridge's one logger: JSON lines with the AWS request id, and Konnect ids per request. Every
 * line passes the bridge's redaction (redaction.ts), known credential values included.
 */
export const logger = new Logger({
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
  logLevel: logLevelFromEnv(process.env),
  jsonReplacerFn: redactSecrets,
});
