import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { TrackingTable } from '../contract/index.js';

/**
 * CreateTable input for the tracking table, from the contract's schema (partition key and
 * both indexes, all attributes projected, on-demand capacity). For local tables (dynalite,
 * the sandbox, tests); in AWS the construct creates the table, with TTL on `expiresAt`.
 */
export function trackingTableCreateInput(tableName: string): CreateTableCommandInput {
  const { partitionKey, indexes } = TrackingTable;
  const keys = [
    partitionKey,
    indexes.byExecution.partitionKey,
    indexes.byExecution.sortKey,
    indexes.pending.partitionKey,
    indexes.pending.sortKey,
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((key) => ({
      AttributeName: key.name,
      AttributeType: key.type,
    })),
    KeySchema: [{ AttributeName: partitionKey.name, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [indexes.byExecution, indexes.pending].map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
