import {
  BatchExecuteStatementCommand,
  ActiveStatementsExceededException,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataServiceException,
  type ColumnMetadata,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statementNameForToken } from '../../src/contract/index.js';
import { createJsonLogger } from '../../src/core/json-logger.js';
import type { StartResult } from '../../src/core/start.js';
import { flowHarness, type FlowHarness } from '../support/flow-harness.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';
import { sqsEvent } from '../support/sqs-records.js';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:etl:run-42';

const columns: ColumnMetadata[] = [
  { name: 'id', label: 'id', typeName: 'int8', nullable: 0 },
  { name: 'name', label: 'name', typeName: 'varchar', nullable: 1 },
  { name: 'score', label: 'score', typeName: 'float8', nullable: 1 },
  { name: 'active', label: 'active', typeName: 'bool', nullable: 1 },
];

describe('flow: tasker → Data API → completion event → SQS → completer → callback', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  async function start(
    h: FlowHarness,
    token: string,
    payload: Record<string, unknown> = { sqlStatement: 'select 1' },
  ): Promise<{ id: string; name: string }> {
    const result = (await h.tasker({
      taskToken: token,
      executionArn: EXECUTION,
      ...payload,
    })) as StartResult;
    return { id: result.statementId ?? '', name: result.statementName };
  }

  it('completes a successful statement with its description', async () => {
    const h = await flowHarness(dynamo);
    const { id, name } = await start(h, 'tok-success', {
      sqlStatement: 'insert into t select * from s',
      stateName: 'Load',
    });

    const response = await h.completer(sqsEvent(h.redshift.finish(id)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(h.redshift.mock.commandCalls(ExecuteStatementCommand)[0]?.args[0].input).toMatchObject({
      ClusterIdentifier: 'redshift-cluster-1',
      Database: 'dev',
      DbUser: 'etl',
      Sql: 'insert into t select * from s',
      StatementName: name,
      WithEvent: true,
    });
    expect(h.sfn.outcomesOf('tok-success')).toEqual([
      {
        kind: 'success',
        output: {
          statementId: id,
          statementName: name,
          status: 'FINISHED',
          durationMs: 1234,
          createdAt: h.redshift.get(id).createdAt.toISOString(),
          updatedAt: h.redshift.get(id).updatedAt.toISOString(),
          hasResultSet: false,
          resultRows: 0,
          resultSize: 100,
          redshiftQueryId: h.redshift.get(id).queryId,
        },
      },
    ]);
    expect(await h.tracking.get(name)).toMatchObject({ status: 'COMPLETED', stateName: 'Load' });
  });

  it('fails the task with Stepshift.StatementFailed and the Error from DescribeStatement', async () => {
    const h = await flowHarness(dynamo);
    const { id, name } = await start(h, 'tok-fail', { sqlStatement: 'select * from nope' });

    await h.completer(sqsEvent(h.redshift.fail(id, 'ERROR: relation "nope" does not exist')));

    expect(h.sfn.outcomesOf('tok-fail')).toEqual([
      {
        kind: 'failure',
        error: 'Stepshift.StatementFailed',
        cause: JSON.stringify({
          statementId: id,
          statementName: name,
          status: 'FAILED',
          error: 'ERROR: relation "nope" does not exist',
        }),
      },
    ]);
  });

  it('fails the task with Stepshift.StatementAborted for an aborted statement', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-abort');

    await h.completer(sqsEvent(h.redshift.abort(id)));

    expect(h.sfn.outcomesOf('tok-abort')).toMatchObject([
      { kind: 'failure', error: 'Stepshift.StatementAborted' },
    ]);
  });

  it('runs a batch as one transaction and reports its sub-statements', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-batch', {
      sqlStatements: ['create temp table x as select 1 as id', 'insert into t select * from x'],
    });

    await h.completer(sqsEvent(h.redshift.finish(id)));

    expect(
      h.redshift.mock.commandCalls(BatchExecuteStatementCommand)[0]?.args[0].input,
    ).toMatchObject({
      Sqls: ['create temp table x as select 1 as id', 'insert into t select * from x'],
      ExecutionMode: 'TRANSACTION',
      WithEvent: true,
    });
    const [outcome] = h.sfn.outcomesOf('tok-batch');
    expect(outcome).toMatchObject({
      kind: 'success',
      output: {
        statementId: id,
        status: 'FINISHED',
        subStatements: [
          {
            id: `${id}:1`,
            status: 'FINISHED',
            durationMs: 1234,
            hasResultSet: false,
            resultRows: 0,
          },
          {
            id: `${id}:2`,
            status: 'FINISHED',
            durationMs: 1234,
            hasResultSet: false,
            resultRows: 0,
          },
        ],
      },
    });
  });

  it('fails a batch with the failing sub-statement’s error in the cause', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-batch-fail', { sqlStatements: ['select 1', 'select x'] });

    await h.completer(sqsEvent(h.redshift.fail(id, 'ERROR: column "x" does not exist', 1)));

    const [outcome] = h.sfn.outcomesOf('tok-batch-fail');
    expect(outcome?.kind === 'failure' && JSON.parse(outcome.cause)).toMatchObject({
      status: 'FAILED',
      error: 'ERROR: column "x" does not exist',
      subStatements: [
        { id: `${id}:1`, status: 'FINISHED' },
        { id: `${id}:2`, status: 'FAILED', error: 'ERROR: column "x" does not exist' },
      ],
    });
  });

  it('sends parameters as Data API Parameters, values as strings, and never logs them', async () => {
    const lines: string[] = [];
    const h = await flowHarness(dynamo, {
      logger: createJsonLogger({ level: 'DEBUG', write: (line) => lines.push(line) }),
    });
    const { id } = await start(h, 'tok-secret-token-params', {
      sqlStatement: 'select * from users where email = :email and age > :age and ok = :ok',
      sqlParameters: { email: 'alice-secret@example.com', age: 30, ok: true },
    });
    await h.completer(sqsEvent(h.redshift.finish(id)));

    expect(
      h.redshift.mock.commandCalls(ExecuteStatementCommand)[0]?.args[0].input.Parameters,
    ).toEqual([
      { name: 'email', value: 'alice-secret@example.com' },
      { name: 'age', value: '30' },
      { name: 'ok', value: 'true' },
    ]);
    expect(h.sfn.outcomesOf('tok-secret-token-params')).toMatchObject([{ kind: 'success' }]);
    expect(lines.length).toBeGreaterThan(2);
    expect(lines.join('\n')).not.toContain('alice-secret');
    expect(lines.join('\n')).not.toContain('tok-secret-token-params');
  });

  it('returns every row across several result pages, typed values as JSON', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.pageSize = 2;
    const { id } = await start(h, 'tok-rows', {
      sqlStatement: 'select * from users',
      result: 'rows',
    });

    await h.completer(
      sqsEvent(
        h.redshift.finish(id, {
          columns,
          rows: [
            [
              { longValue: 1 },
              { stringValue: 'ada' },
              { doubleValue: 9.5 },
              { booleanValue: true },
            ],
            [{ longValue: 2 }, { isNull: true }, { doubleValue: 7 }, { booleanValue: false }],
            [{ longValue: 3 }, { stringValue: 'grace' }, { isNull: true }, { isNull: true }],
            [
              { longValue: 4 },
              { stringValue: 'linus' },
              { doubleValue: 0.25 },
              { booleanValue: true },
            ],
            [{ longValue: 5 }, { stringValue: 'ken' }, { doubleValue: 1 }, { booleanValue: true }],
          ],
        }),
      ),
    );

    const [outcome] = h.sfn.outcomesOf('tok-rows');
    expect(outcome).toMatchObject({
      kind: 'success',
      output: {
        statementId: id,
        hasResultSet: true,
        resultRows: 5,
        columns: [
          { name: 'id', typeName: 'int8' },
          { name: 'name', typeName: 'varchar' },
          { name: 'score', typeName: 'float8' },
          { name: 'active', typeName: 'bool' },
        ],
        rows: [
          { id: 1, name: 'ada', score: 9.5, active: true },
          { id: 2, name: null, score: 7, active: false },
          { id: 3, name: 'grace', score: null, active: null },
          { id: 4, name: 'linus', score: 0.25, active: true },
          { id: 5, name: 'ken', score: 1, active: true },
        ],
      },
    });
    expect(h.redshift.mock.commandCalls(GetStatementResultCommand)).toHaveLength(3);
  });

  it('fails the task with Stepshift.ResultTooLarge when the rows exceed 256 KiB', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.pageSize = 100;
    const { id } = await start(h, 'tok-big', { sqlStatement: 'select * from big', result: 'rows' });
    const wide = 'w'.repeat(2000);

    await h.completer(
      sqsEvent(
        h.redshift.finish(id, {
          columns,
          rows: Array.from({ length: 500 }, (_v, i) => [
            { longValue: i },
            { stringValue: wide },
            { doubleValue: 1 },
            { booleanValue: true },
          ]),
        }),
      ),
    );

    const [outcome] = h.sfn.outcomesOf('tok-big');
    expect(outcome).toMatchObject({ kind: 'failure', error: 'Stepshift.ResultTooLarge' });
    expect(outcome?.kind === 'failure' && outcome.cause).toContain('UNLOAD');
  });

  it('sends one callback for duplicate events, in one batch and across batches', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-dup');
    const event = h.redshift.finish(id);

    const first = await h.completer(sqsEvent(event, event, event));
    const second = await h.completer(sqsEvent(event));

    expect([first, second]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(h.sfn.outcomesOf('tok-dup')).toHaveLength(1);
    expect(h.sfn.calls).toBe(1);
  });

  it('recovers a lost event with the reconciler after the grace period', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-lost');
    h.redshift.finish(id); // the event never arrives

    const early = await h.reconciler();
    h.clock.advance(120_001);
    const late = await h.reconciler();

    expect(early).toEqual({ examined: 0, actions: {} });
    expect(late).toEqual({ examined: 1, actions: { completed: 1 } });
    expect(h.sfn.outcomesOf('tok-lost')).toMatchObject([
      { kind: 'success', output: { statementId: id } },
    ]);
  });

  it('starts one statement when the tasker crashed between register and execute and is re-invoked', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.failNextExecute(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const payload = { taskToken: 'tok-crash', executionArn: EXECUTION, sqlStatement: 'select 1' };

    await expect(h.tasker(payload)).rejects.toThrow('socket hang up');
    const name = statementNameForToken(h.config.statementPrefix, 'tok-crash');
    const afterCrash = await h.tracking.get(name);
    const again = (await h.tasker(payload)) as StartResult;
    await h.completer(sqsEvent(h.redshift.finish(again.statementId ?? '')));

    expect(afterCrash?.status).toBe('REGISTERED');
    expect(again).toMatchObject({ statementName: name, status: 'SUBMITTED', resumed: true });
    expect(h.redshift.all()).toHaveLength(1);
    expect(h.sfn.outcomesOf('tok-crash')).toMatchObject([{ kind: 'success' }]);
  });

  it('starts one statement when the Data API call succeeded but the tasker crashed before recording it', async () => {
    const h = await flowHarness(dynamo);
    const payload = {
      taskToken: 'tok-crash-after',
      executionArn: EXECUTION,
      sqlStatement: 'select 1',
    };
    const name = statementNameForToken(h.config.statementPrefix, 'tok-crash-after');
    // The statement reaches Redshift, then the tasker dies before recording its id.
    h.redshift.onStarted = () => {
      h.redshift.onStarted = undefined;
      throw new Error('Task timed out after 3.00 seconds');
    };

    await expect(h.tasker(payload)).rejects.toThrow('Task timed out');
    const again = (await h.tasker(payload)) as StartResult;

    expect(h.redshift.all()).toHaveLength(1);
    expect(again).toMatchObject({ statementId: h.redshift.all()[0]?.id, resumed: true });
    expect((await h.tracking.get(name))?.statementId).toBe(h.redshift.all()[0]?.id);
  });

  it('submits a crashed start from the reconciler when nobody re-invokes the tasker', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.failNextExecute(new Error('socket hang up'));
    await expect(
      h.tasker({ taskToken: 'tok-recon', executionArn: EXECUTION, sqlStatement: 'select 2' }),
    ).rejects.toThrow();
    h.clock.advance(120_001);

    const summary = await h.reconciler();
    const [statement] = h.redshift.all();
    await h.completer(sqsEvent(h.redshift.finish(statement?.id ?? '')));

    expect(summary).toEqual({ examined: 1, actions: { submitted: 1 } });
    expect(h.sfn.heartbeats).toEqual(['tok-recon']);
    expect(h.sfn.outcomesOf('tok-recon')).toMatchObject([{ kind: 'success' }]);
  });

  it('marks the row ORPHANED when the task timed out before the statement ended', async () => {
    const h = await flowHarness(dynamo);
    const { id, name } = await start(h, 'tok-timeout');
    h.sfn.timeOut('tok-timeout');

    const response = await h.completer(sqsEvent(h.redshift.finish(id)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'ORPHANED',
      outcome: 'FINISHED via event; task gone: TaskTimedOut',
    });
  });

  it('reports only the transiently failed message, and its redelivery completes the task', async () => {
    const h = await flowHarness(dynamo);
    const a = await start(h, 'tok-a');
    const b = await start(h, 'tok-b');
    h.sfn.throttleNext(1);
    const eventA = sqsEvent(h.redshift.finish(a.id));
    const eventB = sqsEvent(h.redshift.finish(b.id));
    const batch = { Records: [...eventA.Records, ...eventB.Records] };

    const first = await h.completer(batch);
    const failedId = first.batchItemFailures[0]?.itemIdentifier;
    const redelivered = { Records: batch.Records.filter((r) => r.messageId === failedId) };
    const second = await h.completer(redelivered);

    expect(first.batchItemFailures).toHaveLength(1);
    expect(second).toEqual({ batchItemFailures: [] });
    expect(h.sfn.outcomesOf('tok-a')).toHaveLength(1);
    expect(h.sfn.outcomesOf('tok-b')).toHaveLength(1);
  });

  it('acknowledges foreign, unknown and malformed messages', async () => {
    const h = await flowHarness(dynamo);
    const { taskToken: _t, ...noToken } = { taskToken: '', sqlStatement: 'select 1' };
    const polled = (await h.tasker(noToken)) as StartResult;
    const foreign = h.redshift.finish(polled.statementId ?? '');
    const otherTasker = {
      ...foreign,
      detail: { ...foreign.detail, statementName: 'stepshift.other.x' },
    };

    const response = await h.completer(
      sqsEvent(foreign, otherTasker, 'not json', { source: 'aws.s3' }),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(h.sfn.calls).toBe(0);
  });

  it('starts without a task token and returns the id and name at once (polling use)', async () => {
    const h = await flowHarness(dynamo);

    const result = (await h.tasker({ sqlStatement: 'vacuum' })) as StartResult;

    expect(result).toEqual({
      statementName: expect.stringMatching(/^stepshift\.flow\.run-/) as string,
      statementId: h.redshift.all()[0]?.id,
      status: 'SUBMITTED',
      resumed: false,
    });
  });

  it('fails when the payload is invalid (Stepshift.InvalidRequest) and starts nothing', async () => {
    const h = await flowHarness(dynamo);

    await expect(
      h.tasker({ taskToken: 't', sqlStatement: 'select 1', sqlStatements: ['select 2'] }),
    ).rejects.toMatchObject({ name: 'Stepshift.InvalidRequest' });
    expect(h.redshift.all()).toEqual([]);
  });

  it('completes a short statement on the fast path, then ignores its late event', async () => {
    const h = await flowHarness(dynamo, { config: { fastPathSeconds: 5 } });
    h.redshift.onStarted = (statementId) => {
      h.redshift.finish(statementId);
    };

    const result = (await h.tasker({
      taskToken: 'tok-fast',
      sqlStatement: 'select 1',
    })) as StartResult;
    const late = await h.completer(sqsEvent(h.redshift.completionEvent(result.statementId ?? '')));

    expect(
      h.redshift.mock.commandCalls(ExecuteStatementCommand)[0]?.args[0].input.WaitTimeSeconds,
    ).toBe(5);
    expect(result).toMatchObject({ status: 'COMPLETED', completion: 'delivered' });
    expect(late).toEqual({ batchItemFailures: [] });
    expect(h.sfn.outcomesOf('tok-fast')).toHaveLength(1);
  });

  it('cancels by statement id and by execution, and replies to a waiting task', async () => {
    const h = await flowHarness(dynamo);
    const one = await start(h, 'tok-c1');
    h.clock.advance(1);
    await start(h, 'tok-c2');

    const byId = await h.tasker({ action: 'cancel', statementId: one.id });
    const byExecution = await h.tasker({
      action: 'cancel',
      executionArn: EXECUTION,
      taskToken: 'tok-cancel-task',
    });

    expect(byId).toEqual({
      statements: [{ statementId: one.id, previousStatus: 'SUBMITTED', cancelled: true }],
    });
    expect(byExecution).toMatchObject({
      statements: [{ previousStatus: 'ABORTED', cancelled: false }, { cancelled: true }],
    });
    expect(h.sfn.outcomesOf('tok-cancel-task')).toEqual([{ kind: 'success', output: byExecution }]);
  });

  it('auto-cancels the statements of an aborted execution; the abort event orphans the row', async () => {
    const h = await flowHarness(dynamo);
    const { id, name } = await start(h, 'tok-auto');
    h.sfn.timeOut('tok-auto'); // the execution was aborted: its task is gone

    const result = await h.canceller({
      version: '0',
      id: 'e1',
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: '123456789012',
      time: '2026-12-04T20:00:00Z',
      region: 'us-east-1',
      resources: [EXECUTION],
      detail: {
        executionArn: EXECUTION,
        stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:etl',
        name: 'run-42',
        status: 'ABORTED',
      },
    });
    await h.completer(sqsEvent(h.redshift.completionEvent(id)));

    expect(result).toEqual({
      action: 'cancelled',
      result: {
        statements: [
          { statementId: id, statementName: name, previousStatus: 'SUBMITTED', cancelled: true },
        ],
      },
    });
    expect(h.redshift.get(id).status).toBe('ABORTED');
    expect((await h.tracking.get(name))?.status).toBe('ORPHANED');
  });

  it('describes a statement for a describe action', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-d');

    const described = await h.tasker({ action: 'describe', statementId: id });

    expect(described).toMatchObject({ statementId: id, status: 'SUBMITTED' });
  });

  it('fails when Redshift has too many active statements (Stepshift.DataApiCapacity); a retry with the same token starts one', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.failNextExecute(
      new ActiveStatementsExceededException({
        message: 'Active statements exceeded the allowed quota.',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const payload = { taskToken: 'tok-busy', executionArn: EXECUTION, sqlStatement: 'select 1' };

    await expect(h.tasker(payload)).rejects.toMatchObject({
      name: 'Stepshift.DataApiCapacity',
      message:
        'Redshift Data API ExecuteStatement refused for capacity (ActiveStatementsExceededException): Active statements exceeded the allowed quota. Retry with back-off.',
    });
    const retried = (await h.tasker(payload)) as StartResult;
    await h.completer(sqsEvent(h.redshift.finish(retried.statementId ?? '')));

    expect(h.redshift.all()).toHaveLength(1);
    expect(h.sfn.outcomesOf('tok-busy')).toMatchObject([{ kind: 'success' }]);
  });

  it('retries a completion whose result read was throttled mid-pages, then returns every row', async () => {
    const h = await flowHarness(dynamo);
    h.redshift.pageSize = 1;
    const { id } = await start(h, 'tok-throttled-rows', {
      sqlStatement: 'select id from t',
      result: 'rows',
    });
    const event = sqsEvent(
      h.redshift.finish(id, {
        columns: [{ name: 'id', typeName: 'int4' }],
        rows: [[{ longValue: 1 }], [{ longValue: 2 }], [{ longValue: 3 }]],
      }),
    );
    let reads = 0;
    h.redshift.beforeResultPage = () => {
      reads += 1;
      if (reads === 2) {
        throw new RedshiftDataServiceException({
          name: 'ThrottlingException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: 'Rate exceeded',
        });
      }
    };

    const first = await h.completer(event);
    const second = await h.completer(event);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[0]?.messageId }]);
    expect(second).toEqual({ batchItemFailures: [] });
    expect(h.sfn.outcomesOf('tok-throttled-rows')).toMatchObject([
      { kind: 'success', output: { rows: [{ id: 1 }, { id: 2 }, { id: 3 }] } },
    ]);
  });

  it('cancels the timed-out state’s statements for the construct’s cancel-on-timeout payload', async () => {
    const h = await flowHarness(dynamo);
    const load = await start(h, 'tok-load', { sqlStatement: 'select 1', stateName: 'Load' });
    h.clock.advance(1);
    const other = await start(h, 'tok-other', { sqlStatement: 'select 2', stateName: 'Other' });
    h.sfn.timeOut('tok-load'); // States.Timeout closed the task

    const result = await h.tasker({
      action: 'cancel',
      executionArn: EXECUTION,
      stateName: 'Load',
      taskToken: 'tok-cancel-state',
    });
    await h.completer(sqsEvent(h.redshift.completionEvent(load.id)));

    expect(result).toEqual({
      statements: [
        {
          statementId: load.id,
          statementName: load.name,
          previousStatus: 'SUBMITTED',
          cancelled: true,
        },
      ],
    });
    expect(h.redshift.get(other.id).status).toBe('SUBMITTED');
    expect(h.sfn.outcomesOf('tok-cancel-state')).toEqual([{ kind: 'success', output: result }]);
    expect((await h.tracking.get(load.name))?.status).toBe('ORPHANED');
  });

  it('fails when a cancel’s state name is not a string (Stepshift.InvalidRequest)', async () => {
    const h = await flowHarness(dynamo);

    await expect(
      h.tasker({ action: 'cancel', executionArn: EXECUTION, stateName: 7 }),
    ).rejects.toMatchObject({
      name: 'Stepshift.InvalidRequest',
      message: 'Invalid Stepshift payload: stateName: must be a string, got a number',
    });
  });

  it('sends the description as the task output for a describe with a task token', async () => {
    const h = await flowHarness(dynamo);
    const { id } = await start(h, 'tok-described');

    const described = await h.tasker({
      action: 'describe',
      statementId: id,
      taskToken: 'tok-describe-task',
    });

    expect(h.sfn.outcomesOf('tok-describe-task')).toEqual([{ kind: 'success', output: described }]);
  });

  it('counts each batch’s outcomes as CloudWatch embedded metrics', async () => {
    const lines: string[] = [];
    const h = await flowHarness(dynamo, {
      logger: createJsonLogger({ write: (line) => lines.push(line) }),
    });
    const { id } = await start(h, 'tok-metrics');
    const event = h.redshift.finish(id);
    const named = (statementName: string) => ({
      ...event,
      detail: { ...event.detail, statementName },
    });
    // A task's name whose row is gone, and a start without a task token (no row by design).
    const unknown = named(`${h.config.statementPrefix}${'ab'.repeat(32)}`);
    const untracked = named(`${h.config.statementPrefix}run-x`);

    await h.completer(sqsEvent(event));
    await h.completer(sqsEvent(event, unknown, untracked, 'garbage'));

    const batches = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line['message'] === 'batch done');
    expect(batches[1]).toMatchObject({
      messages: 4,
      Handler: 'completer',
      StatementPrefix: h.config.statementPrefix,
      DuplicateEvents: 1,
      UnknownStatements: 1,
      UntrackedStatements: 1,
      MalformedEvents: 1,
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Stepshift',
            Dimensions: [['Handler', 'StatementPrefix']],
            Metrics: expect.arrayContaining([
              { Name: 'DuplicateEvents', Unit: 'Count' },
              { Name: 'UnknownStatements', Unit: 'Count' },
              { Name: 'UntrackedStatements', Unit: 'Count' },
              { Name: 'MalformedEvents', Unit: 'Count' },
            ]) as unknown,
          },
        ],
      },
    });
    expect(batches[0]).toMatchObject({ CallbacksSent: 1 });
  });
});
