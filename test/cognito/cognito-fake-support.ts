import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { AwsCredentials, FakeCognito } from '../fakes/cognito-fake';

/** The real SDK client, pointed at the fake; one attempt unless told, so each answer is seen as sent. */
export function sdkFor(
  fake: FakeCognito,
  { credentials = fake.credentials, maxAttempts = 1 }: { credentials?: AwsCredentials; maxAttempts?: number } = {},
): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ endpoint: fake.endpoint, region: fake.region, credentials, maxAttempts });
}

export interface SdkFailure {
  name: string;
  status?: number;
  message: string;
}

/** The service error a call ends with (fails the test when it succeeds). */
export async function failure(call: Promise<unknown>): Promise<SdkFailure> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as {
      name: string;
      message: string;
      $metadata?: { httpStatusCode?: number };
    };
    return { name, message, status: $metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

/** The claims of a JWT, unverified. */
export function claims(jwt: unknown): Record<string, unknown> {
  const payload = String(jwt).split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
