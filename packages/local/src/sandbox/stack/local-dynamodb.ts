/**
 * DynamoDB for the sandbox: dynalite on a loopback port, with the tracking table created from
 * the contract's schema.
 *
 * dynalite runs in a worker thread: every tracking-table call of the handlers is served there,
 * on the machine's other core, instead of queueing on the thread that runs the state machines,
 * the handlers and their SDK clients.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createTrackingTable } from '@stepshift/runtime';
import { Worker } from 'node:worker_threads';

export const LOCAL_CREDENTIALS = {
  accessKeyId: 'stepshift-sandbox',
  secretAccessKey: 'stepshift-sandbox',
};

const WORKER_URL = new URL('./dynalite-worker.mjs', import.meta.url);

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly tableName: string;
  close(): Promise<void>;
}

/** dynalite did not start (a `--data-dir` another sandbox holds, a crashed worker). */
export class LocalDynamoDbError extends Error {
  override readonly name = 'LocalDynamoDbError';
}

/** Starts dynalite (in memory, or under `path`) and creates the tracking table if missing. */
export async function startLocalDynamoDb(options: {
  tableName: string;
  region: string;
  path?: string;
}): Promise<LocalDynamoDb> {
  const worker = new Worker(WORKER_URL, {
    workerData: options.path === undefined ? {} : { path: options.path },
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Rejects if the worker dies while the sandbox sets it up (a data directory dynalite cannot
  // open fails at the first request), so set-up fails with the reason instead of ECONNREFUSED.
  const died = new Promise<never>((_resolve, reject) => {
    const where = options.path === undefined ? '' : ` with data in ${options.path}`;
    const hint =
      options.path === undefined
        ? ''
        : `. Check that ${options.path} is a directory this user can write (--data-dir)`;
    const fail = (why: string) =>
      reject(
        new LocalDynamoDbError(`The sandbox's DynamoDB (dynalite${where}) failed: ${why}${hint}`),
      );
    worker.once('error', (error) => fail(error.message));
    worker.once('exit', (code) => fail(`its worker thread exited with code ${code}`));
    worker.once('message', (message: { failed?: string }) => {
      if (message.failed !== undefined) fail(message.failed);
    });
  });
  died.catch(() => undefined);
  const listening = new Promise<number>((resolve) =>
    worker.once('message', (message: { port?: number }) => {
      if (message.port !== undefined) resolve(message.port);
    }),
  );
  let closing = false;
  const close = async (): Promise<void> => {
    closing = true;
    worker.postMessage('close');
    await exited;
  };
  let endpoint: string;
  try {
    endpoint = `http://127.0.0.1:${await Promise.race([listening, died])}`;
    const client = new DynamoDBClient({
      endpoint,
      region: options.region,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await Promise.race([createTrackingTable(client, options.tableName), died]);
    } finally {
      client.destroy();
    }
  } catch (error) {
    await close();
    throw error;
  }
  // Later, a dead worker means every tracking-table call fails with ECONNREFUSED: say why.
  const report = (why: string) => {
    if (!closing) console.error(`stepshift sandbox: its DynamoDB (dynalite) stopped: ${why}`);
  };
  worker.on('error', (error) => report(error.message));
  worker.on('exit', (code) => report(`the worker thread exited with code ${code}`));
  return { endpoint, tableName: options.tableName, close };
}
