import type {
  AttributeValue,
  DeleteItemCommandOutput,
  DynamoDBClient,
  GetItemCommandOutput,
  PutItemCommandOutput,
  UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { OWNERSHIP_RECORD_KIND, type OwnershipLedger } from './ownership-ledger';
import {
  type LeasingRegistrationStore,
  RegistrationConflictError,
  type RegistrationRecord,
} from './registration-store';
import { VERIFICATION_RECORD_KEY, type VerificationLedger } from './verification-ledger';

type Item = Record<string, AttributeValue>;

/** What one conditional update changes besides the version: SET and REMOVE clauses, with their aliases. */
interface Change {
  set?: string;
  remove?: string;
  names: Record<string, string>;
  values?: Item;
}

/** Longest wait for one call when the caller's budget says nothing; the SDK itself would wait indefinitely. */
export const DEFAULT_CALL_TIMEOUT_MS = 5000;

export interface DynamoDbStoreOptions {
  /**
   * How long a call started now may take, e.g. the rest of the request's budget; a call still
   * running then is abandoned (aborted). DEFAULT_CALL_TIMEOUT_MS when it answers undefined.
   */
  callTimeoutMs?: () => number | undefined;
}

type DynamoDbSdk = typeof import('@aws-sdk/client-dynamodb');
let sdk: Promise<DynamoDbSdk> | undefined;

/**
 * The DynamoDB client module, loaded on the first store call: most adapters never touch the table
 * on a cold create (only Konnect's Verify does), so they never pay for loading the SDK client.
 */
const dynamoDbSdk = () => {
  sdk ??= import('@aws-sdk/client-dynamodb');
  return sdk;
};

/** A client, or how to build one when the first call needs it. */
export type DynamoDbClientSource = DynamoDBClient | (() => DynamoDBClient | Promise<DynamoDBClient>);

/** A call abandoned at its time limit: the bridge answers before DynamoDB does. */
export class StoreCallTimeoutError extends Error {
  constructor() {
    super('the registration store did not answer in time');
    this.name = 'StoreCallTimeoutError';
  }
}

/**
 * DynamoDB-backed store. Table partition key: `clientId` (S). Every write is conditional so
 * two Lambdas racing on the same client cannot silently overwrite each other's token.
 * Errors other than a lost condition propagate unchanged; the caller maps them to 503.
 * An ownership record is `{ clientId, recordKind: "ownership", updatedAt }`: no token and no
 * version, so no conditional update (replace, lease, release) can ever match it.
 */
export class DynamoDbRegistrationStore implements LeasingRegistrationStore, OwnershipLedger, VerificationLedger {
  private readonly callTimeoutMs: () => number | undefined;
  private client?: Promise<DynamoDBClient>;

  constructor(
    private readonly tableName: string,
    private readonly clientSource: DynamoDbClientSource = async () => new (await dynamoDbSdk()).DynamoDBClient({}),
    options: DynamoDbStoreOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? (() => undefined);
  }

  /** Sends one command built from the SDK module, within the call's time limit. */
  private async send<Output>(build: (sdk: DynamoDbSdk) => { input: unknown }): Promise<Output> {
    const source = this.clientSource;
    this.client ??= Promise.resolve()
      .then(() => (typeof source === 'function' ? source() : source))
      .catch((error: unknown) => {
        this.client = undefined;
        throw error;
      });
    const [client, module] = await Promise.all([this.client, dynamoDbSdk()]);
    const command = build(module);
    return this.bounded((options) => client.send(command as never, options) as Promise<Output>);
  }

  /** Runs one SDK call with an abort signal at its time limit; the timer is cleared when it settles. */
  private async bounded<T>(call: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const ms = Math.max(0, this.callTimeoutMs() ?? DEFAULT_CALL_TIMEOUT_MS);
    const timer = setTimeout(() => controller.abort(new StoreCallTimeoutError()), ms);
    try {
      return await call({ abortSignal: controller.signal });
    } catch (error) {
      // The SDK rejects an aborted call with its own AbortError; say why it was aborted.
      throw controller.signal.aborted ? new StoreCallTimeoutError() : error;
    } finally {
      clearTimeout(timer);
    }
  }

  async get(clientId: string): Promise<RegistrationRecord | undefined> {
    const item = await this.item(clientId);
    return item && !isOwnershipItem(item) ? toRecord(item) : undefined;
  }

  async isOwned(clientId: string): Promise<boolean> {
    const item = await this.item(clientId);
    return item !== undefined && (isOwnershipItem(item) || item.registrationAccessToken?.S !== undefined);
  }

  private async item(clientId: string): Promise<Item | undefined> {
    const { Item } = await this.send<GetItemCommandOutput>(
      (sdk) =>
        new sdk.GetItemCommand({
          TableName: this.tableName,
          Key: { clientId: { S: clientId } },
          // A token replaced (or a client recorded) a moment ago must be seen.
          ConsistentRead: true,
        }),
    );
    return Item;
  }

  async recordOwnership(clientId: string): Promise<void> {
    await this.putNew(clientId, {
      clientId: { S: clientId },
      recordKind: { S: OWNERSHIP_RECORD_KIND },
      updatedAt: { S: new Date().toISOString() },
    });
  }

  async create(record: Omit<RegistrationRecord, 'version' | 'leasedUntil'>): Promise<RegistrationRecord> {
    const stored: RegistrationRecord = {
      clientId: record.clientId,
      registrationClientUri: record.registrationClientUri,
      registrationAccessToken: record.registrationAccessToken,
      version: 1,
    };
    await this.putNew(record.clientId, {
      clientId: { S: stored.clientId },
      registrationClientUri: { S: stored.registrationClientUri },
      registrationAccessToken: { S: stored.registrationAccessToken },
      version: { N: String(stored.version) },
      updatedAt: { S: new Date().toISOString() },
    });
    return stored;
  }

  /** Writes a client's first record; a record of either kind already there is a lost race. */
  private async putNew(clientId: string, item: Item): Promise<void> {
    try {
      await this.send<PutItemCommandOutput>(
        (sdk) =>
          new sdk.PutItemCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: 'attribute_not_exists(clientId)',
          }),
      );
    } catch (error) {
      throw mapConditionFailure(error, clientId);
    }
  }

  async replaceAccessToken(
    clientId: string,
    expectedVersion: number,
    next: Pick<RegistrationRecord, 'registrationAccessToken' | 'registrationClientUri'>,
  ): Promise<RegistrationRecord> {
    return this.updateAt(clientId, expectedVersion, {
      set: '#token = :token, #uri = :uri',
      names: { '#token': 'registrationAccessToken', '#uri': 'registrationClientUri' },
      values: { ':token': { S: next.registrationAccessToken }, ':uri': { S: next.registrationClientUri } },
    });
  }

  async lease(clientId: string, expectedVersion: number, until: number): Promise<RegistrationRecord> {
    return this.updateAt(clientId, expectedVersion, {
      set: '#leasedUntil = :until',
      names: { '#leasedUntil': 'leasedUntil' },
      values: { ':until': { N: String(until) } },
    });
  }

  async release(clientId: string, expectedVersion: number): Promise<void> {
    await this.updateAt(clientId, expectedVersion, {
      remove: '#leasedUntil',
      names: { '#leasedUntil': 'leasedUntil' },
    });
  }

  async delete(clientId: string): Promise<void> {
    // DeleteItem without a condition succeeds when the item is absent, which makes this idempotent.
    await this.send<DeleteItemCommandOutput>(
      (sdk) => new sdk.DeleteItemCommand({ TableName: this.tableName, Key: { clientId: { S: clientId } } }),
    );
  }

  /** One unconditional UpdateItem on the pointer item: the old value comes back in the same call. */
  async replaceVerificationClient(clientId: string): Promise<string | undefined> {
    const { Attributes } = await this.send<UpdateItemCommandOutput>(
      (sdk) =>
        new sdk.UpdateItemCommand({
          TableName: this.tableName,
          Key: { clientId: { S: VERIFICATION_RECORD_KEY } },
          UpdateExpression: 'SET #latest = :latest, #updatedAt = :now',
          ExpressionAttributeNames: { '#latest': 'verificationClientId', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':latest': { S: clientId }, ':now': { S: new Date().toISOString() } },
          ReturnValues: 'UPDATED_OLD',
        }),
    );
    return Attributes?.verificationClientId?.S;
  }

  /**
   * One conditional UpdateItem: the change plus a version bump, only if the stored version is still
   * `expectedVersion` (which also fails when the item is missing: a missing attribute never equals
   * :expected). Names are aliased so no attribute can collide with a DynamoDB reserved word.
   */
  private async updateAt(clientId: string, expectedVersion: number, change: Change): Promise<RegistrationRecord> {
    const set = [change.set, '#version = #version + :one', '#updatedAt = :now'].filter(Boolean).join(', ');
    const update = `SET ${set}${change.remove ? ` REMOVE ${change.remove}` : ''}`;
    try {
      const { Attributes } = await this.send<UpdateItemCommandOutput>(
        (sdk) =>
          new sdk.UpdateItemCommand({
            TableName: this.tableName,
            Key: { clientId: { S: clientId } },
            ConditionExpression: '#version = :expected',
            UpdateExpression: update,
            ExpressionAttributeNames: { '#version': 'version', '#updatedAt': 'updatedAt', ...change.names },
            ExpressionAttributeValues: {
              ':expected': { N: String(expectedVersion) },
              ':one': { N: '1' },
              ':now': { S: new Date().toISOString() },
              ...change.values,
            },
            ReturnValues: 'ALL_NEW',
          }),
      );
      if (!Attributes) {
        throw new Error(`UpdateItem for ${clientId} returned no attributes`);
      }
      return toRecord(Attributes);
    } catch (error) {
      throw mapConditionFailure(error, clientId);
    }
  }
}

