import { z } from 'zod';
import { ConfigurationError } from '../../commons/configuration-error';
import { defineAdapter } from '../adapter-factory';

// Placeholder while the Keycloak adapter is being written; replaced by the real factory.
export const keycloakAdapter = defineAdapter({
  needsRegistrationStore: false,
  settings: z.object({}),
  create() {
    throw new ConfigurationError('The Keycloak adapter is not available yet.');
  },
});
