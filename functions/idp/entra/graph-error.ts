import * as z from 'zod/mini';
import { BridgeError, idpFailed, serviceUnavailable } from '../../commons/bridge-error';
import type { HttpResponse } from '../../commons/http-client';
import { sanitizeIdpText } from '../idp-error';

/** Graph's error body: `{error: {code, message, innerError: {request-id, date}, details?}}`. */
const graphErrorBody = z.object({
  error: z.looseObject({
    code: z.optional(z.string()),
    message: z.optional(z.string()),
    details: z.optional(z.array(z.looseObject({ code: z.optional(z.string()) }))),
    innerError: z.optional(z.looseObject({ 'request-id': z.optional(z.string()) })),
  }),
});

export interface GraphError {
  code?: string;
  message?: string;
  detailCodes: string[];
  /** Quoted to Microsoft support to trace the call; not a secret. */
  requestId?: string;
}

/** Reads Graph's error from a response, sanitized; fields are missing when Graph sent none. */
export function graphErrorOf(response: Pick<HttpResponse, 'body' | 'headers'>): GraphError {
  const parsed = graphErrorBody.safeParse(response.body);
  const error = parsed.success ? parsed.data.error : undefined;
  const requestId = error?.innerError?.['request-id'] ?? response.headers.get('request-id') ?? undefined;
  return {
    code: error?.code === undefined ? undefined : sanitizeIdpText(error.code),
    message: error?.message === undefined ? undefined : sanitizeIdpText(error.message),
    detailCodes: (error?.details ?? []).flatMap((detail) => (detail.code ? [detail.code] : [])),
    requestId: requestId === undefined ? undefined : sanitizeIdpText(requestId),
  };
}

/**
 * True when Graph does not see an object created moments ago: directory replication lags behind
 * the create for seconds, and the next step answers 404 Request_ResourceNotFound, or (service
 * principal) 400 "The appId ... does not reference a valid application object".
 */
export function isReplicationLag(response: HttpResponse): boolean {
  if (response.status === 404) return true;
  if (response.status !== 400) return false;
  const { detailCodes, message } = graphErrorOf(response);
  return detailCodes.includes('NoBackingApplicationObject') || /valid application object/i.test(message ?? '');
}

/** What the developer typed, named by the Graph property Graph complains about. */
const DEVELOPER_INPUT: ReadonlyArray<[RegExp, string]> = [
  [/redirect ?ur[il]/i, 'invalid_redirect_uri'],
  [/displayName|description/i, 'invalid_client_metadata'],
];

/**
 * Maps an unexpected Graph answer to what Konnect shows, keeping apart: the developer's input
 * refused (400), the bridge's token or permissions refused (502, says so), throttling (503), and
 * Graph failing (502). Descriptions carry Graph's code, message and request-id, never a secret.
 */
export function graphFailure(
  operation: string,
  response: HttpResponse,
  { developerInput = false }: { developerInput?: boolean } = {},
): BridgeError {
  const { code, message, requestId } = graphErrorOf(response);
  const detail = [[code, message].filter(Boolean).join(': '), requestId && `request-id ${requestId}`]
    .filter(Boolean)
    .join('; ');
  const answered = `Microsoft Graph answered ${response.status}${detail ? ` (${detail})` : ''} to ${operation}`;
  if (response.status === 400 && developerInput) {
    const refused = DEVELOPER_INPUT.find(([pattern]) => pattern.test(message ?? ''));
    if (refused) return new BridgeError(400, refused[1], `${answered}.`);
  }
  if (response.status === 401) {
    return idpFailed(
      `${answered}: the bridge's Graph token was refused; check the bridge's Entra credentials (client_id, client_secret) and tenant.`,
    );
  }
  if (response.status === 403) {
    return idpFailed(
      `${answered}: the bridge's Entra application lacks the permission; it needs the Microsoft Graph application permission Application.ReadWrite.OwnedBy with admin consent, and must own the application.`,
    );
  }
  if (response.status === 429) {
    return serviceUnavailable(`${answered}: Microsoft Graph is rate-limiting the bridge; retry later.`);
  }
  return idpFailed(`${answered}.`);
}
