import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import {
  LOCAL_CREDENTIALS,
  LocalDynamoDbError,
  startLocalDynamoDb,
} from '../../../src/sandbox/stack/local-dynamodb.js';

const scratch = mkdtempSync(join(tmpdir(), 'stepshift-dynalite-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const key = { statementName: { S: 'stmt' } };

async function withClient<T>(endpoint: string, use: (c: DynamoDBClient) => Promise<T>): Promise<T> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    return await use(client);
  } finally {
    client.destroy();
  }
}

describe('the sandbox’s DynamoDB (dynalite in a worker thread)', () => {
  it('serves the tracking table, and keeps its rows in a data directory across restarts', async () => {
    const path = join(scratch, 'data');
    const first = await startLocalDynamoDb({ tableName: 'tracking', region: 'us-east-1', path });
    await withClient(first.endpoint, (c) =>
      c.send(new PutItemCommand({ TableName: 'tracking', Item: { ...key, n: { N: '1' } } })),
    );
    await first.close();

    const second = await startLocalDynamoDb({ tableName: 'tracking', region: 'us-east-1', path });
    const item = await withClient(second.endpoint, (c) =>
      c.send(new GetItemCommand({ TableName: 'tracking', Key: key })),
    );
    await second.close();

    expect(item.Item).toEqual({ ...key, n: { N: '1' } });
  });

  it('fails with a named error saying why when dynalite cannot use the data directory', async () => {
    const file = join(scratch, 'not-a-directory');
    writeFileSync(file, 'x');

    const error = await startLocalDynamoDb({
      tableName: 'tracking',
      region: 'us-east-1',
      path: join(file, 'data'),
    }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(LocalDynamoDbError);
    const dir = join(file, 'data');
    expect((error as Error).message).toMatch(
      `The sandbox's DynamoDB (dynalite with data in ${dir}) failed: `,
    );
    expect((error as Error).message).toMatch(
      new RegExp(`Check that ${dir} is a directory this user can write \\(--data-dir\\)$`),
    );
  });
});
