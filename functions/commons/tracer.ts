import { Tracer } from '@aws-lambda-powertools/tracer';
import { DEFAULT_SERVICE_NAME } from './metrics';

/**
 * AWS X-Ray tracing, on unless POWERTOOLS_TRACE_ENABLED=false (Powertools also turns it off
 * outside Lambda). Outgoing HTTP is not captured automatically: that would put every IdP URL
 * into the trace. The IdP calls get their own subsegments instead, without URLs, headers or bodies.
 */
export function createTracer(env: NodeJS.ProcessEnv = process.env): Tracer {
  return new Tracer({
    serviceName: env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    enabled: env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false',
    captureHTTPsRequests: false,
  });
}

/** The bridge's one Tracer. */
export const tracer = createTracer();

/** What the IdP subsegment needs of a Tracer. */
export type SegmentSource = Pick<Tracer, 'isTracingEnabled' | 'getSegment'>;

/**
 * Runs one IdP HTTP exchange in a subsegment named after the IdP type, annotated with the method
 * and the answer's status only. Never annotate URLs (RFC 7592 URIs, Okta queries), headers or
 * bodies: they may carry client ids of other tenants, tokens or secrets.
 */
export async function traceIdpCall<T extends { status: number }>(
  source: SegmentSource,
  idpType: string,
  method: string,
  call: () => Promise<T>,
): Promise<T> {
  const parent = source.isTracingEnabled() ? source.getSegment() : undefined;
  if (!parent) return call();
  const subsegment = parent.addNewSubsegment(idpType);
  subsegment.addAnnotation('http_method', method);
  try {
    const answer = await call();
    subsegment.addAnnotation('http_status', answer.status);
    if (answer.status === 429) subsegment.addThrottleFlag();
    if (answer.status >= 500) subsegment.addFaultFlag();
    else if (answer.status >= 400) subsegment.addErrorFlag();
    return answer;
  } catch (error) {
    // No answer (timeout, unreachable, oversized): a fault, without the error's text.
    subsegment.addFaultFlag();
    throw error;
  } finally {
    subsegment.close();
  }
}
