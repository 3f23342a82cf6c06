import { z } from 'zod';
import { ConfigurationError } from '../../commons/configuration-error';
import { defineAdapter } from '../adapter-factory';

// Placeholder while the Curity adapter is being written; replaced by the real factory.
export const curityAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({}),
  create() {
    throw new ConfigurationError('The Curity adapter is not available yet.');
  },
});
