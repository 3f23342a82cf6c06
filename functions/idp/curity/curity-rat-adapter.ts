import { logger } from '../../commons/logger';
import type { GenericDcrAdapter } from '../generic/generic-adapter';
import type {
  ApiRegistrationChange,
  IdpAdapter,
  IssuedClient,
  NewClient,
  OperationContext,
  RotatedSecret,
} from '../idp-adapter';

/**
 * Curity managed with per-client registration access tokens: the generic RFC 7592 adapter with a
 * "dcr" token per registration and rotation by read. Curity rotates the secret and the token on
 * every management GET or PUT (https://curity.io/resources/learn/dynamic-client-registration-management/),
 * so a redirect URI update always leaves the developer with a secret that no longer works.
 */
export class CurityRatAdapter implements IdpAdapter {
  readonly name = 'curity';

  constructor(private readonly inner: GenericDcrAdapter) {}

  createClient(client: NewClient, context: OperationContext): Promise<IssuedClient> {
    return this.inner.createClient(client, context);
  }

  deleteClient(clientId: string, context: OperationContext): Promise<void> {
    return this.inner.deleteClient(clientId, context);
  }

  rotateSecret(clientId: string, context: OperationContext): Promise<RotatedSecret> {
    return this.inner.rotateSecret(clientId, context);
  }

  async updateRedirectUris(clientId: string, redirectUris: string[], context: OperationContext): Promise<void> {
    await this.inner.updateRedirectUris(clientId, redirectUris, context);
    logger.warn(
      'Curity issued a new client secret while the bridge updated the redirect URIs; the developer must refresh the secret in the portal',
      { client_id: clientId },
    );
  }

  addRegistration(change: ApiRegistrationChange): Promise<void> {
    return this.inner.addRegistration(change);
  }

  removeRegistration(change: ApiRegistrationChange): Promise<void> {
    return this.inner.removeRegistration(change);
  }
}
