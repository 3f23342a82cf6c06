import { z } from 'zod';
import { ConfigurationError } from '../../commons/configuration-error';
import { defineAdapter } from '../adapter-factory';

// Placeholder while the Entra adapter is being written; replaced by the real factory.
export const entraAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({}),
  create() {
    throw new ConfigurationError('The Entra adapter is not available yet.');
  },
});
