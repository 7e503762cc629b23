import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  DescribeTableCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  GetStatementResultV2Command,
  ListDatabasesCommand,
  ListSchemasCommand,
  ListSessionsCommand,
  ListStatementsCommand,
  ListTablesCommand,
  RedshiftDataClient,
  type DescribeStatementResponse,
  type ExecuteStatementInput,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RedshiftDataEmulator,
  RedshiftDataStatusChangeEvent,
} from '../../../src/emulator/index.js';

/** Rows per result page in the suite, small so pagination is exercised. */
export const SUITE_PAGE_ROWS = 3;
/** Active statement quota in the suite, small so the quota error is exercised. */
export const SUITE_MAX_ACTIVE = 4;

export interface ConformanceContext {
  emulator: RedshiftDataEmulator;
  client: RedshiftDataClient;
  events: RedshiftDataStatusChangeEvent[];
}

/** A Data API client pointed at the emulator, as user code would configure it. */
export function clientFor(endpoint: string): RedshiftDataClient {
  return new RedshiftDataClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

const CLUSTER = { ClusterIdentifier: 'conformance-cluster', Database: 'dev' } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The conformance suite: the same assertions for every engine, through the real
 * `@aws-sdk/client-redshift-data` client.
 */
export function conformanceSuite(
  engineName: string,
  start: () => Promise<RedshiftDataEmulator>,
): void {
  describe(`Redshift Data API conformance on ${engineName}`, () => {
    const ctx = {} as ConformanceContext;

    beforeAll(async () => {
      ctx.emulator = await start();
      ctx.client = clientFor(ctx.emulator.endpoint);
      ctx.events = [];
      ctx.emulator.events.subscribe((e) => ctx.events.push(e));
    });

    afterAll(async () => {
      ctx.client?.destroy();
      await ctx.emulator?.close();
    });

    const execute = async (
      sql: string,
      extra: Partial<ExecuteStatementInput> = {},
    ): Promise<string> => {
      const out = await ctx.client.send(
        new ExecuteStatementCommand({ ...CLUSTER, Sql: sql, ...extra }),
      );
      return out.Id as string;
    };
    const describeDone = async (id: string): Promise<DescribeStatementResponse> =>
      ctx.client.send(new DescribeStatementCommand({ Id: id, WaitTimeSeconds: 10 }));
    const run = async (sql: string, extra: Partial<ExecuteStatementInput> = {}) => {
      const id = await execute(sql, extra);
      const description = await describeDone(id);
      return { id, description };
    };
    const records = async (sql: string) => {
      const { id, description } = await run(sql);
      expect(description.Error).toBeUndefined();
      return ctx.client.send(new GetStatementResultCommand({ Id: id }));
    };
    const eventsFor = (id: string) => ctx.events.filter((e) => e.detail.statementId === id);

    describe('ExecuteStatement and DescribeStatement', () => {
      it('returns an id at once and describes the finished statement with AWS fields', async () => {
        const out = await ctx.client.send(
          new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1 AS one' }),
        );
        expect(out.Id).toMatch(UUID);
        expect(out.CreatedAt).toBeInstanceOf(Date);
        expect(out.ClusterIdentifier).toBe('conformance-cluster');
        expect(out.Database).toBe('dev');
        const d = await describeDone(out.Id as string);
        expect(d).toMatchObject({
          Id: out.Id,
          Status: 'FINISHED',
          HasResultSet: true,
          ResultRows: 1,
          ResultSize: 1,
          QueryString: 'SELECT 1 AS one',
          ClusterIdentifier: 'conformance-cluster',
          Database: 'dev',
          ResultFormat: 'JSON',
        });
        expect(d.Error).toBeUndefined();
        expect(d.Duration).toBeGreaterThan(0);
        expect(d.RedshiftQueryId).toBeGreaterThan(0);
        expect(d.RedshiftPid).toBeGreaterThan(0);
        expect(d.UpdatedAt?.getTime()).toBeGreaterThanOrEqual((d.CreatedAt as Date).getTime() - 1);
      });

      it('returns Status, RedshiftPid and HasResultSet when ExecuteStatement waits (WaitTimeSeconds)', async () => {
        const out = await ctx.client.send(
          new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 2 AS two', WaitTimeSeconds: 5 }),
        );
        expect(out.Status).toBe('FINISHED');
        expect(out.HasResultSet).toBe(true);
        expect(out.RedshiftPid).toBeGreaterThan(0);
      });

      it('moves a statement from STARTED to FINISHED, and DescribeStatement waits at most WaitTimeSeconds', async () => {
        const id = await execute('SELECT pg_sleep(2.5)');
        const started = performance.now();
        const during = await ctx.client.send(
          new DescribeStatementCommand({ Id: id, WaitTimeSeconds: 1 }),
        );
        const waited = performance.now() - started;
        expect(['SUBMITTED', 'STARTED']).toContain(during.Status);
        expect(waited).toBeGreaterThanOrEqual(900);
        // Returned before the statement ended (the status above says so), not at its end.
        expect(waited).toBeLessThan(2500);
        const after = await describeDone(id);
        expect(after.Status).toBe('FINISHED');
        expect(after.HasResultSet).toBe(true);
        expect(after.Duration).toBeGreaterThan(2_400_000_000);
      });

      it('ends FAILED with the database error in Error', async () => {
        const { description } = await run('SELECT * FROM no_such_table');
        expect(description.Status).toBe('FAILED');
        expect(description.Error).toBe('ERROR: relation "no_such_table" does not exist');
        expect(description.HasResultSet).toBe(false);
      });

      it('reports rows affected by DML in ResultRows with no result set', async () => {
        await run('CREATE TABLE affected_rows (v int)');
        const { description } = await run('INSERT INTO affected_rows VALUES (1), (2), (3)');
        expect(description).toMatchObject({
          Status: 'FINISHED',
          ResultRows: 3,
          HasResultSet: false,
        });
      });

      it('accepts a workgroup target and answers with WorkgroupName', async () => {
        const out = await ctx.client.send(
          new ExecuteStatementCommand({
            WorkgroupName: 'my-workgroup',
            Database: 'dev',
            Sql: 'SELECT 1',
          }),
        );
        expect(out.WorkgroupName).toBe('my-workgroup');
        expect(out.ClusterIdentifier).toBeUndefined();
        expect((await describeDone(out.Id as string)).WorkgroupName).toBe('my-workgroup');
      });

      it('returns the same statement for a repeated ClientToken', async () => {
        const first = await execute('SELECT 3', { ClientToken: 'token-1' });
        const second = await execute('SELECT 3', { ClientToken: 'token-1' });
        expect(second).toBe(first);
      });
    });

    describe('CancelStatement', () => {
      it('aborts a running pg_sleep and really stops it in the engine', async () => {
        const id = await execute('SELECT pg_sleep(30)', { WithEvent: true });
        await waitForStatus(ctx.client, id, 'STARTED');
        const cancelled = await ctx.client.send(new CancelStatementCommand({ Id: id }));
        expect(cancelled.Status).toBe(true);
        const d = await describeDone(id);
        expect(d.Status).toBe('ABORTED');
        expect(d.Error).toBe(`Query (${d.RedshiftQueryId}) cancelled on user's request`);
        const started = performance.now();
        const next = await run('SELECT 42 AS answer');
        expect(next.description.Status).toBe('FINISHED');
        expect(performance.now() - started).toBeLessThan(10_000);
        expect(eventsFor(id).map((e) => e.detail.state)).toEqual(['ABORTED']);
      });

      it('fails when the statement has already ended', async () => {
        const { id } = await run('SELECT 1');
        await expect(ctx.client.send(new CancelStatementCommand({ Id: id }))).rejects.toMatchObject(
          {
            name: 'ValidationException',
            message: `Could not cancel a query that is already in FINISHED state with ID: ${id}`,
          },
        );
      });
    });

    describe('BatchExecuteStatement', () => {
      it('runs sub-statements <id>:<n> with their own descriptions and results', async () => {
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            Sqls: [
              'CREATE TABLE batch_ok (v int)',
              'INSERT INTO batch_ok VALUES (1), (2)',
              'SELECT v FROM batch_ok ORDER BY v',
            ],
          }),
        );
        const d = await describeDone(out.Id as string);
        expect(d.Status).toBe('FINISHED');
        expect(d.SubStatements?.map((s) => [s.Id, s.Status, s.ResultRows, s.HasResultSet])).toEqual(
          [
            [`${out.Id}:1`, 'FINISHED', 0, false],
            [`${out.Id}:2`, 'FINISHED', 2, false],
            [`${out.Id}:3`, 'FINISHED', 2, true],
          ],
        );
        const sub = await ctx.client.send(new GetStatementResultCommand({ Id: `${out.Id}:3` }));
        expect(sub.Records).toEqual([[{ longValue: 1 }], [{ longValue: 2 }]]);
        const subDescription = await describeDone(`${out.Id}:2`);
        expect(subDescription).toMatchObject({
          Id: `${out.Id}:2`,
          Status: 'FINISHED',
          QueryString: 'INSERT INTO batch_ok VALUES (1), (2)',
        });
      });

      it('fails when the parent id is used to read results', async () => {
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({ ...CLUSTER, Sqls: ['SELECT 1', 'SELECT 2'] }),
        );
        await describeDone(out.Id as string);
        await expect(
          ctx.client.send(new GetStatementResultCommand({ Id: out.Id })),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'BatchExecuteStatement result can only be retrieved with sub-statement id.',
        });
      });

      it('rolls the whole TRANSACTION batch back when one statement fails', async () => {
        await run('CREATE TABLE batch_tx (v int)');
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            Sqls: [
              'INSERT INTO batch_tx VALUES (1)',
              "INSERT INTO batch_tx VALUES ('not a number')",
              'INSERT INTO batch_tx VALUES (3)',
            ],
            WithEvent: true,
          }),
        );
        const d = await describeDone(out.Id as string);
        expect(d.Status).toBe('FAILED');
        expect(d.Error).toBe('ERROR: invalid input syntax for type integer: "not a number"');
        expect(d.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
        expect(await ctx.emulator.sql('SELECT count(*) AS n FROM batch_tx')).toEqual([{ n: 0 }]);
        expect(eventsFor(out.Id as string).map((e) => e.detail.state)).toEqual(['FAILED']);
      });

      it('keeps statements before the failure in AUTO_COMMIT mode', async () => {
        await run('CREATE TABLE batch_auto (v int)');
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            ExecutionMode: 'AUTO_COMMIT',
            Sqls: [
              'INSERT INTO batch_auto VALUES (1)',
              "INSERT INTO batch_auto VALUES ('x')",
              'INSERT INTO batch_auto VALUES (3)',
            ],
          }),
        );
        const d = await describeDone(out.Id as string);
        expect(d.Status).toBe('FAILED');
        expect(d.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);
        expect(await ctx.emulator.sql('SELECT count(*) AS n FROM batch_auto')).toEqual([{ n: 1 }]);
      });

      it('aborts a running TRANSACTION batch on cancel and rolls it back', async () => {
        await run('CREATE TABLE batch_cancel (v int)');
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            Sqls: [
              'INSERT INTO batch_cancel VALUES (1)',
              'SELECT pg_sleep(30)',
              'INSERT INTO batch_cancel VALUES (3)',
            ],
            WithEvent: true,
          }),
        );
        await waitForStatus(ctx.client, `${out.Id}:2`, 'STARTED');
        expect((await ctx.client.send(new CancelStatementCommand({ Id: out.Id }))).Status).toBe(
          true,
        );
        const d = await describeDone(out.Id as string);
        expect(d.Status).toBe('ABORTED');
        expect(d.SubStatements?.map((s) => s.Status)).toEqual(['FINISHED', 'ABORTED', 'ABORTED']);
        expect(await ctx.emulator.sql('SELECT count(*) AS n FROM batch_cancel')).toEqual([
          { n: 0 },
        ]);
        expect(eventsFor(out.Id as string).map((e) => e.detail.state)).toEqual(['ABORTED']);
      });

      it('fails when a batch has no statements', async () => {
        await expect(
          ctx.client.send(new BatchExecuteStatementCommand({ ...CLUSTER, Sqls: [] })),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'Sqls must be a list of 1 to 40 SQL statements.',
        });
      });

      it('fails when ExecutionMode is not TRANSACTION or AUTO_COMMIT', async () => {
        await expect(
          ctx.client.send(
            new BatchExecuteStatementCommand({
              ...CLUSTER,
              Sqls: ['SELECT 1'],
              ExecutionMode: 'SOMETIMES' as 'TRANSACTION',
            }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'ExecutionMode must be one of TRANSACTION, AUTO_COMMIT; got "SOMETIMES".',
        });
      });

      it('fails when a batch has more than 40 statements', async () => {
        const sqls = Array.from({ length: 41 }, () => 'SELECT 1');
        await expect(
          ctx.client.send(new BatchExecuteStatementCommand({ ...CLUSTER, Sqls: sqls })),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'Sqls must be a list of 1 to 40 SQL statements.',
        });
      });
    });

    describe('Parameters', () => {
      it('binds :name placeholders as values, so injection attempts stay data', async () => {
        await run('CREATE TABLE params_t (name varchar(100))');
        const attack = "x'); DROP TABLE params_t; --";
        const { description } = await run('INSERT INTO params_t VALUES (:name)', {
          Parameters: [{ name: 'name', value: attack }],
        });
        expect(description.Status).toBe('FINISHED');
        expect(description.QueryParameters).toEqual([{ name: 'name', value: attack }]);
        expect(await ctx.emulator.sql('SELECT name FROM params_t')).toEqual([{ name: attack }]);
      });

      it('converts values to the needed type, reuses a name and leaves :text inside literals alone', async () => {
        const { id } = await run(
          "SELECT :n::int + 1 AS next, :n AS same, ':n' AS literal, 1::text AS cast",
          {
            Parameters: [{ name: 'n', value: '41' }],
          },
        );
        const result = await ctx.client.send(new GetStatementResultCommand({ Id: id }));
        expect(result.Records).toEqual([
          [{ longValue: 42 }, { stringValue: '41' }, { stringValue: ':n' }, { stringValue: '1' }],
        ]);
      });

      it('fails when a parameter name is invalid', async () => {
        await expect(
          execute('SELECT :a', { Parameters: [{ name: 'a-b', value: '1' }] }),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'Parameters[0].name "a-b" is invalid: it must match ^[0-9a-zA-Z_]+$.',
        });
      });

      it('fails when a parameter value is empty', async () => {
        await expect(
          execute('SELECT :a', { Parameters: [{ name: 'a', value: '' }] }),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'Parameters[0].value for a is invalid: it must be a non-empty string (use SQL NULL in the statement for nulls).',
        });
      });

      it('fails when the SQL references a parameter that was not given', async () => {
        await expect(execute('SELECT :missing')).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'The SQL references the parameter :missing but Parameters has no value for it.',
        });
      });
    });

    describe('GetStatementResult', () => {
      it('pages results with NextToken', async () => {
        const { id } = await run('SELECT g AS n FROM generate_series(1, 7) AS g');
        const pages: number[][] = [];
        let token: string | undefined;
        do {
          const page = await ctx.client.send(
            new GetStatementResultCommand({ Id: id, NextToken: token }),
          );
          expect(page.TotalNumRows).toBe(7);
          pages.push((page.Records ?? []).map((r) => r[0]?.longValue as number));
          token = page.NextToken;
        } while (token !== undefined);
        expect(pages).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
      });

      it('fails when NextToken is not one the emulator issued', async () => {
        const { id } = await run('SELECT 1');
        await expect(
          ctx.client.send(new GetStatementResultCommand({ Id: id, NextToken: 'bogus' })),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'NextToken is invalid: pass the NextToken of the previous response of the same request.',
        });
      });

      it('maps each PostgreSQL type family to the Field and ColumnMetadata Redshift reports', async () => {
        const result = await records(`SELECT
          1::int2 AS i2, 2::int4 AS i4, 3000000000::int8 AS i8,
          1.5::float4 AS f4, 2.25::float8 AS f8, 12.345::numeric(10,3) AS num,
          true AS b, 'text'::text AS t, 'vc'::varchar(10) AS vc, 'c'::char(3) AS ch,
          '2024-02-29'::date AS d, '2024-02-29 13:14:15'::timestamp AS ts,
          '2024-02-29 13:14:15+00'::timestamptz AS tstz, '13:14:15'::time AS tm,
          '\\x00ff'::bytea AS by, '{"a":1}'::jsonb AS js, NULL::int AS nul,
          'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS id, interval '1 day 2 hours' AS iv, ARRAY[1, 2] AS arr`);
        expect(result.Records).toEqual([
          [
            { longValue: 1 },
            { longValue: 2 },
            { longValue: 3000000000 },
            { doubleValue: 1.5 },
            { doubleValue: 2.25 },
            { stringValue: '12.345' },
            { booleanValue: true },
            { stringValue: 'text' },
            { stringValue: 'vc' },
            { stringValue: 'c  ' },
            { stringValue: '2024-02-29' },
            { stringValue: '2024-02-29 13:14:15' },
            { stringValue: '2024-02-29 13:14:15+00' },
            { stringValue: '13:14:15' },
            { blobValue: new Uint8Array([0, 255]) },
            { stringValue: '{"a": 1}' },
            { isNull: true },
            { stringValue: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' },
            { stringValue: '1 day 02:00:00' },
            { stringValue: '{1,2}' },
          ],
        ]);
        expect(
          result.ColumnMetadata?.map((c) => [c.name, c.typeName, c.isSigned, c.isCaseSensitive]),
        ).toEqual([
          ['i2', 'int2', true, false],
          ['i4', 'int4', true, false],
          ['i8', 'int8', true, false],
          ['f4', 'float4', true, false],
          ['f8', 'float8', true, false],
          ['num', 'numeric', true, false],
          ['b', 'bool', false, false],
          ['t', 'varchar', false, true],
          ['vc', 'varchar', false, true],
          ['ch', 'bpchar', false, true],
          ['d', 'date', false, false],
          ['ts', 'timestamp', false, false],
          ['tstz', 'timestamptz', false, false],
          ['tm', 'time', false, false],
          ['by', 'varbyte', false, false],
          ['js', 'super', false, true],
          ['nul', 'int4', true, false],
          ['id', 'uuid', false, true],
          ['iv', 'interval', false, false],
          ['arr', 'varchar', false, true],
        ]);
        expect(result.ColumnMetadata?.[1]).toEqual({
          isCaseSensitive: false,
          isCurrency: false,
          isSigned: true,
          label: 'i4',
          length: 0,
          name: 'i4',
          nullable: 1,
          precision: 10,
          scale: 0,
          schemaName: '',
          tableName: '',
          typeName: 'int4',
        });
      });

      it('returns CSV pages from GetStatementResultV2 for ResultFormat CSV', async () => {
        const { id } = await run(`SELECT 1 AS a, 'x,y' AS b, NULL::text AS c`, {
          ResultFormat: 'CSV',
        });
        const out = await ctx.client.send(new GetStatementResultV2Command({ Id: id }));
        expect(out.ResultFormat).toBe('CSV');
        expect(out.TotalNumRows).toBe(1);
        expect(out.Records).toEqual([{ CSVRecords: 'a,b,c\n1,"x,y",\n' }]);
      });

      it('fails when a CSV statement is read with GetStatementResult', async () => {
        const { id } = await run('SELECT 1', { ResultFormat: 'CSV' });
        await expect(
          ctx.client.send(new GetStatementResultCommand({ Id: id })),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'The statement was run with ResultFormat CSV: read its result with GetStatementResultV2.',
        });
      });

      it('fails when the statement has no result set', async () => {
        const { id } = await run('CREATE TABLE no_result (v int)');
        await expect(
          ctx.client.send(new GetStatementResultCommand({ Id: id })),
        ).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
          message: 'Query does not have result. Please check query status with DescribeStatement.',
        });
      });

      it('fails when the statement id does not exist', async () => {
        await expect(
          ctx.client.send(
            new DescribeStatementCommand({ Id: '00000000-0000-0000-0000-000000000000' }),
          ),
        ).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
          message: 'Query does not exist.',
        });
      });
    });

    describe('Completion events', () => {
      it('emits one event in AWS shape for a statement run WithEvent, none without', async () => {
        const { id } = await run('SELECT 1 UNION ALL SELECT 2', {
          WithEvent: true,
          StatementName: 'stepshift.test.events',
        });
        const { id: quiet } = await run('SELECT 1');
        const events = eventsFor(id);
        expect(events).toHaveLength(1);
        const [event] = events as [RedshiftDataStatusChangeEvent];
        expect(event).toEqual({
          version: '0',
          id: expect.stringMatching(UUID) as unknown,
          'detail-type': 'Redshift Data Statement Status Change',
          source: 'aws.redshift-data',
          account: '123456789012',
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) as unknown,
          region: 'eu-west-1',
          resources: ['arn:aws:redshift:eu-west-1:123456789012:cluster:conformance-cluster'],
          detail: {
            principal: 'arn:aws:iam::123456789012:role/etl',
            statementName: 'stepshift.test.events',
            statementId: id,
            redshiftQueryId: expect.any(Number) as unknown,
            state: 'FINISHED',
            rows: 2,
            expireAt: expect.any(Number) as unknown,
          },
        });
        expect(event.detail.expireAt - Date.now() / 1000).toBeGreaterThan(86_000);
        expect(eventsFor(quiet)).toEqual([]);
      });

      it('emits one event for the parent id of a batch', async () => {
        const out = await ctx.client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            Sqls: ['SELECT 1', 'SELECT 2'],
            WithEvent: true,
          }),
        );
        await describeDone(out.Id as string);
        expect(
          ctx.events
            .filter((e) => e.detail.statementId.startsWith(out.Id as string))
            .map((e) => e.detail.statementId),
        ).toEqual([out.Id]);
      });
    });

    describe('ListStatements', () => {
      it('filters by status and statement-name prefix, newest first, with pagination', async () => {
        const a = (await run('SELECT 1', { StatementName: 'list.prefix.a' })).id;
        const b = (await run('SELECT 1', { StatementName: 'list.prefix.b' })).id;
        await run('SELECT nope', { StatementName: 'list.prefix.failed' });
        const first = await ctx.client.send(
          new ListStatementsCommand({
            StatementName: 'list.prefix.',
            Status: 'FINISHED',
            MaxResults: 1,
          }),
        );
        expect(
          first.Statements?.map((s) => [
            s.Id,
            s.StatementName,
            s.Status,
            s.QueryString,
            s.IsBatchStatement,
          ]),
        ).toEqual([[b, 'list.prefix.b', 'FINISHED', 'SELECT 1', false]]);
        const second = await ctx.client.send(
          new ListStatementsCommand({
            StatementName: 'list.prefix.',
            Status: 'FINISHED',
            MaxResults: 1,
            NextToken: first.NextToken,
          }),
        );
        expect(second.Statements?.map((s) => s.Id)).toEqual([a]);
        expect(second.NextToken).toBeUndefined();
        const failed = await ctx.client.send(
          new ListStatementsCommand({ StatementName: 'list.prefix.', Status: 'FAILED' }),
        );
        expect(failed.Statements?.map((s) => s.StatementName)).toEqual(['list.prefix.failed']);
      });
    });

    describe('Catalog operations', () => {
      it('lists databases, schemas and tables and describes a table', async () => {
        await run('CREATE SCHEMA catalog_s');
        await run(
          "CREATE TABLE catalog_s.orders (id bigint NOT NULL, note varchar(20) DEFAULT 'none', amount numeric(12,2))",
        );
        const dbs = await ctx.client.send(new ListDatabasesCommand(CLUSTER));
        expect(dbs.Databases).toEqual(['dev']);
        const schemas = await ctx.client.send(
          new ListSchemasCommand({ ...CLUSTER, SchemaPattern: 'catalog%' }),
        );
        expect(schemas.Schemas).toEqual(['catalog_s']);
        const tables = await ctx.client.send(
          new ListTablesCommand({ ...CLUSTER, SchemaPattern: 'catalog_s' }),
        );
        expect(tables.Tables).toEqual([{ name: 'orders', schema: 'catalog_s', type: 'TABLE' }]);
        const table = await ctx.client.send(
          new DescribeTableCommand({ ...CLUSTER, Schema: 'catalog_s', Table: 'orders' }),
        );
        expect(table.TableName).toBe('orders');
        expect(
          table.ColumnList?.map((c) => [
            c.name,
            c.typeName,
            c.nullable,
            c.length,
            c.precision,
            c.scale,
            c.columnDefault,
          ]),
        ).toEqual([
          ['id', 'int8', 0, 0, 64, 0, undefined],
          ['note', 'varchar', 1, 20, 20, 0, "'none'::character varying"],
          ['amount', 'numeric', 1, 0, 12, 2, undefined],
        ]);
      });
    });

    describe('Sessions', () => {
      it('keeps temporary tables across statements of a session and lists it', async () => {
        const first = await ctx.client.send(
          new ExecuteStatementCommand({
            ...CLUSTER,
            Sql: 'CREATE TEMP TABLE session_tmp AS SELECT 7 AS v',
            SessionKeepAliveSeconds: 60,
          }),
        );
        expect(first.SessionId).toMatch(UUID);
        expect((await describeDone(first.Id as string)).SessionId).toBe(first.SessionId);
        const second = await ctx.client.send(
          new ExecuteStatementCommand({
            SessionId: first.SessionId,
            Sql: 'SELECT v FROM session_tmp',
          }),
        );
        expect(second.SessionId).toBe(first.SessionId);
        expect(second.ClusterIdentifier).toBe('conformance-cluster');
        await describeDone(second.Id as string);
        const result = await ctx.client.send(new GetStatementResultCommand({ Id: second.Id }));
        expect(result.Records).toEqual([[{ longValue: 7 }]]);
        const listed = await ctx.client.send(
          new ListSessionsCommand({ SessionId: first.SessionId }),
        );
        expect(
          listed.Sessions?.map((s) => [s.SessionId, s.Status, s.SessionAliveSeconds, s.Database]),
        ).toEqual([[first.SessionId, 'AVAILABLE', 60, 'dev']]);
      });

      it('fails when a statement is sent to a session that is still running one', async () => {
        const first = await ctx.client.send(
          new ExecuteStatementCommand({
            ...CLUSTER,
            Sql: 'SELECT pg_sleep(0.5)',
            SessionKeepAliveSeconds: 60,
          }),
        );
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({ SessionId: first.SessionId, Sql: 'SELECT 1' }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: `Session ${first.SessionId} is busy running statement ${first.Id}: wait until it ends.`,
        });
        await describeDone(first.Id as string);
      });

      it('closes a session SessionKeepAliveSeconds after its last statement', async () => {
        const first = await ctx.client.send(
          new ExecuteStatementCommand({ ...CLUSTER, Sql: 'SELECT 1', SessionKeepAliveSeconds: 1 }),
        );
        await describeDone(first.Id as string);
        await new Promise((resolve) => setTimeout(resolve, 1300));
        const listed = await ctx.client.send(
          new ListSessionsCommand({ SessionId: first.SessionId }),
        );
        expect(listed.Sessions?.map((s) => s.Status)).toEqual(['CLOSED']);
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({ SessionId: first.SessionId, Sql: 'SELECT 1' }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: `Session ${first.SessionId} is closed: its SessionKeepAliveSeconds ran out. Start a new session with SessionKeepAliveSeconds.`,
        });
      });

      it('fails when the session does not exist or is combined with a cluster', async () => {
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({ SessionId: 'no-such-session', Sql: 'SELECT 1' }),
          ),
        ).rejects.toMatchObject({
          name: 'ResourceNotFoundException',
          message: 'Session does not exist.',
        });
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({
              SessionId: 'no-such-session',
              ClusterIdentifier: 'c',
              Sql: 'SELECT 1',
            }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'Exactly one of ClusterIdentifier, WorkgroupName or SessionId must be specified.',
        });
      });
    });

    describe('Limits and errors', () => {
      it('fails when the SQL is larger than 100 KB', async () => {
        const sql = `SELECT '${'x'.repeat(100 * 1024)}'`;
        await expect(execute(sql)).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'Cannot process query string larger than 100kB',
        });
      });

      it('fails when neither or both of cluster and workgroup are given', async () => {
        const expected = {
          name: 'ValidationException',
          message:
            'Exactly one of ClusterIdentifier, WorkgroupName or SessionId must be specified.',
        };
        await expect(
          ctx.client.send(new ExecuteStatementCommand({ Sql: 'SELECT 1', Database: 'dev' })),
        ).rejects.toMatchObject(expected);
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({
              Sql: 'SELECT 1',
              ClusterIdentifier: 'a',
              WorkgroupName: 'bbb',
            }),
          ),
        ).rejects.toMatchObject(expected);
      });

      it('fails when the cluster identifier is malformed', async () => {
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({ Sql: 'SELECT 1', ClusterIdentifier: '9bad--id' }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'ClusterIdentifier "9bad--id" is invalid: use 1-63 letters, digits and single hyphens, starting with a letter.',
        });
      });

      it('fails the statement when the database does not exist', async () => {
        const { description } = await run('SELECT 1', { Database: 'nosuchdb' });
        expect(description.Status).toBe('FAILED');
        expect(description.Error).toBe('FATAL: database "nosuchdb" does not exist');
      });

      it('fails when the workgroup name is malformed', async () => {
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({ Sql: 'SELECT 1', WorkgroupName: 'No_Such Thing' }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message:
            'WorkgroupName "No_Such Thing" is invalid: use 3-64 lowercase letters, digits and hyphens, or a workgroup ARN.',
        });
      });

      it('fails when DbUser is given with a workgroup', async () => {
        await expect(
          ctx.client.send(
            new ExecuteStatementCommand({
              Sql: 'SELECT 1',
              WorkgroupName: 'wg-1',
              DbUser: 'admin',
            }),
          ),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'DbUser is not supported with WorkgroupName: use SecretArn or IAM identity.',
        });
      });

      it('fails when the database name is not an identifier', async () => {
        await expect(execute('SELECT 1', { Database: 'bad name' })).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'Database "bad name" is not a valid database name.',
        });
      });

      it('fails when StatementName is longer than 2048 characters or ClientToken longer than 64', async () => {
        await expect(
          execute('SELECT 1', { StatementName: 'n'.repeat(2049) }),
        ).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'StatementName is longer than 2048 characters.',
        });
        await expect(execute('SELECT 1', { ClientToken: 't'.repeat(65) })).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'ClientToken must be 1 to 64 characters.',
        });
      });

      it('fails when more statements than the quota are active', async () => {
        const sleeping = await Promise.all([1, 2, 3, 4].map(() => execute('SELECT pg_sleep(0.3)')));
        await expect(execute('SELECT 1')).rejects.toMatchObject({
          name: 'ActiveStatementsExceededException',
          message: 'Active statements exceeded the allowed quota (4).',
        });
        for (const id of sleeping) expect((await describeDone(id)).Status).toBe('FINISHED');
      });

      it('fails when WaitTimeSeconds is above 30', async () => {
        await expect(execute('SELECT 1', { WaitTimeSeconds: 31 })).rejects.toMatchObject({
          name: 'ValidationException',
          message: 'WaitTimeSeconds must be an integer from 0 to 30; got 31.',
        });
      });

      it('answers unknown operations and bad bodies with awsJson errors, never a stack', async () => {
        const post = (target: string, body: string) =>
          fetch(ctx.emulator.endpoint, {
            method: 'POST',
            headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
            body,
          });
        const unknown = await post('RedshiftData.DropCluster', '{}');
        expect(unknown.status).toBe(400);
        expect(unknown.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
        expect(await unknown.json()).toEqual({
          __type: 'UnknownOperationException',
          message:
            'Unknown operation "RedshiftData.DropCluster": send POST with X-Amz-Target: RedshiftData.<Operation>.',
          Message:
            'Unknown operation "RedshiftData.DropCluster": send POST with X-Amz-Target: RedshiftData.<Operation>.',
        });
        const bad = await post('RedshiftData.ExecuteStatement', '{not json');
        expect(bad.status).toBe(400);
        expect(await bad.json()).toEqual({
          __type: 'SerializationException',
          message: 'The request body is not valid JSON.',
          Message: 'The request body is not valid JSON.',
        });
      });
    });

    describe('Redshift dialect', () => {
      it('creates a table with DISTSTYLE, DISTKEY, SORTKEY, ENCODE and IDENTITY and fills the identity', async () => {
        const { description } = await run(`CREATE TABLE dialect_t (
          id BIGINT IDENTITY(10, 5) ENCODE az64,
          name VARCHAR(MAX) ENCODE zstd DISTKEY,
          created TIMESTAMP DEFAULT GETDATE()
        ) DISTSTYLE KEY COMPOUND SORTKEY (id, created)`);
        expect(description.Error).toBeUndefined();
        await run("INSERT INTO dialect_t (name) VALUES ('a'), ('b')");
        expect(await ctx.emulator.sql('SELECT id, name FROM dialect_t ORDER BY id')).toEqual([
          { id: 10, name: 'a' },
          { id: 15, name: 'b' },
        ]);
      });

      it('runs NVL, LISTAGG, DATEADD, DATEDIFF and CONVERT_TIMEZONE', async () => {
        const rows = await ctx.emulator.sql(`SELECT
          NVL(NULL, 'fallback') AS nvl,
          (SELECT LISTAGG(v, ',') WITHIN GROUP (ORDER BY v DESC) FROM (VALUES ('a'), ('b'), ('c')) AS x(v)) AS listagg,
          DATEADD(month, 1, '2024-01-31'::timestamp) AS dateadd,
          DATEDIFF(day, '2024-01-01'::timestamp, '2024-03-01'::timestamp) AS datediff,
          CONVERT_TIMEZONE('America/New_York', '2024-07-01 12:00:00'::timestamp) AS tz`);
        expect(rows).toEqual([
          {
            nvl: 'fallback',
            listagg: 'c,b,a',
            dateadd: '2024-02-29 00:00:00',
            datediff: 60,
            tz: '2024-07-01 08:00:00',
          },
        ]);
      });

      it('runs GETDATE() and SYSDATE as UTC timestamps without time zone', async () => {
        const rows = await ctx.emulator.sql(`SELECT
          pg_typeof(GETDATE())::text AS getdate_type,
          pg_typeof(SYSDATE)::text AS sysdate_type,
          GETDATE() = date_trunc('second', GETDATE()) AS whole_seconds,
          abs(extract(epoch FROM GETDATE() - (now() AT TIME ZONE 'UTC'))) < 2 AS getdate_is_now,
          abs(extract(epoch FROM SYSDATE - (now() AT TIME ZONE 'UTC'))) < 2 AS sysdate_is_now`);
        expect(rows).toEqual([
          {
            getdate_type: 'timestamp without time zone',
            sysdate_type: 'timestamp without time zone',
            whole_seconds: true,
            getdate_is_now: true,
            sysdate_is_now: true,
          },
        ]);
      });

      it('counts DATEDIFF boundaries and adds DATEADD parts as Redshift does', async () => {
        const rows = await ctx.emulator.sql(`SELECT
          DATEDIFF(year, '2023-12-31 23:59:59'::timestamp, '2024-01-01 00:00:00'::timestamp) AS years,
          DATEDIFF(qtr, '2024-03-31'::timestamp, '2024-04-01'::timestamp) AS quarters,
          DATEDIFF(month, '2024-01-31'::timestamp, '2024-02-01'::timestamp) AS months,
          DATEDIFF(week, '2024-01-07'::timestamp, '2024-01-08'::timestamp) AS weeks,
          DATEDIFF(hour, '2024-01-01 10:59:00'::timestamp, '2024-01-01 11:00:00'::timestamp) AS hours,
          DATEDIFF(minute, '2024-01-01 10:00:59'::timestamp, '2024-01-01 10:01:00'::timestamp) AS minutes,
          DATEDIFF(second, '2024-01-01 10:00:00'::timestamp, '2024-01-01 10:00:30'::timestamp) AS seconds,
          DATEADD(quarter, 1, '2024-01-15'::timestamp) AS plus_quarter,
          DATEADD(week, -1, '2024-01-15'::timestamp) AS minus_week,
          DATEADD(h, 36, '2024-01-15'::timestamp) AS plus_hours,
          CONVERT_TIMEZONE('Europe/Paris', 'UTC', '2024-01-15 12:00:00'::timestamp) AS paris_to_utc`);
        expect(rows).toEqual([
          {
            years: 1,
            quarters: 1,
            months: 1,
            weeks: 1,
            hours: 1,
            minutes: 1,
            seconds: 30,
            plus_quarter: '2024-04-15 00:00:00',
            minus_week: '2024-01-08 00:00:00',
            plus_hours: '2024-01-16 12:00:00',
            paris_to_utc: '2024-01-15 11:00:00',
          },
        ]);
      });

      it('runs LEN, NVL2, TRUNC(timestamp) and VACUUM', async () => {
        const rows = await ctx.emulator.sql(`SELECT
          LEN('héllo') AS len, NVL2(NULL::int, 'set', 'unset') AS nvl2_null, NVL2(1, 'set', 'unset') AS nvl2_set,
          TRUNC('2024-05-06 07:08:09'::timestamp) AS day`);
        expect(rows).toEqual([{ len: 5, nvl2_null: 'unset', nvl2_set: 'set', day: '2024-05-06' }]);
        const { description } = await run('VACUUM SORT ONLY dialect_t');
        expect(description).toMatchObject({ Status: 'FINISHED', HasResultSet: false });
      });

      it('fails DATEADD with a date part Redshift does not have, naming it', async () => {
        await expect(
          ctx.emulator.sql("SELECT DATEADD(fortnight, 1, '2024-01-01'::timestamp)"),
        ).rejects.toThrow('ERROR: dateadd: unsupported date part "fortnight"');
      });

      it('fails a statement that uses UNLOAD, naming the construct', async () => {
        const { description } = await run(
          "UNLOAD ('SELECT 1') TO 's3://bucket/x' IAM_ROLE default",
        );
        expect(description.Status).toBe('FAILED');
        expect(description.Error).toBe(
          'ERROR: UNLOAD is not supported by the Stepshift Redshift Data API emulator (it runs PostgreSQL). Query the table and write the file from your code, or test UNLOAD against Redshift.',
        );
      });
    });
  });
}

async function waitForStatus(
  client: RedshiftDataClient,
  id: string,
  status: string,
): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const d = await client.send(new DescribeStatementCommand({ Id: id }));
    if (d.Status === status) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`statement ${id} never reached ${status}`);
}
