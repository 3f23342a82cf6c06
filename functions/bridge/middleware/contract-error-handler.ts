import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { BridgeError, invalidRequest, serviceUnavailable, unsupportedMediaType } from '../../commons/bridge-error';
import { ConfigurationError } from '../../commons/configuration-error';
import { logger } from '../../commons/logger';
import { redactSecretValues } from '../../commons/redaction';
import { errorResponse } from '../responses';

/**
 * Turns every failure into Konnect's `{error, error_description}` body. Only BridgeError
 * descriptions reach the caller, redacted like log lines; anything else is a 500 with a fixed
 * text and no stack trace.
 */
export const contractErrorHandler = (): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => ({
  onError: async (request) => {
    const found = toBridgeError(request.error, request.event?.body);
    const cause = found.cause ?? request.error;
    const error = redacted(found);
    const fields = {
      status: error.statusCode,
      error: error.error,
      error_description: error.description,
      ...(cause !== found && cause instanceof Error && { cause: cause.name }),
    };
    if (error.statusCode >= 500) logger.error('Request failed', fields);
    else logger.warn('Request refused', fields);
    request.response = errorResponse(error);
  },
});

/** The last line of defence: no description leaves with a credential the bridge knows in it. */
function redacted(error: BridgeError): BridgeError {
  const description = redactSecretValues(error.description);
  if (description === error.description) return error;
  return new BridgeError(error.statusCode, error.error, description, { cause: error.cause });
}

function toBridgeError(error: unknown, body: unknown): BridgeError {
  if (error instanceof BridgeError) return error;
  // Errors raised by @middy/http-json-body-parser carry a statusCode.
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  if (statusCode === 415) return unsupportedMediaType();
  if (statusCode === 422) return invalidRequest(unparsedBodyReason(error, body));
  // Names the settings to fix, never their values.
  if (error instanceof ConfigurationError) return serviceUnavailable(error.message, error);
  return new BridgeError(500, 'server_error', 'The bridge failed unexpectedly; see its logs.', { cause: error });
}

/**
 * Middy's parser answers 422 for syntax errors, for prototype keys, and when its reviver runs out
 * of stack on nesting JSON.parse alone takes: the last is valid JSON, and the admin must not be
 * sent looking for a syntax error. (Prototype keys stay "not valid JSON", as before.)
 */
function unparsedBodyReason(error: unknown, body: unknown): string {
  const forbiddenKey = (error as Error).message === 'Forbidden key in JSON body';
  if (!forbiddenKey && typeof body === 'string' && parsesAsJson(body)) return 'The request body is nested too deeply.';
  return 'The request body is not valid JSON.';
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
