import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { TrackingStatus, TrackingTable, type TrackingStatusValue } from '../contract/index.js';
import type {
  ClaimInput,
  FinishInput,
  NewTrackingRecord,
  RegisterResult,
  StoredRequest,
  TrackingRecord,
  TrackingStore,
} from '../ports/tracking-store.js';
import { FIXED_MIDDLEWARE_CLIENT_DEFAULTS } from './aws-clients.js';

const A = TrackingTable.attributes;

/** Attributes of the claim (the runtime's own; the construct never reads them). */
export const ClaimAttributes = {
  claimId: 'claimId',
  leaseUntil: 'leaseUntil',
  claimCount: 'claimCount',
} as const;

type Item = Record<string, AttributeValue>;

const s = (value: string): AttributeValue => ({ S: value });
const n = (value: number): AttributeValue => ({ N: String(value) });

function str(item: Item, name: string): string | undefined {
  const value = item[name];
  return value !== undefined && 'S' in value ? value.S : undefined;
}

function num(item: Item, name: string): number | undefined {
  const value = item[name];
  return value !== undefined && 'N' in value && value.N !== undefined ? Number(value.N) : undefined;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** Expression attribute names for every attribute used (`status` is a reserved word). */
const names = (...attributes: string[]): Record<string, string> =>
  Object.fromEntries(attributes.map((attribute) => [`#${attribute}`, attribute]));

/**
 * Taskers may share one table: each lists only its own rows. DynamoDB applies a filter after
 * `Limit`, so the query pages on until it has `limit` matches or reaches the end.
 */
const OWN_PREFIX_FILTER = 'begins_with(#name, :prefix)';

const PENDING_CONDITION = '#status IN (:registered, :submitted)';
const pendingValues = (): Item => ({
  ':registered': s(TrackingStatus.Registered),
  ':submitted': s(TrackingStatus.Submitted),
});

export function createDynamoDbClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ ...FIXED_MIDDLEWARE_CLIENT_DEFAULTS, ...config });
}

/**
 * The tracking table in DynamoDB. Every transition is a conditional write; reads after a
 * query are consistent GetItems, so any index projection works and a row is never acted on
 * from a stale index entry.
 */
