import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { MiddlewareObj, Request } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { handlerSubsegment } from '../../commons/tracer';
import { operationOf } from '../route-request';
import { outcomeOf } from './request-outcome';

type TracedRequest = Request<APIGatewayProxyEvent, APIGatewayProxyResult>;

/**
 * Powertools' handler subsegment (cold start and service annotations), with two changes that
 * keep secrets out of X-Ray: the response is never recorded (it carries client secrets), and
 * neither is the error (its text may quote an IdP answer). The subsegment is annotated with
 * operation, outcome and status instead, and flagged by status: 4xx error, 5xx fault, 429 throttle.
 * The error's details are in the logs, which carry the same X-Ray trace id.
 * No middleware at all (an empty list, which Middy accepts) in a process without the X-Ray SDK,
 * such as the default deployment's bundle (functions/commons/tracer.ts): Lambda's active tracing
 * still records the invocation.
 */
export const traceInvocation = (tracer: Tracer): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult>[] => {
  const powertools = handlerSubsegment(tracer, { captureResponse: false });
  if (!powertools) return [];

  const finish = async (request: TracedRequest) => {
    if (tracer.isTracingEnabled()) annotate(tracer, request);
    // With captureResponse off, Powertools' `after` only closes the handler subsegment.
    await powertools.after?.(request);
  };

  return [{ before: powertools.before, after: finish, onError: finish }];
};

function annotate(tracer: Tracer, request: TracedRequest): void {
  const segment = tracer.getSegment();
  if (!segment) return;
  const status = request.response?.statusCode ?? 500;
  segment.addAnnotation('operation', operationOf(request.event));
  segment.addAnnotation('outcome', outcomeOf(status, request.error));
  segment.addAnnotation('status', status);
  if (status === 429) segment.addThrottleFlag();
  if (status >= 500) segment.addFaultFlag();
  else if (status >= 400) segment.addErrorFlag();
}
