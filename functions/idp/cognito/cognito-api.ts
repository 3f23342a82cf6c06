import type {
  AddUserPoolClientSecretResponse,
  CognitoIdentityProviderClient,
  CreateUserPoolClientRequest,
  CreateUserPoolClientResponse,
  DescribeUserPoolClientResponse,
  ListUserPoolClientSecretsResponse,
  ListUserPoolClientsResponse,
  UpdateUserPoolClientRequest,
  UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';
import { idpFailed, idpTimeout } from '../../commons/bridge-error';
import { connectFailed } from '../../commons/error-chain';
import { RequestNotSentError } from '../../commons/http-client';
import { metrics, recordIdpLatency, recordIdpRateLimited } from '../../commons/metrics';
import { rateLimitWaitMs, waitFor } from '../../commons/rate-limit';
import { tracer } from '../../commons/tracer';
import type { OperationContext } from '../idp-adapter';
import { type CognitoOperation, rateLimited, serviceErrorOf, THROTTLED } from './cognito-error';

type CognitoSdk = typeof import('./cognito-sdk');

/** Attempts of one operation while Cognito throttles it; each retry only when its wait fits the deadline. */
const MAX_ATTEMPTS = 3;
/** Time kept back after a throttling wait for the retried call itself (as commons/http-client.ts). */
const RETRY_HEADROOM_MS = 500;
/** ListUserPoolClients' largest page (API_ListUserPoolClients: MaxResults 1 to 60). */
const LIST_PAGE_SIZE = 60;

export interface CognitoApiOptions {
  userPoolId: string;
  region: string;
  /** How the SDK is loaded; by default the package itself, on the first call. */
  loadSdk?: () => Promise<CognitoSdk>;
}

/**
 * The Cognito Identity Provider API, on the AWS SDK: the bridge's Lambda role is the credential
 * (default provider chain), and the endpoint is the SDK's own override where one is set
 * (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER). The SDK is imported on the first call only, so a
 * container that answers a 401 never loads it. Every call ends with the operation's deadline
 * (abortSignal, and a race for the SDK's own waits). The SDK's retries are off: it would repeat a
 * CreateUserPoolClient after a timeout, making a second client Konnect never hears of; throttling
 * alone is retried here, since a throttled request was refused before any work was done.
 */
export class CognitoApi {
  private client?: Promise<{ sdk: CognitoSdk; client: CognitoIdentityProviderClient }>;

  constructor(private readonly options: CognitoApiOptions) {}

  get userPoolId(): string {
    return this.options.userPoolId;
  }

  /** API_CreateUserPoolClient; the answer's UserPoolClient holds the generated ClientSecret. */
  async createClient(
    input: Omit<CreateUserPoolClientRequest, 'UserPoolId'>,
    context: OperationContext,
  ): Promise<UserPoolClientType> {
    const answer = await this.send<CreateUserPoolClientResponse>(
      'CreateUserPoolClient',
      (sdk) => new sdk.CreateUserPoolClientCommand({ ...input, UserPoolId: this.userPoolId }),
      context,
    );
    return requireClient(answer.UserPoolClient, 'CreateUserPoolClient');
  }

  /** API_DescribeUserPoolClient: the whole configuration, which an update must send back. */
  async describeClient(clientId: string, context: OperationContext): Promise<UserPoolClientType> {
    const answer = await this.send<DescribeUserPoolClientResponse>(
      'DescribeUserPoolClient',
      (sdk) => new sdk.DescribeUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
      context,
    );
    return requireClient(answer.UserPoolClient, 'DescribeUserPoolClient');
  }

  /** API_UpdateUserPoolClient: resets every setting not sent to its default. */
  async updateClient(input: Omit<UpdateUserPoolClientRequest, 'UserPoolId'>, context: OperationContext) {
    await this.send(
      'UpdateUserPoolClient',
      (sdk) => new sdk.UpdateUserPoolClientCommand({ ...input, UserPoolId: this.userPoolId }),
      context,
    );
  }

  /** API_DeleteUserPoolClient. */
  async deleteClient(clientId: string, context: OperationContext): Promise<void> {
    await this.send(
      'DeleteUserPoolClient',
      (sdk) => new sdk.DeleteUserPoolClientCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
      context,
    );
  }

  /** One page of API_ListUserPoolClients (ids and names only). */
  async listClients(nextToken: string | undefined, context: OperationContext): Promise<ListUserPoolClientsResponse> {
    return this.send(
      'ListUserPoolClients',
      (sdk) =>
        new sdk.ListUserPoolClientsCommand({
          UserPoolId: this.userPoolId,
          MaxResults: LIST_PAGE_SIZE,
          NextToken: nextToken,
        }),
      context,
    );
  }

  /** API_AddUserPoolClientSecret without a value: Cognito generates it and returns it once. */
  async addSecret(clientId: string, context: OperationContext): Promise<AddUserPoolClientSecretResponse> {
    return this.send(
      'AddUserPoolClientSecret',
      (sdk) => new sdk.AddUserPoolClientSecretCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
      context,
    );
  }

  /** API_ListUserPoolClientSecrets: ids and creation dates, never the values; at most 2, no pages. */
  async listSecrets(clientId: string, context: OperationContext): Promise<ListUserPoolClientSecretsResponse> {
    return this.send(
      'ListUserPoolClientSecrets',
      (sdk) => new sdk.ListUserPoolClientSecretsCommand({ UserPoolId: this.userPoolId, ClientId: clientId }),
      context,
    );
  }

  /** API_DeleteUserPoolClientSecret: refused for a client's last secret. */
  async deleteSecret(clientId: string, secretId: string, context: OperationContext): Promise<void> {
    await this.send(
      'DeleteUserPoolClientSecret',
      (sdk) =>
        new sdk.DeleteUserPoolClientSecretCommand({
          UserPoolId: this.userPoolId,
          ClientId: clientId,
          ClientSecretId: secretId,
        }),
      context,
    );
  }

  private loaded() {
    this.client ??= (async () => {
      const sdk = await (this.options.loadSdk ?? (() => import('./cognito-sdk')))();
      const client = new sdk.CognitoIdentityProviderClient({ region: this.options.region, maxAttempts: 1 });
      // SDK calls appear in X-Ray as their own subsegments (operation names only).
      return { sdk, client: tracer.captureAWSv3Client(client) };
    })();
    // A failed load (a broken bundle) is tried again by the next request.
    this.client.catch(() => {
      this.client = undefined;
    });
    return this.client;
  }

  private async send<Output>(
    operation: CognitoOperation,
    command: (sdk: CognitoSdk) => unknown,
    context: OperationContext,
  ): Promise<Output> {
    const { sdk, client } = await this.loaded();
    for (let attempt = 0; ; attempt += 1) {
      if (context.signal.aborted) {
        throw idpTimeout('cognito', new RequestNotSentError('deadline passed', { cause: context.signal.reason }));
      }
      try {
        return await this.attempt<Output>(client, command(sdk), context.signal);
      } catch (error) {
        if (isCredentialsError(error)) throw noCredentials(operation, error);
        if (context.signal.aborted) throw idpTimeout('cognito', error);
        const failure = serviceErrorOf(operation, error);
        if (!failure) throw transportFailure(error);
        if (failure.code !== THROTTLED) throw failure;
        recordIdpRateLimited(metrics, 'cognito');
        const waitMs = rateLimitWaitMs(new Headers(), attempt);
        if (attempt + 1 >= MAX_ATTEMPTS || Date.now() + waitMs + RETRY_HEADROOM_MS > context.deadlineAt) {
          throw rateLimited(waitMs);
        }
        await waitFor(waitMs, context.signal).catch((cause: unknown) => {
          throw idpTimeout('cognito', new RequestNotSentError('deadline passed in a throttling wait', { cause }));
        });
      }
    }
  }

  /** One call; its latency alone is recorded, not the throttling waits around it. */
  private async attempt<Output>(
    client: CognitoIdentityProviderClient,
    command: unknown,
    signal: AbortSignal,
  ): Promise<Output> {
    const startedAt = performance.now();
    try {
      // The SDK's send is typed per command; the command built by the caller is the one it expects.
      const sending = client.send(command as never, { abortSignal: signal }) as Promise<Output>;
      return await untilAborted(sending, signal);
    } finally {
      recordIdpLatency(metrics, 'cognito', Math.round(performance.now() - startedAt));
    }
  }
}

/** The call, or the signal's reason once it aborts: the SDK may still be waiting inside (signing, a socket). */
function untilAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([call, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

/**
 * The SDK found no AWS credentials (its provider chain throws CredentialsProviderError, with no
 * $metadata): the request was never signed, so nothing reached Cognito.
 */
function isCredentialsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || '$metadata' in error) return false;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' && name.includes('Credentials');
}

function noCredentials(operation: CognitoOperation, error: unknown) {
  return idpFailed(
    `The bridge has no AWS credentials to call cognito-idp:${operation}: it runs with its Lambda role's credentials (locally: AWS_PROFILE or the AWS_ACCESS_KEY_ID variables); nothing was sent to Cognito.`,
    new RequestNotSentError('no AWS credentials', { cause: error }),
  );
}

function transportFailure(error: unknown) {
  const cause = connectFailed(error) ? new RequestNotSentError('no connection to Cognito', { cause: error }) : error;
  return idpFailed('The bridge could not reach the identity provider (cognito).', cause);
}

function requireClient(client: UserPoolClientType | undefined, operation: CognitoOperation): UserPoolClientType {
  if (!client?.ClientId)
    throw idpFailed(`The identity provider (cognito) answered ${operation} without an app client.`);
  return client;
}
