import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createTrackingTable } from '../../src/local/create-tracking-table.js';

export const LOCAL_REGION = 'us-east-1';
export const DUMMY_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** dynalite in this process, on a free loopback port. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  /** Creates a fresh tracking table (from the contract's schema) and returns its name. */
  createTrackingTable(): Promise<string>;
  close(): Promise<void>;
}

let tableCounter = 0;

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: DUMMY_CREDENTIALS,
  });
  return {
    endpoint,
    client,
    async createTrackingTable() {
      tableCounter += 1;
      const name = `tracking-${process.pid}-${tableCounter}`;
      await createTrackingTable(client, name);
      return name;
    },
    async close() {
      client.destroy();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