export class DynamoDbTrackingStore implements TrackingStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async register(record: NewTrackingRecord): Promise<RegisterResult> {
    const item: Item = {
      [A.statementName]: s(record.statementName),
      [A.taskToken]: s(record.taskToken),
      [A.status]: s(TrackingStatus.Registered),
      [A.request]: s(JSON.stringify(record.request)),
      [A.createdAt]: n(record.now),
      [A.updatedAt]: n(record.now),
      [A.expiresAt]: n(record.expiresAt),
      [A.pendingPartition]: s(TrackingTable.pendingPartitionValue),
      [A.pendingSince]: n(record.now),
      ...(record.executionArn !== undefined && { [A.executionArn]: s(record.executionArn) }),
      ...(record.stateName !== undefined && { [A.stateName]: s(record.stateName) }),
      ...(record.iteration !== undefined && { [A.iteration]: s(record.iteration) }),
    };
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#statementName)',
          ExpressionAttributeNames: names(A.statementName),
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const existing = await this.get(record.statementName);
    if (existing === undefined) {
      // Deleted (TTL) between the two calls: register again.
      return this.register(record);
    }
    return { created: false, existing };
  }

  async get(statementName: string): Promise<TrackingRecord | undefined> {
    const result = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { [A.statementName]: s(statementName) },
        ConsistentRead: true,
      }),
    );
    return result.Item === undefined ? undefined : toRecord(result.Item);
  }

  markSubmitted(
    statementName: string,
    statementId: string,
    now: number,
    expiresAt: number,
  ): Promise<boolean> {
    return this.update(statementName, {
      UpdateExpression:
        'SET #statementId = :statementId, #status = :submitted, #pendingSince = :now, #updatedAt = :now, #expiresAt = :expiresAt',
      ConditionExpression: '#status = :registered',
      ExpressionAttributeNames: names(
        A.statementId,
        A.status,
        A.pendingSince,
        A.updatedAt,
        A.expiresAt,
      ),
      ExpressionAttributeValues: {
        ':statementId': s(statementId),
        ':now': n(now),
        ':expiresAt': n(expiresAt),
        ...pendingValues(),
      },
    });
  }

  async claim(statementName: string, input: ClaimInput): Promise<TrackingRecord | undefined> {
    const withId = input.statementId !== undefined;
    const attributes = await this.conditionalUpdate(
      statementName,
      {
        UpdateExpression: `SET #claimId = :claimId, #leaseUntil = :leaseUntil, #updatedAt = :now, #claimCount = if_not_exists(#claimCount, :zero) + :one${withId ? ', #statementId = if_not_exists(#statementId, :statementId)' : ''}`,
        ConditionExpression: `${PENDING_CONDITION} AND (attribute_not_exists(#leaseUntil) OR #leaseUntil < :now)${withId ? ' AND (attribute_not_exists(#statementId) OR #statementId = :statementId)' : ''}`,
        ExpressionAttributeNames: names(
          ClaimAttributes.claimId,
          ClaimAttributes.leaseUntil,
          ClaimAttributes.claimCount,
          A.updatedAt,
          A.status,
          ...(withId ? [A.statementId] : []),
        ),
        ExpressionAttributeValues: {
          ':claimId': s(input.claimId),
          ':leaseUntil': n(input.leaseUntil),
          ':now': n(input.now),
          ':zero': n(0),
          ':one': n(1),
          ...pendingValues(),
          ...(withId && { ':statementId': s(input.statementId) }),
        },
      },
      'ALL_NEW',
    );
    if (attributes === undefined) return undefined;
    try {
      return toRecord(attributes);
    } catch (error) {
      // The lease is taken but the row cannot be read: give it back rather than block every
      // completion of this row until the lease runs out.
      await this.releaseClaim(statementName, input.claimId, input.now).catch(() => false);
      throw error;
    }
  }

  releaseClaim(statementName: string, claimId: string, now: number): Promise<boolean> {
    return this.update(statementName, {
      UpdateExpression: 'SET #updatedAt = :now REMOVE #claimId, #leaseUntil',
      ConditionExpression: '#claimId = :claimId',
      ExpressionAttributeNames: names(
        A.updatedAt,
        ClaimAttributes.claimId,
        ClaimAttributes.leaseUntil,
      ),
      ExpressionAttributeValues: { ':claimId': s(claimId), ':now': n(now) },
    });
  }

  finish(statementName: string, input: FinishInput): Promise<boolean> {
    return this.update(statementName, {
      UpdateExpression:
        'SET #status = :final, #outcome = :outcome, #updatedAt = :now, #expiresAt = :expiresAt REMOVE #pendingPartition, #pendingSince, #claimId, #leaseUntil',
      ConditionExpression:
        input.onlyIfUnsubmitted === true
          ? `${PENDING_CONDITION} AND attribute_not_exists(#statementId)`
          : PENDING_CONDITION,
      ExpressionAttributeNames: names(
        A.status,
        A.outcome,
        A.updatedAt,
        A.expiresAt,
        A.pendingPartition,
        A.pendingSince,
        ClaimAttributes.claimId,
        ClaimAttributes.leaseUntil,
        ...(input.onlyIfUnsubmitted === true ? [A.statementId] : []),
      ),
      ExpressionAttributeValues: {
        ':final': s(input.status),
        ':outcome': s(input.outcome),
        ':now': n(input.now),
        ':expiresAt': n(input.expiresAt),
        ...pendingValues(),
      },
    });
  }

  touchPending(statementName: string, now: number): Promise<boolean> {
    return this.update(statementName, {
      UpdateExpression: 'SET #pendingSince = :now, #updatedAt = :now',
      ConditionExpression: PENDING_CONDITION,
      ExpressionAttributeNames: names(A.pendingSince, A.updatedAt, A.status),
      ExpressionAttributeValues: { ':now': n(now), ...pendingValues() },
    });
  }

  async listPending(
    statementPrefix: string,
    cutoff: number,
    limit: number,
  ): Promise<TrackingRecord[]> {
    const index = TrackingTable.indexes.pending;
    const keys = await this.queryKeys(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk AND #sk < :cutoff',
        FilterExpression: OWN_PREFIX_FILTER,
        ExpressionAttributeNames: {
          '#pk': index.partitionKey.name,
          '#sk': index.sortKey.name,
          '#name': A.statementName,
        },
        ExpressionAttributeValues: {
          ':pk': s(TrackingTable.pendingPartitionValue),
          ':cutoff': n(cutoff),
          ':prefix': s(statementPrefix),
        },
      },
      limit,
    );
    return this.getAll(keys);
  }

  async listByExecution(executionArn: string, statementPrefix: string): Promise<TrackingRecord[]> {
    const index = TrackingTable.indexes.byExecution;
    const keys = await this.queryKeys(
      {
        IndexName: index.indexName,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: OWN_PREFIX_FILTER,
        ExpressionAttributeNames: { '#pk': index.partitionKey.name, '#name': A.statementName },
        ExpressionAttributeValues: { ':pk': s(executionArn), ':prefix': s(statementPrefix) },
      },
      Number.POSITIVE_INFINITY,
    );
    return this.getAll(keys);
  }

  private async queryKeys(
    query: Pick<
      ConstructorParameters<typeof QueryCommand>[0],
      | 'IndexName'
      | 'KeyConditionExpression'
      | 'FilterExpression'
      | 'ExpressionAttributeNames'
      | 'ExpressionAttributeValues'
    >,
    limit: number,
  ): Promise<string[]> {
    const keys: string[] = [];
    let startKey: Item | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...query,
          ScanIndexForward: true,
          ...(Number.isFinite(limit) && { Limit: limit - keys.length }),
          ...(startKey !== undefined && { ExclusiveStartKey: startKey }),
        }),
      );
      for (const item of page.Items ?? []) {
        const key = str(item, A.statementName);
        if (key !== undefined) keys.push(key);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined && keys.length < limit);
    return keys;
  }

  private async getAll(keys: readonly string[]): Promise<TrackingRecord[]> {
    const records: TrackingRecord[] = [];
    for (const key of keys) {
      const record = await this.get(key);
      if (record !== undefined) records.push(record);
    }
    return records;
  }

  private async update(statementName: string, update: ConditionalUpdate): Promise<boolean> {
    return (await this.conditionalUpdate(statementName, update, 'NONE')) !== undefined;
  }

  /**
   * Undefined when the condition did not hold; otherwise the item as it is now with `ALL_NEW`
   * (only the claim asks: a row carries the request, SQL included, up to a few hundred KB), or
   * an empty object.
   */
  private async conditionalUpdate(
    statementName: string,
    update: ConditionalUpdate,
    returnValues: 'NONE' | 'ALL_NEW',
  ): Promise<Item | undefined> {
    try {
      const result = await this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: { [A.statementName]: s(statementName) },
          ReturnValues: returnValues,
          ...update,
        }),
      );
      return result.Attributes ?? {};
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }
}

