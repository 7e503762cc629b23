import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../../src/emulator/index.js';
import { clientFor } from './support/conformance-suite.js';
import { havePostgres, startPostgres, type PostgresServer } from './support/postgres-server.js';

if (!havePostgres)
  console.warn(
    'skipping the PostgreSQL cancel test: initdb/pg_ctl/postgres not found in /usr/local/bin',
  );

/** More than the engine's per-database pool (16), so every pooled connection is busy. */
const SLOW_STATEMENTS = 18;

// Skips only when the PostgreSQL binaries are absent (reason printed above).
describe.skipIf(!havePostgres)('PostgreSQL engine: cancel with a busy pool', () => {
  let server: PostgresServer | undefined;
  let emulator: RedshiftDataEmulator | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    emulator = await startRedshiftDataEmulator({ engine: server.connectionString });
  });
  afterAll(async () => {
    await emulator?.close();
    await server?.stop();
  });

  // The cancel used to wait for a connection of the statement pool, so with every connection
  // running a statement, CancelStatement (and close()) hung until a statement ended by itself.
  it('cancels a running statement while every pooled connection runs one', async () => {
    const client = clientFor((emulator as RedshiftDataEmulator).endpoint);
    const target = { ClusterIdentifier: 'etl', Database: 'dev' };
    const ids: string[] = [];
    for (let i = 0; i < SLOW_STATEMENTS; i++) {
      const out = await client.send(
        new ExecuteStatementCommand({ ...target, Sql: 'SELECT pg_sleep(30)' }),
      );
      ids.push(out.Id as string);
    }
    const first = ids[0] as string;
    let status = 'SUBMITTED';
    for (let i = 0; i < 100 && status !== 'STARTED'; i++) {
      status = (await client.send(new DescribeStatementCommand({ Id: first }))).Status as string;
      if (status !== 'STARTED') await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe('STARTED');
    const started = performance.now();
    const cancelled = await client.send(new CancelStatementCommand({ Id: first }));
    const done = await client.send(
      new DescribeStatementCommand({ Id: first, WaitTimeSeconds: 10 }),
    );
    expect(cancelled.Status).toBe(true);
    expect(done.Status).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(10_000);
    await Promise.all(
      ids.map((Id) => client.send(new CancelStatementCommand({ Id })).catch(() => undefined)),
    );
    client.destroy();
  }, 60_000);
});
