import { randomBytes } from 'node:crypto';
import { CognitoError, invalidParameter } from './cognito-fake-errors';
import { type ClientSettings, clientSettings, type PoolScopes } from './cognito-fake-validation';

/** The app-client operations the fake serves (AWSCognitoIdentityProviderService.<Operation>). */
export const COGNITO_OPERATIONS = [
  'CreateUserPoolClient',
  'DescribeUserPoolClient',
  'UpdateUserPoolClient',
  'DeleteUserPoolClient',
  'ListUserPoolClients',
  'AddUserPoolClientSecret',
  'ListUserPoolClientSecrets',
  'DeleteUserPoolClientSecret',
] as const;
export type CognitoOperation = (typeof COGNITO_OPERATIONS)[number];

export interface StoredSecret {
  id: string;
  value: string;
  createdAt: Date;
}

export interface StoredClient {
  clientId: string;
  settings: ClientSettings;
  /** Oldest first; at most 2 (AddUserPoolClientSecret: "Supports up to 2 active secrets per app client"). */
  secrets: StoredSecret[];
  createdAt: Date;
  modifiedAt: Date;
}

export interface PoolOptions extends PoolScopes {
  userPoolId: string;
  /** "App clients per user pool" (developer guide, Quotas: 1,000, adjustable). */
  appClientQuota: number;
}

/** ListUserPoolClients MaxResults: "Valid Range: Minimum value of 1. Maximum value of 60." */
const MAX_RESULTS = 60;
/** Guess: the page size when MaxResults is left out. */
const DEFAULT_MAX_RESULTS = 10;
const ALPHANUMERIC = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** ClientSecret given by the caller: "Length 24–64, pattern [\w+]+". */
const CUSTOM_SECRET = /^[\w+]{24,64}$/u;

/** One user pool's app clients and their secrets, with the operations' documented rules. */
export class FakeUserPool {
  readonly clients = new Map<string, StoredClient>();
  /** Every secret value ever issued, so tests can check none leaked. */
  readonly issuedSecrets: string[] = [];
  private lastSecretMillis = 0;

  constructor(readonly options: PoolOptions) {}

  /** Runs one operation on a parsed request body; throws CognitoError as Cognito would answer. */
  run(operation: CognitoOperation, body: Record<string, unknown>): Record<string, unknown> {
    this.checkPool(body.UserPoolId);
    switch (operation) {
      case 'CreateUserPoolClient':
        return { UserPoolClient: this.describe(this.create(body)) };
      case 'DescribeUserPoolClient':
        return { UserPoolClient: this.describe(this.find(body.ClientId)) };
      case 'UpdateUserPoolClient':
        return { UserPoolClient: this.describe(this.update(body)) };
      case 'DeleteUserPoolClient':
        this.clients.delete(this.find(body.ClientId).clientId);
        return {};
      case 'ListUserPoolClients':
        return this.list(body);
      case 'AddUserPoolClientSecret':
        return { ClientSecretDescriptor: this.addSecret(body) };
      case 'ListUserPoolClientSecrets':
        return {
          ClientSecrets: this.find(body.ClientId).secrets.map((secret) => ({
            ClientSecretId: secret.id,
            ClientSecretCreateDate: epoch(secret.createdAt),
          })),
        };
      case 'DeleteUserPoolClientSecret':
        this.deleteSecret(body);
        return {};
    }
  }

  /** Creates a client without going through the API (a client someone else made, for the tests). */
  seed(input: Record<string, unknown>): StoredClient {
    return this.create({ GenerateSecret: true, ...input });
  }

  find(clientId: unknown): StoredClient {
    const client = typeof clientId === 'string' ? this.clients.get(clientId) : undefined;
    if (!client)
      throw new CognitoError('ResourceNotFoundException', `User pool client ${String(clientId)} does not exist.`);
    return client;
  }

  /** The answer's view of a client: settings, dates, and the secret as Describe shows it. */
  describe(client: StoredClient): Record<string, unknown> {
    // Guess: with two active secrets, DescribeUserPoolClient shows the newest.
    const secret = client.secrets.at(-1);
    return {
      UserPoolId: this.options.userPoolId,
      ClientId: client.clientId,
      ...(secret ? { ClientSecret: secret.value } : {}),
      LastModifiedDate: epoch(client.modifiedAt),
      CreationDate: epoch(client.createdAt),
      ...structuredClone(client.settings),
    };
  }

  private checkPool(userPoolId: unknown): void {
    if (typeof userPoolId !== 'string' || !/^[\w-]+_[0-9a-zA-Z]+$/u.test(userPoolId)) {
      throw invalidParameter(
        "1 validation error detected: Value at 'userPoolId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+_[0-9a-zA-Z]+",
      );
    }
    if (userPoolId !== this.options.userPoolId) {
      throw new CognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
    }
  }

