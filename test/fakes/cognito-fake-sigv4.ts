import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import type http from 'node:http';
import { SignatureV4 } from '@smithy/signature-v4';
import { CognitoError } from './cognito-fake-errors';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** The service name in the credential scope of cognito-idp requests. */
export const SIGNING_SERVICE = 'cognito-idp';
/** AWS refuses a request signed more than 5 minutes away from its clock. */
const MAX_SKEW_MS = 5 * 60 * 1000;

/**
 * Checks a request's Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html)
 * by signing it again with the AWS SDK's own signer and the credentials the fake accepts. Throws the error the
 * AWS front door of JSON services answers: MissingAuthenticationTokenException, IncompleteSignatureException,
 * UnrecognizedClientException (unknown access key or session token), InvalidSignatureException (wrong
 * signature, wrong scope, expired). Guess: the texts, taken from what DynamoDB and Cognito answer.
 */
export async function checkSignature(
  request: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string },
  credentials: AwsCredentials,
  region: string,
  now = Date.now(),
): Promise<void> {
  const authorization = request.headers.authorization;
  if (!authorization) throw new CognitoError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/u.exec(
      authorization,
    );
  const amzDate = header(request.headers, 'x-amz-date');
  if (!match || !amzDate) {
    throw new CognitoError(
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature, and the request an X-Amz-Date header.',
    );
  }
  const [, accessKeyId, day, scopeRegion, scopeService, signedHeaderList = '', signature] = match;
  if (accessKeyId !== credentials.accessKeyId) {
    throw new CognitoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (
    credentials.sessionToken !== undefined &&
    header(request.headers, 'x-amz-security-token') !== credentials.sessionToken
  ) {
    throw new CognitoError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (scopeRegion !== region || scopeService !== SIGNING_SERVICE || !amzDate.startsWith(day ?? '')) {
    throw new CognitoError(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region and service: '${region}/${SIGNING_SERVICE}'.`,
    );
  }
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate || Math.abs(now - signingDate.getTime()) > MAX_SKEW_MS) {
    throw new CognitoError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is out of the allowed 5 minutes.`,
    );
  }
  const signedHeaders = signedHeaderList.split(';');
  if (!signedHeaders.includes('host')) {
    throw new CognitoError('InvalidSignatureException', "'Host' must be a signed header.");
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = header(request.headers, name) ?? '';
  const url = new URL(request.url, 'http://placeholder');
  const signer = new SignatureV4({
    service: SIGNING_SERVICE,
    region,
    credentials,
    sha256: NodeSha256,
    applyChecksum: false,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: 'http:',
      hostname: headers.host ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: request.body,
    },
    { signingDate, signableHeaders: new Set(signedHeaders) },
  );
  const expected = /Signature=([0-9a-f]{64})/u.exec(String(signed.headers.authorization))?.[1];
  if (expected !== signature) {
    throw new CognitoError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function parseAmzDate(value: string): Date | undefined {
  const parts = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/u.exec(value);
  if (!parts) return undefined;
  const [, y, mo, d, h, mi, s] = parts.map(Number);
  return new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s));
}

/** SHA-256 (or HMAC-SHA-256 given a key) in the shape the Smithy signer takes. */
class NodeSha256 {
  private readonly hash: Hash | Hmac;

  constructor(secret?: string | Uint8Array | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(secret));
  }

  update(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(toBuffer(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function toBuffer(data: string | Uint8Array | ArrayBuffer | ArrayBufferView): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
