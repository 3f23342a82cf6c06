import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DEFAULT_SERVICE_NAME } from './metrics';

/** POWERTOOLS_TRACE_ENABLED=false switches tracing off; otherwise Powertools decides (on in Lambda). */
export const tracingAllowed = (env: NodeJS.ProcessEnv): boolean =>
  env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false';

/**
 * The X-Ray SDK is loaded only where tracing may be on: loading it costs cold-start time and
 * installs a process-wide async hook (cls-hooked) that taxes every promise afterwards. A Lambda
 * environment never changes, so deciding once, at module load, is exact.
 */
const powertools = tracingAllowed(process.env) ? await import('@aws-lambda-powertools/tracer') : undefined;

/**
 * What a switched-off Powertools Tracer does for each method that the bridge and Powertools'
 * handler middleware call while tracing is off: nothing.
 */
class DisabledTracer implements Pick<Tracer, 'isTracingEnabled' | 'getSegment' | 'captureAWSv3Client'> {
  isTracingEnabled(): boolean {
    return false;
  }

  getSegment(): undefined {
    return undefined;
  }

  captureAWSv3Client<T>(client: T): T {
    return client;
  }
}

/**
 * AWS X-Ray tracing, on unless POWERTOOLS_TRACE_ENABLED=false (Powertools also turns it off
 * outside Lambda). Outgoing HTTP is not captured automatically: that would put every IdP URL
 * into the trace. The IdP calls get their own subsegments instead, without URLs, headers or bodies.
 * In a process that started with tracing switched off, every tracer is the disabled one.
 */
export function createTracer(env: NodeJS.ProcessEnv = process.env): Tracer {
  if (!powertools || !tracingAllowed(env)) {
    // Only the methods above are reached while isTracingEnabled() is false.
    return new DisabledTracer() as unknown as Tracer;
  }
  return new powertools.Tracer({
    serviceName: env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    enabled: true,
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
