/** The main end-to-end flows again on a throwaway real PostgreSQL server. */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type StepshiftSandbox } from '../../../src/sandbox/create-sandbox.js';
import {
  havePostgres,
  startPostgres,
  type PostgresServer,
} from '../../emulator/support/postgres-server.js';

const examples = fileURLToPath(new URL('../../../../../examples/asl/', import.meta.url));
const example = (name: string): Promise<string> => readFile(`${examples}${name}.asl.json`, 'utf8');

// Skips only when the PostgreSQL binaries are not installed (initdb, pg_ctl, postgres in /usr/local/bin).
describe.skipIf(!havePostgres)('sandbox end to end on PostgreSQL', () => {
  let server: PostgresServer;
  let sandbox: StepshiftSandbox;

  beforeAll(async () => {
    server = await startPostgres();
    sandbox = await createSandbox({
      timeScale: 100,
      stepshift: { engine: server.connectionString },
    });
  });

  afterAll(async () => {
    await sandbox?.close();
    await server?.stop();
  });

  it('runs the create, load and query chain with parameters and rows', async () => {
    const result = await sandbox.execute(await example('sql-success-chain'), {
      amounts: { a: 1, b: 2, c: 3.25 },
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: {
        regions: [
          { region: 'north', total: '4.25' },
          { region: 'south', total: '2.00' },
        ],
        summary: '2 regions loaded',
      },
    });
  });

  it('catches a failing statement and rolls back a failing batch', async () => {
    const caught = await sandbox.execute(await example('sql-failure-caught'));
    expect(caught).toMatchObject({
      status: 'SUCCEEDED',
      output: { recovered: true, error: 'Stepshift.StatementFailed' },
    });
    const batch = await sandbox.execute(await example('sql-batch-rollback'));
    expect(batch).toMatchObject({ status: 'SUCCEEDED', output: { rolledBack: true } });
  });

  it('retries throttled parallel statements', async () => {
    const result = await sandbox.execute(await example('sql-parallel-throttled'), {
      regions: ['a', 'b', 'c'],
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: [
        { region: 'a', n: 1000 },
        { region: 'b', n: 1000 },
        { region: 'c', n: 1000 },
      ],
    });
  });

  it('times out a slow statement on its heartbeat and cancels it', async () => {
    const result = await sandbox.execute(await example('sql-heartbeat-timeout'), {
      heartbeatSeconds: 30,
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: {
        timedOut: 'States.HeartbeatTimeout',
        cancel: { statements: [{ cancelled: true }] },
      },
    });
  });
});
