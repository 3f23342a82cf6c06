import type { GenericDcrAdapter } from '../generic/generic-adapter';
import type {
  ApiRegistrationChange,
  IdpAdapter,
  IssuedClient,
  NewClient,
  OperationContext,
  RotatedSecret,
} from '../idp-adapter';
import { curityRedirectUriUpdateRefused } from './curity-redirect-uris';

/**
 * Curity managed with per-client registration access tokens: the generic RFC 7592 adapter with a
 * "dcr" token per registration and rotation by read. Curity rotates the secret and the token on
 * every management GET or PUT (https://curity.io/resources/learn/dynamic-client-registration-management/),
 * so a redirect URI update would always leave the developer with a secret that no longer works: refused.
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

  // An unknown client is answered as such (404), like every other route; a known one is refused (409).
  async updateRedirectUris(clientId: string): Promise<void> {
    await this.inner.requireKnownClient(clientId);
    throw curityRedirectUriUpdateRefused(clientId);
  }

  addRegistration(change: ApiRegistrationChange): Promise<void> {
    return this.inner.addRegistration(change);
  }

  removeRegistration(change: ApiRegistrationChange): Promise<void> {
    return this.inner.removeRegistration(change);
  }
}
