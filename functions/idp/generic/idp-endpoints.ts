import * as z from 'zod/mini';
import { idpFailed } from '../../commons/bridge-error';
import type { HttpClient } from '../../commons/http-client';
import { logger } from '../../commons/logger';
import type { OperationContext } from '../idp-adapter';

export interface IdpEndpoints {
  registrationEndpoint: string;
  tokenEndpoint?: string;
}

export interface EndpointSettings {
  issuer?: string;
  registrationEndpoint?: string;
  tokenEndpoint?: string;
  /** Origins beyond those of the URLs above that the IdP's answers may name (IDP_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
}

const discoveryDocument = z.object({
  issuer: z.optional(z.string()),
  registration_endpoint: z.optional(z.url()),
  token_endpoint: z.optional(z.url()),
});

// OpenID Connect Discovery first, then RFC 8414 for plain OAuth servers.
const DISCOVERY_PATHS = ['/.well-known/openid-configuration', '/.well-known/oauth-authorization-server'];

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Resolves the registration and token endpoints once per container: set directly, or read from
 * the issuer's discovery document. A failed lookup is not cached, so the next request retries.
 *
 * It also says where the bridge may send credentials: only to the origins of the configured IdP
 * URLs and IDP_ALLOWED_ORIGINS. A discovery document or registration_client_uri naming any other
 * origin (a cloud metadata address, an attacker's host) is refused before anything is sent there.
 */
export class IdpEndpointResolver {
  private resolved?: Promise<IdpEndpoints>;
  private readonly trustedOrigins: ReadonlySet<string>;

  constructor(
    private readonly settings: EndpointSettings,
    private readonly http: HttpClient,
    private readonly idpName: string,
  ) {
    const { issuer, registrationEndpoint, tokenEndpoint, allowedOrigins = [] } = settings;
    const configured = [issuer, registrationEndpoint, tokenEndpoint, ...allowedOrigins];
    const origins = configured.map((url) => (url ? originOf(url) : undefined));
    this.trustedOrigins = new Set(origins.filter((origin) => origin !== undefined));
  }

  /** Whether the bridge may send the IdP's credentials (tokens, secrets) to this URL. */
  trusts(url: string): boolean {
    const origin = originOf(url);
    return origin !== undefined && this.trustedOrigins.has(origin);
  }

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
      const response = await this.http.call({ method: 'GET', url: withoutTrailingSlash(issuer) + path }, context);
      if (response.status !== 200) continue;
      const document = discoveryDocument.safeParse(response.body);
      if (!document.success) continue;
      const { data } = document;
      // OpenID Connect Discovery section 4.3 and RFC 8414 section 3.3: the document must name its issuer.
      if (withoutTrailingSlash(data.issuer ?? '') !== withoutTrailingSlash(issuer)) {
        throw this.refused('does not name the configured IDP_ISSUER as its issuer', { discovered_issuer: data.issuer });
      }
      const registration = registrationEndpoint ?? this.pinned('registration_endpoint', data.registration_endpoint);
      if (!registration) {
        throw idpFailed(`The identity provider (${this.idpName}) does not advertise a registration_endpoint.`);
      }
      return {
        registrationEndpoint: registration,
        tokenEndpoint: tokenEndpoint ?? this.pinned('token_endpoint', data.token_endpoint),
      };
    }
    throw idpFailed(`The identity provider's (${this.idpName}) discovery document could not be read.`);
  }

  private pinned(field: string, url: string | undefined): string | undefined {
    if (url === undefined || this.trusts(url)) return url;
    throw this.refused(
      `advertises a ${field} on another origin than the issuer; add that origin to IDP_ALLOWED_ORIGINS if it is the IdP's own`,
      { field, url },
    );
  }

  /** The operator sees the URLs in the log; the description reaching Konnect names none. */
  private refused(reason: string, fields: Record<string, unknown>) {
    logger.error('Refused the IdP discovery document', { idp: this.idpName, reason, ...fields });
    return idpFailed(
      `The identity provider's (${this.idpName}) discovery document ${reason}. The bridge sends no credentials to it.`,
    );
  }
}

/** scheme://host:port in canonical form (lower case, default port dropped); undefined for no http(s) URL. */
function originOf(url: string): string | undefined {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  return parsed && ['https:', 'http:'].includes(parsed.protocol) ? parsed.origin : undefined;
}
