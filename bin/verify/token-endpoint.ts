import { z } from 'zod';
import { type Exchange, exchange } from './http-exchange';

const discoveryDocument = z.object({ token_endpoint: z.url() });

/**
 * The token endpoint from the issuer's metadata: OpenID Connect discovery first, then RFC 8414
 * (which puts the well-known segment before the issuer's path).
 */
export async function discoverTokenEndpoint(issuer: string, timeoutMs: number): Promise<string> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, '');
  const candidates = [
    `${issuer}/.well-known/openid-configuration`,
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
  ];
  const tried: string[] = [];
  for (const candidate of candidates) {
    const answer = await exchange(
      { method: 'GET', url: candidate, headers: { accept: 'application/json' } },
      timeoutMs,
      "the IdP's discovery endpoint",
    );
    const parsed = discoveryDocument.safeParse(answer.body);
    if (answer.status === 200 && parsed.success) return parsed.data.token_endpoint;
    tried.push(`${candidate} → ${answer.status}${answer.status === 200 ? ' without a token_endpoint' : ''}`);
  }
  throw new Error(`no token endpoint found in the issuer's metadata (${tried.join('; ')}); pass --token-endpoint`);
}

export interface TokenAnswer {
  status: number;
  /** The OAuth error code, when the IdP sent one. */
  error?: string;
  accessToken?: string;
  /** The answer had no body at all (some IdPs refuse a client with a bare 403). */
  emptyBody?: true;
}

/** Client credentials with HTTP Basic (RFC 6749 section 2.3.1): what a developer's app would do. */
export async function requestToken(
  tokenEndpoint: string,
  credentials: { clientId: string; clientSecret: string },
  request: { scopes: string[]; audience?: string },
  timeoutMs: number,
): Promise<TokenAnswer> {
  const basic = Buffer.from(`${formEncode(credentials.clientId)}:${formEncode(credentials.clientSecret)}`).toString(
    'base64',
  );
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (request.scopes.length > 0) form.set('scope', request.scopes.join(' '));
  if (request.audience) form.set('audience', request.audience);
  const answer = await exchange(
    {
      method: 'POST',
      url: tokenEndpoint,
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
    },
    timeoutMs,
    "the IdP's token endpoint",
  );
  return tokenAnswer(answer);
}

function tokenAnswer(answer: Exchange): TokenAnswer {
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<string, unknown>;
  return {
    status: answer.status,
    error: typeof body.error === 'string' ? body.error : undefined,
    accessToken: typeof body.access_token === 'string' ? body.access_token : undefined,
    ...(answer.text.trim() === '' && { emptyBody: true }),
  };
}

/** The IdP accepted the credentials. */
export const isAccepted = (answer: TokenAnswer) => answer.status === 200 && answer.accessToken !== undefined;

/**
 * The IdP refused the credentials themselves (not, say, the scope or its own failure). A bare 403
 * counts: some servers answer a wrong or deleted client that way, without an OAuth error body.
 */
export const isRefused = (answer: TokenAnswer) =>
  answer.status === 401 ||
  (answer.status === 400 && answer.error === 'invalid_client') ||
  (answer.status === 403 && answer.emptyBody === true);

/** What counts as a refusal, for the explanations. */
export const REFUSALS = '401, 400 invalid_client or a bare 403';

/** How to show a token answer: "401 invalid_client", "403 (empty body)". */
export const describeToken = (answer: TokenAnswer) =>
  `${answer.status}${answer.error ? ` ${answer.error}` : ''}${answer.emptyBody ? ' (empty body)' : ''}`;

// application/x-www-form-urlencoded, as RFC 6749 requires before Basic encoding.
const formEncode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
