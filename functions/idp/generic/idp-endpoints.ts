import * as z from 'zod';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import type { OperationContext } from '../idp-adapter';

export interface IdpEndpoints {
  registrationEndpoint: string;
  tokenEndpoint?: string;
}

export interface EndpointSettings {
  issuer?: string;
  registrationEndpoint?: string;
  tokenEndpoint?: string;
}

const discoveryDocument = z.object({
  registration_endpoint: z.url().optional(),
  token_endpoint: z.url().optional(),
});

// OpenID Connect Discovery first, then RFC 8414 for plain OAuth servers.
const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

/**
 * Resolves the registration and token endpoints once per container: set directly, or read from
 * the issuer's discovery document. A failed lookup is not cached, so the next request retries.
 */
export class IdpEndpointResolver {
  private resolved?: Promise<IdpEndpoints>;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly http: HttpClient,
    private readonly idpName: string,
  ) {}

  resolve(context: OperationContext): Promise<IdpEndpoints> {
    this.resolved ??= this.discover(context).catch((error: unknown) => {
      this.resolved = undefined;
      throw error;
    });
    return this.resolved;
  }

  private async discover(context: OperationContext): Promise<IdpEndpoints> {
    const { issuer, registrationEndpoint, tokenEndpoint } = this.settings;
    if (registrationEndpoint && (tokenEndpoint || !issuer)) return { registrationEndpoint, tokenEndpoint };
    if (!issuer) throw idpFailed(`The bridge has no registration endpoint for ${this.idpName}.`);
    for (const path of DISCOVERY_PATHS) {
      const response = await this.http.call({ method: 'GET', url: issuer.replace(/\/$/, '') + path }, context);
      if (response.status !== 200) continue;
      const document = discoveryDocument.safeParse(response.body);
      if (!document.success) continue;
      const registration = registrationEndpoint ?? document.data.registration_endpoint;
      if (!registration) {
        throw idpFailed(`The identity provider (${this.idpName}) does not advertise a registration_endpoint.`);
      }
      return { registrationEndpoint: registration, tokenEndpoint: tokenEndpoint ?? document.data.token_endpoint };
    }
    throw idpFailed(`The identity provider's (${this.idpName}) discovery document could not be read.`);
  }
}
