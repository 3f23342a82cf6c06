import { z } from 'zod';
import { ConfigurationError } from '../../commons/configuration-error';
import { defineAdapter } from '../adapter-factory';

// Placeholder while the Okta adapter is being written; replaced by the real factory.
export const oktaAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({}),
  create() {
    throw new ConfigurationError('The Okta adapter is not available yet.');
  },
});
