import { generateKeyPairSync, type KeyObject, randomUUID, sign } from 'node:crypto';
import type { RecordedRequest } from '../unit/support/loopback-server';
import type { FakeUserPool } from './cognito-fake-pool';
import { accessTokenSeconds } from './cognito-fake-validation';
import type { Answer } from './fake-http';
import { clientAuthentication, formBody } from './fake-http';

/** The RSA key a user pool signs its tokens with, and its JWKS (https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json). */
export class TokenKeys {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;

  constructor() {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  jwks(): { keys: Record<string, unknown>[] } {
    return { keys: [{ ...this.publicKey.export({ format: 'jwk' }), kid: this.kid, alg: 'RS256', use: 'sig' }] };
  }

  sign(claims: Record<string, unknown>): string {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const input = `${encode({ kid: this.kid, alg: 'RS256' })}.${encode(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), this.privateKey).toString('base64url')}`;
  }
}

/**
 * POST /oauth2/token of the user pool domain, client credentials grant, as the developer guide's "Token
 * endpoint" page documents it (https://docs.aws.amazon.com/cognito/latest/developerguide/token-endpoint.html):
 * form body; the client authenticates with HTTP Basic (client_secret_basic) or client_id and client_secret
 * in the body (client_secret_post); `scope` is optional — "If the client doesn't request any scopes, the
 * authentication server uses all custom scopes associated with the client"; any active secret works.
 * Errors are `{"error": …}` with status 400: invalid_request, invalid_client, unauthorized_client,
 * unsupported_grant_type, and invalid_scope for a scope the client is not allowed (guess: 400 for
 * invalid_client too, as the page's error example shows 400 for every code).
 */
export function tokenAnswer(request: RecordedRequest, pool: FakeUserPool, keys: TokenKeys, issuer: string): Answer {
  const form = formBody(request);
  if (request.method !== 'POST' || !form) return oauthError('invalid_request');
  const grantType = form.get('grant_type');
  if (!grantType) return oauthError('invalid_request');
  if (!['client_credentials', 'authorization_code', 'refresh_token'].includes(grantType)) {
    return oauthError('unsupported_grant_type');
  }
  const { id, secret } = clientAuthentication(request, form);
  const client = id ? pool.clients.get(id) : undefined;
  if (!client || !secret || !client.secrets.some((stored) => stored.value === secret))
    return oauthError('invalid_client');
  if (grantType !== 'client_credentials') return oauthError('invalid_grant');
  const settings = client.settings;
  // Flows stored with AllowedOAuthFlowsUserPoolClient false: invalid_grant (hashicorp/terraform-provider-aws#34945).
  if (!settings.AllowedOAuthFlowsUserPoolClient) return oauthError('invalid_grant');
  // Guess: unauthorized_client, the page's "Client is not allowed for …" code, for a client without the grant.
  if (!settings.AllowedOAuthFlows?.includes('client_credentials')) return oauthError('unauthorized_client');
  const allowed = settings.AllowedOAuthScopes ?? [];
  const requested = form.get('scope')?.split(' ').filter(Boolean);
  const scopes = requested && requested.length > 0 ? requested : allowed;
  if (scopes.length === 0 || scopes.some((scope) => !allowed.includes(scope))) return oauthError('invalid_scope');
  const now = Math.floor(Date.now() / 1000);
  const expiresIn = accessTokenSeconds(settings);
  // The claims of a client credentials access token (developer guide, "Understanding the access token").
  const accessToken = keys.sign({
    sub: client.clientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: issuer,
    exp: now + expiresIn,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.clientId,
  });
  return {
    status: 200,
    body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' },
    headers: { 'cache-control': 'no-store' },
  };
}

function oauthError(error: string): Answer {
  return { status: 400, body: { error } };
}