function mapConditionFailure(error: unknown, clientId: string): unknown {
  // Checked by name: the SDK's exception class identity breaks across duplicated installs.
  const lostRace = error instanceof Error && error.name === 'ConditionalCheckFailedException';
  return lostRace ? new RegistrationConflictError(clientId) : error;
}

const isOwnershipItem = (item: Item) => item.recordKind?.S === OWNERSHIP_RECORD_KIND;

function toRecord(item: Item): RegistrationRecord {
  const clientId = item.clientId?.S;
  const registrationClientUri = item.registrationClientUri?.S;
  const registrationAccessToken = item.registrationAccessToken?.S;
  const version = Number(item.version?.N);
  if (
    clientId === undefined ||
    registrationClientUri === undefined ||
    registrationAccessToken === undefined ||
    !Number.isInteger(version)
  ) {
    // Names the client only; the item may hold the token, which must not reach logs.
    throw new Error(`registration item for ${clientId ?? '<unknown>'} is malformed`);
  }
  const leasedUntil = item.leasedUntil?.N === undefined ? undefined : Number(item.leasedUntil.N);
  return {
    clientId,
    registrationClientUri,
    registrationAccessToken,
    version,
    ...(leasedUntil !== undefined && Number.isFinite(leasedUntil) && { leasedUntil }),
  };
}
