import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { recordRequest } from '../../commons/metrics';
import { routeKey } from '../route-key';
import { operationOf } from '../route-request';
import { outcomeOf } from './request-outcome';

export interface RequestSummaryOptions {
  metrics: Metrics;
  logger: Logger;
  /** The IdP type, once the dependencies are loaded. */
  idpType: () => string | undefined;
  now?: () => number;
}

type SummarizedRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * One `Requests` metric and one `Request completed` log line per invocation, from the final
 * answer: it runs its after/onError once the contract error handler has turned any failure into
 * a response, so refused keys and invalid bodies are counted like everything else. The Konnect
 * ids and the IdP's request id are in the logger's keys by then (added by the routes and the HTTP
 * client); the logger middleware clears them after this line.
 */
export const requestSummary = (
  options: RequestSummaryOptions,
): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> => {
  const now = options.now ?? Date.now;
  const startedAt = new WeakMap<SummarizedRequest, number>();

  const summarize = async (request: SummarizedRequest) => {
    // No response only if the error handler itself failed: Lambda then reports a 500.
    const status = request.response?.statusCode ?? 500;
    const operation = operationOf(request.event);
    const outcome = outcomeOf(status, request.error);
    recordRequest(options.metrics, operation, outcome);
    const idpType = options.idpType();
    const fields = {
      route: routeKey(request.event),
      operation,
      outcome,
      status,
      duration_ms: now() - (startedAt.get(request) ?? now()),
      ...(idpType !== undefined && { idp_type: idpType }),
      ...(status >= 400 && contractError(request.response?.body)),
    };
    // Failures are WARN/ERROR so they stay visible when the log level is raised.
    if (outcome === 'success') options.logger.info('Request completed', fields);
    else if (status < 500) options.logger.warn('Request completed', fields);
    else options.logger.error('Request completed', fields);
  };

  return {
    before: async (request) => {
      startedAt.set(request, now());
    },
    after: summarize,
    onError: summarize,
  };
};

/** The contract's `{error, error_description}` of an error answer: safe to log, and what the admin saw. */
function contractError(body: string | undefined): { error?: string; error_description?: string } {
  try {
    const parsed: unknown = JSON.parse(body ?? '');
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { error, error_description } = parsed as Record<string, unknown>;
    return {
      ...(typeof error === 'string' && { error }),
      ...(typeof error_description === 'string' && { error_description }),
    };
  } catch {
    return {};
  }
}
