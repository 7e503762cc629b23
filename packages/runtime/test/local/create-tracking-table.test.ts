import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTrackingTable,
  TrackingTableNotActiveError,
} from '../../src/local/create-tracking-table.js';
import { DUMMY_CREDENTIALS, LOCAL_REGION } from '../support/local-dynamodb.js';

describe('createTrackingTable', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** dynalite that keeps a new table CREATING for `createTableMs`, as DynamoDB does. */
  async function slowDynamo(createTableMs: number): Promise<DynamoDBClient> {
    const server = dynalite({ createTableMs });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DynamoDBClient({
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      region: LOCAL_REGION,
      credentials: DUMMY_CREDENTIALS,
    });
    cleanups.push(async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return client;
  }

  const put = (client: DynamoDBClient) =>
    client.send(
      new PutItemCommand({ TableName: 'tracking', Item: { statementName: { S: 'stmt' } } }),
    );

  it('returns only once the table is ACTIVE, so the first write succeeds', async () => {
    const client = await slowDynamo(150);

    await createTrackingTable(client, 'tracking');

    await expect(put(client)).resolves.toBeDefined();
  });

  it('finds an existing table and leaves it as it is', async () => {
    const client = await slowDynamo(0);
    await createTrackingTable(client, 'tracking');
    await put(client);

    await createTrackingTable(client, 'tracking');

    await expect(put(client)).resolves.toBeDefined();
  });

  it('fails with a named error when the table stays CREATING past the timeout', async () => {
    const client = await slowDynamo(60_000);

    const error = await createTrackingTable(client, 'tracking', { timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );

    expect(error).toBeInstanceOf(TrackingTableNotActiveError);
    expect((error as Error).message).toMatch(/tracking is still CREATING 50 ms after CreateTable/);
  });
});
