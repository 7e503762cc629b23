/**
 * Local-only table set-up (dynalite in tests and the sandbox). Kept out of `src/aws`, whose
 * SDK calls are the ones the deployed handlers make and the construct's IAM policy grants.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { trackingTableCreateInput } from '../aws/tracking-table-definition.js';

/** The tracking table did not become ACTIVE in time after CreateTable. */
export class TrackingTableNotActiveError extends Error {
  override readonly name = 'TrackingTableNotActiveError';
}

/**
 * Creates the tracking table (or finds it already there) and waits until it is ACTIVE.
 * CreateTable answers while the table is still CREATING, and writes to a CREATING table fail
 * with ResourceNotFoundException, even on dynalite with `createTableMs: 0` (it flips the status
 * on a timer). For local tables only, like `trackingTableCreateInput`.
 */
export async function createTrackingTable(
  client: DynamoDBClient,
  tableName: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand(trackingTableCreateInput(tableName)));
  } catch (error) {
    if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  let delayMs = 1;
  for (;;) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (Date.now() + delayMs > deadline) {
      throw new TrackingTableNotActiveError(
        `Tracking table ${tableName} is still ${Table?.TableStatus ?? 'missing'} ` +
          `${timeoutMs} ms after CreateTable; check the local DynamoDB endpoint.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 100);
  }
}
