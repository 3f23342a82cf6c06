import type { APIGatewayProxyResult } from 'aws-lambda';
import type { BridgeError } from '../commons/bridge-error';

// Answers may carry client secrets: no cache may keep them (RFC 7591 section 3.2.1).
const HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' };

export const jsonResponse = (statusCode: number, body: unknown): APIGatewayProxyResult => ({
  statusCode,
  headers: HEADERS,
  body: JSON.stringify(body),
});

export const noContent = (): APIGatewayProxyResult => ({ statusCode: 204, headers: HEADERS, body: '' });

export const errorResponse = (error: BridgeError): APIGatewayProxyResult =>
  jsonResponse(error.statusCode, { error: error.error, error_description: error.description });
