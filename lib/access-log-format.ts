import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * One JSON line per request in the API's access log. Only `$context` values that API Gateway
 * derives itself: no request or response headers, so the X-API-KEY never lands here, and no
 * bodies. `$context.error.messageString` is already a quoted JSON string.
 */
export const ACCESS_LOG_FIELDS: Readonly<Record<string, string>> = {
  requestId: '"$context.requestId"',
  extendedRequestId: '"$context.extendedRequestId"',
  ip: '"$context.identity.sourceIp"',
  requestTime: '"$context.requestTime"',
  httpMethod: '"$context.httpMethod"',
  resourcePath: '"$context.resourcePath"',
  status: '"$context.status"',
  responseLength: '"$context.responseLength"',
  responseLatency: '"$context.responseLatency"',
  integrationLatency: '"$context.integrationLatency"',
  integrationStatus: '"$context.integration.status"',
  integrationError: '"$context.integration.error"',
  errorMessage: '$context.error.messageString',
  errorType: '"$context.error.responseType"',
  wafResponseCode: '"$context.wafResponseCode"',
  xrayTraceId: '"$context.xrayTraceId"',
};

export function accessLogFormat(): AccessLogFormat {
  const members = Object.entries(ACCESS_LOG_FIELDS).map(([name, value]) => `"${name}":${value}`);
  return AccessLogFormat.custom(`{${members.join(',')}}`);
}
