import type { core } from 'zod/mini';
import './zod-locale';

/** The bridge's environment is wrong; answered as 503 naming the settings, never their values. */
export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** "NAME: reason; NAME: reason" from a failed settings parse. */
export const settingsProblems = (error: core.$ZodError) =>
  error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
