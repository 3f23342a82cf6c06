/**
 * An error the bridge answers Konnect with. Konnect shows `error` and `error_description` to the
 * portal admin, so descriptions must be useful and must never carry secrets or internal addresses.
 */
export class BridgeError extends Error {
  constructor(
    readonly statusCode: number,
    readonly error: string,
    readonly description: string,
    options?: { cause?: unknown },
  ) {
    super(description, options);
    this.name = 'BridgeError';
  }
}

export const invalidRequest = (description: string) => new BridgeError(400, 'invalid_request', description);

export const invalidClientMetadata = (description: string) =>
  new BridgeError(400, 'invalid_client_metadata', description);

export const unauthorized = () => new BridgeError(401, 'unauthorized', 'Missing or invalid X-API-KEY header.');

export const clientNotFound = (clientId: string) =>
  new BridgeError(404, 'client_not_found', `No client with id ${clientId} is known to the bridge.`);

export const unsupportedMediaType = () =>
  new BridgeError(415, 'invalid_request', 'The request body must be JSON (Content-Type: application/json).');

export const idpFailed = (description: string, cause?: unknown) =>
  new BridgeError(502, 'idp_error', description, { cause });

export const serviceUnavailable = (description: string, cause?: unknown) =>
  new BridgeError(503, 'service_unavailable', description, { cause });

/** What a caller who cannot be authenticated learns of a misconfiguration: no setting names, no IdP type. */
export const misconfigured = (cause?: unknown) =>
  serviceUnavailable('The bridge is misconfigured; see its logs.', cause);

export const idpTimeout = (idpName: string, cause?: unknown) =>
  new BridgeError(
    504,
    'idp_timeout',
    `The identity provider (${idpName}) did not answer within the bridge's deadline.`,
    { cause },
  );
