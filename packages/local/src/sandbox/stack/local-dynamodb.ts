/**
 * DynamoDB for the sandbox: dynalite in this process on a loopback port, with the tracking
 * table created from the contract's schema.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTrackingTable } from '@stepshift/runtime';
import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';

export const LOCAL_CREDENTIALS = {
  accessKeyId: 'stepshift-sandbox',
  secretAccessKey: 'stepshift-sandbox',
};

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

/** Starts dynalite (in memory, or under `path`) and creates the tracking table if missing. */
export async function startLocalDynamoDb(options: {
  tableName: string;
  region: string;
  path?: string;
}): Promise<LocalDynamoDb> {
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.path === undefined ? {} : { path: options.path }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await createTrackingTable(client, options.tableName);
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    tableName: options.tableName,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
