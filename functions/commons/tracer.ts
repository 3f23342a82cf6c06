import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import { DEFAULT_SERVICE_NAME } from './metrics';

/** POWERTOOLS_TRACE_ENABLED=false switches tracing off; otherwise Powertools decides (on in Lambda). */
export const tracingAllowed = (env: NodeJS.ProcessEnv): boolean =>
  env.POWERTOOLS_TRACE_ENABLED?.trim().toLowerCase() !== 'false';

/**
 * Powertools Tracer and the X-Ray SDK behind it, loaded only where the bridge's own subsegments
 * may be recorded. Two switches, both decided once at module load (a Lambda environment never changes):
 * - At bundle time: lib/bridge-function.ts defines `process.env.BRIDGE_BUNDLED_XRAY_SDK` as
 *   "false" unless the deployment asks for subsegments (`tracingSubsegments`). The condition is
 *   then a constant, the import below dead code, and esbuild leaves Powertools Tracer,
 *   aws-xray-sdk-core and cls-hooked out of the bundle (about 120 kB, and CPU time at every cold start).
 *   Lambda's active tracing needs none of them: the runtime records the function's segment itself.
 *   Without the define (npm start, tests, tools) the SDK is available.
 * - At run time: POWERTOOLS_TRACE_ENABLED=false. Loading the SDK is not just start-up time:
 *   aws-xray-sdk-core creates its cls-hooked namespace at load, which installs a process-wide
 *   async hook that every promise pays for afterwards, tracing on or off.
 */
const powertools =
  process.env.BRIDGE_BUNDLED_XRAY_SDK !== 'false' && tracingAllowed(process.env)
    ? await Promise.all([import('@aws-lambda-powertools/tracer'), import('@aws-lambda-powertools/tracer/middleware')])
    : undefined;

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
 * The bridge's own X-Ray subsegments, on where the SDK is available (above) unless
 * POWERTOOLS_TRACE_ENABLED=false (Powertools also turns it off outside Lambda). Outgoing HTTP is
 * not captured automatically: that would put every IdP URL into the trace. The IdP calls get
 * their own subsegments instead, without URLs, headers or bodies.
 * In a process that started with tracing switched off, every tracer is the disabled one.
 */
export function createTracer(env: NodeJS.ProcessEnv = process.env): Tracer {
  if (!powertools || !tracingAllowed(env)) {
    // Only the methods above are reached while isTracingEnabled() is false.
    return new DisabledTracer() as unknown as Tracer;
  }
  return new powertools[0].Tracer({
    serviceName: env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME,
    enabled: true,
    captureHTTPsRequests: false,
  });
}

/** The bridge's one Tracer. */
export const tracer = createTracer();

/**
 * Powertools' handler-subsegment middleware for this tracer, or undefined in a process without
 * the SDK, where it could never record anything.
 */
export function handlerSubsegment(
  target: Tracer,
  options: Parameters<typeof captureLambdaHandler>[1],
): ReturnType<typeof captureLambdaHandler> | undefined {
  return powertools?.[1].captureLambdaHandler(target, options);
}

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