  private create(body: Record<string, unknown>): StoredClient {
    if (
      body.ClientSecret !== undefined &&
      (typeof body.ClientSecret !== 'string' || !CUSTOM_SECRET.test(body.ClientSecret))
    ) {
      throw invalidParameter('ClientSecret must be 24 to 64 characters of [\\w+].');
    }
    // Guess: a given ClientSecret implies a confidential client, as GenerateSecret does.
    const hasSecret = body.GenerateSecret === true || typeof body.ClientSecret === 'string';
    const settings = clientSettings(body, this.options, hasSecret);
    if (this.clients.size >= this.options.appClientQuota) {
      throw new CognitoError('LimitExceededException', 'The user pool has reached its limit of app clients.');
    }
    const now = new Date();
    const client: StoredClient = {
      clientId: randomString(26),
      settings,
      secrets: [],
      createdAt: now,
      modifiedAt: now,
    };
    if (hasSecret) client.secrets.push(this.newSecret(client.clientId, body.ClientSecret as string | undefined));
    this.clients.set(client.clientId, client);
    return client;
  }

  /** Every setting the request leaves out goes back to its default; the secrets stay. */
  private update(body: Record<string, unknown>): StoredClient {
    const client = this.find(body.ClientId);
    client.settings = clientSettings(body, this.options, client.secrets.length > 0, client.settings.ClientName);
    client.modifiedAt = new Date();
    return client;
  }

  private list(body: Record<string, unknown>): Record<string, unknown> {
    const max = body.MaxResults ?? DEFAULT_MAX_RESULTS;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > MAX_RESULTS) {
      throw invalidParameter(
        "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 60",
      );
    }
    const ids = [...this.clients.keys()];
    let start = 0;
    if (body.NextToken !== undefined) {
      const decoded = typeof body.NextToken === 'string' ? decodeToken(body.NextToken) : undefined;
      if (decoded === undefined || decoded > ids.length) throw invalidParameter('Invalid pagination token.');
      start = decoded;
    }
    const page = ids.slice(start, start + max);
    const next = start + page.length;
    return {
      UserPoolClients: page.map((clientId) => ({
        ClientId: clientId,
        UserPoolId: this.options.userPoolId,
        ClientName: this.clients.get(clientId)?.settings.ClientName,
      })),
      ...(next < ids.length ? { NextToken: encodeToken(next) } : {}),
    };
  }

  private addSecret(body: Record<string, unknown>): Record<string, unknown> {
    const client = this.find(body.ClientId);
    const custom = body.ClientSecret;
    if (custom !== undefined && (typeof custom !== 'string' || !CUSTOM_SECRET.test(custom))) {
      throw invalidParameter('ClientSecret must be 24 to 64 characters of [\\w+].');
    }
    // Guesses: the exception types for a public client and for a third secret.
    if (client.secrets.length === 0) throw invalidParameter('The app client has no client secret.');
    if (client.secrets.length >= 2) {
      throw new CognitoError('LimitExceededException', 'An app client can have at most 2 client secrets.');
    }
    const secret = this.newSecret(client.clientId, custom as string | undefined);
    client.secrets.push(secret);
    // "The ClientSecretValue is only returned when Amazon Cognito generates the secret."
    return {
      ClientSecretId: secret.id,
      ...(custom === undefined ? { ClientSecretValue: secret.value } : {}),
      ClientSecretCreateDate: epoch(secret.createdAt),
    };
  }

  /** "You cannot delete the last remaining secret for an app client" (guess: InvalidParameterException). */
  private deleteSecret(body: Record<string, unknown>): void {
    const client = this.find(body.ClientId);
    const index = client.secrets.findIndex((secret) => secret.id === body.ClientSecretId);
    if (index < 0) {
      throw new CognitoError(
        'ResourceNotFoundException',
        `Client secret ${String(body.ClientSecretId)} does not exist.`,
      );
    }
    if (client.secrets.length === 1) {
      throw invalidParameter('You cannot delete the last remaining secret for an app client.');
    }
    client.secrets.splice(index, 1);
  }

  /** ClientSecretId "follows the format <client-id>--<epoch-create-time>" (guess: milliseconds, unique). */
  private newSecret(clientId: string, custom?: string): StoredSecret {
    const millis = Math.max(Date.now(), this.lastSecretMillis + 1);
    this.lastSecretMillis = millis;
    const value = custom ?? randomString(52);
    this.issuedSecrets.push(value);
    return { id: `${clientId}--${millis}`, value, createdAt: new Date(millis) };
  }
}

/** Timestamps travel as epoch seconds in the JSON 1.1 protocol. */
const epoch = (date: Date) => date.getTime() / 1000;

function randomString(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (byte) => ALPHANUMERIC[byte % ALPHANUMERIC.length]).join('');
}

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

function decodeToken(token: string): number | undefined {
  try {
    const { offset } = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    return typeof offset === 'number' && Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}