type ConditionalUpdate = Pick<
  ConstructorParameters<typeof UpdateItemCommand>[0],
  | 'UpdateExpression'
  | 'ConditionExpression'
  | 'ExpressionAttributeNames'
  | 'ExpressionAttributeValues'
>;

function toRecord(item: Item): TrackingRecord {
  const required = (name: string): string => {
    const value = str(item, name);
    if (value === undefined) {
      throw new Error(`tracking row ${str(item, A.statementName)} has no ${name}`);
    }
    return value;
  };
  const optional = <T>(name: string, value: T | undefined): Partial<Record<string, T>> =>
    value === undefined ? {} : { [name]: value };
  return {
    statementName: required(A.statementName),
    taskToken: required(A.taskToken),
    status: required(A.status) as TrackingStatusValue,
    request: JSON.parse(required(A.request)) as StoredRequest,
    createdAt: num(item, A.createdAt) ?? 0,
    updatedAt: num(item, A.updatedAt) ?? 0,
    expiresAt: num(item, A.expiresAt) ?? 0,
    ...optional(A.executionArn, str(item, A.executionArn)),
    ...optional(A.stateName, str(item, A.stateName)),
    ...optional(A.iteration, str(item, A.iteration)),
    ...optional(A.statementId, str(item, A.statementId)),
    ...optional(A.pendingSince, num(item, A.pendingSince)),
    ...optional(A.outcome, str(item, A.outcome)),
    ...optional(ClaimAttributes.claimId, str(item, ClaimAttributes.claimId)),
    ...optional(ClaimAttributes.leaseUntil, num(item, ClaimAttributes.leaseUntil)),
    ...optional(ClaimAttributes.claimCount, num(item, ClaimAttributes.claimCount)),
  };
}
