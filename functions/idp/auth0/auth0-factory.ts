import { z } from 'zod';
import { ConfigurationError } from '../../commons/configuration-error';
import { defineAdapter } from '../adapter-factory';

// Placeholder while the Auth0 adapter is being written; replaced by the real factory.
export const auth0Adapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({}),
  create() {
    throw new ConfigurationError('The Auth0 adapter is not available yet.');
  },
});
