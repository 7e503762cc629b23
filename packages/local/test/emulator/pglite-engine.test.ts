import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CancelStatementCommand,
  DescribeStatementCommand,
  ExecuteStatementCommand,
  ListDatabasesCommand,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftDataEmulator, type RedshiftDataEmulator } from '../../src/emulator/index.js';
import { clientFor } from './support/conformance-suite.js';

describe('PGlite engine specifics', () => {
  let emulator: RedshiftDataEmulator;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'stepshift-emulator-test-'));
    emulator = await startRedshiftDataEmulator({
      dataDir,
      targets: [{ clusterIdentifier: 'etl', databases: ['dev', 'analytics'] }],
      initSql:
        "CREATE TABLE IF NOT EXISTS seeded (v text); INSERT INTO seeded VALUES ('from initSql');",
    });
  });

  afterAll(async () => {
    await emulator?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the event loop free while a statement runs in the worker, and queues later statements in order', async () => {
    const client = clientFor(emulator.endpoint);
    const target = { ClusterIdentifier: 'etl', Database: 'dev' };
    const slow = await client.send(
      new ExecuteStatementCommand({ ...target, Sql: 'SELECT pg_sleep(2)' }),
    );
    const queued = await client.send(new ExecuteStatementCommand({ ...target, Sql: 'SELECT 2' }));
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const waiting = await client.send(new DescribeStatementCommand({ Id: queued.Id }));
    expect(waiting.Status).toBe('SUBMITTED');
    expect(ticks).toBeGreaterThanOrEqual(5);
    const done = await client.send(
      new DescribeStatementCommand({ Id: queued.Id, WaitTimeSeconds: 10 }),
    );
    clearInterval(timer);
    const first = await client.send(new DescribeStatementCommand({ Id: slow.Id }));
    expect(done.Status).toBe('FINISHED');
    expect((done.UpdatedAt as Date).getTime()).toBeGreaterThanOrEqual(
      (first.UpdatedAt as Date).getTime(),
    );
    client.destroy();
  });

  it('aborts a queued statement at once on cancel', async () => {
    const client = clientFor(emulator.endpoint);
    const target = { ClusterIdentifier: 'etl', Database: 'dev' };
    const slow = await client.send(
      new ExecuteStatementCommand({ ...target, Sql: 'SELECT pg_sleep(0.5)' }),
    );
    const queued = await client.send(new ExecuteStatementCommand({ ...target, Sql: 'SELECT 2' }));
    expect((await client.send(new CancelStatementCommand({ Id: queued.Id }))).Status).toBe(true);
    expect((await client.send(new DescribeStatementCommand({ Id: queued.Id }))).Status).toBe(
      'ABORTED',
    );
    expect(
      (await client.send(new DescribeStatementCommand({ Id: slow.Id, WaitTimeSeconds: 10 })))
        .Status,
    ).toBe('FINISHED');
    client.destroy();
  });

  it('keeps one database per target and database, seeded by initSql', async () => {
    await emulator.sql('CREATE TABLE only_in_analytics (v int)', {
      clusterIdentifier: 'etl',
      database: 'analytics',
    });
    // Without a target, sql() runs on the first configured target's first database.
    await expect(emulator.sql('SELECT * FROM only_in_analytics')).rejects.toThrow(
      'ERROR: relation "only_in_analytics" does not exist',
    );
    expect(
      await emulator.sql('SELECT count(*) AS n FROM only_in_analytics', { database: 'analytics' }),
    ).toEqual([{ n: 0 }]);
    expect(
      await emulator.sql('SELECT v FROM seeded', {
        clusterIdentifier: 'etl',
        database: 'analytics',
      }),
    ).toEqual([{ v: 'from initSql' }]);
    await expect(
      emulator.sql('SELECT * FROM only_in_analytics', { clusterIdentifier: 'etl' }),
    ).rejects.toThrow('ERROR: relation "only_in_analytics" does not exist');
    const client = clientFor(emulator.endpoint);
    const dbs = await client.send(
      new ListDatabasesCommand({ ClusterIdentifier: 'etl', Database: 'dev' }),
    );
    expect(dbs.Databases).toEqual(['analytics', 'dev']);
    client.destroy();
  });

  it('fails when a target is not one of the configured targets', async () => {
    const client = clientFor(emulator.endpoint);
    await expect(
      client.send(
        new ExecuteStatementCommand({
          ClusterIdentifier: 'other',
          Database: 'dev',
          Sql: 'SELECT 1',
        }),
      ),
    ).rejects.toMatchObject({
      name: 'ValidationException',
      message: `Redshift endpoint doesn't exist in this region. (cluster "other" is not one of the emulator's configured targets.)`,
    });
    client.destroy();
  });

  it('keeps data in dataDir across restarts', async () => {
    const etl = { clusterIdentifier: 'etl' };
    const rows = await emulator.sql(
      "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here'); SELECT count(*) AS n FROM kept",
      etl,
    );
    expect(rows).toEqual([{ n: 1 }]);
    await emulator.close();
    emulator = await startRedshiftDataEmulator({
      dataDir,
      targets: [{ clusterIdentifier: 'etl' }],
    });
    expect(await emulator.sql('SELECT v FROM kept', etl)).toEqual([{ v: 'still here' }]);
  });
});
