import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTokenForToken, statementNameForToken } from '../../src/contract/index.js';
import { completeStatement } from '../../src/core/complete.js';
import { startStatement } from '../../src/core/start.js';
import { DataApiRequestError } from '../../src/ports/data-api-request-error.js';
import { coreHarness, executeRequest, PREFIX } from '../support/core-harness.js';
import { capacityError } from '../support/fakes.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

describe('startStatement', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  const name = statementNameForToken(PREFIX, 'token-1');

  it('registers, executes with name, ClientToken and no wait, and records the id', async () => {
    const h = await coreHarness(dynamo);

    const result = await startStatement(h.deps, executeRequest({ stateName: 'Load' }));

    expect(result).toEqual({
      statementName: name,
      statementId: 'stmt-1',
      status: 'SUBMITTED',
      resumed: false,
    });
    expect(h.statements.executed).toEqual([
      {
        statementName: name,
        clientToken: clientTokenForToken('token-1'),
        statement: { kind: 'single', sql: 'select 1' },
        parameters: [],
      },
    ]);
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'SUBMITTED',
      statementId: 'stmt-1',
      taskToken: 'token-1',
      stateName: 'Load',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:sm:run-1',
      request: {
        action: 'execute',
        statement: { kind: 'single', sql: 'select 1' },
        parameters: [],
        resultMode: 'none',
        stateName: 'Load',
      },
    });
    expect((await h.tracking.get(name))?.request).not.toHaveProperty('taskToken');
  });

  it('keeps a pending row past the longest statement run, whatever the retention', async () => {
    // Retention counts from a row's last change. A pending row that TTL deletes before its
    // statement ends leaves the completion event and the reconciler without a row: the task
    // would wait for its timeout. The Data API runs a query for at most 24 hours.
    const h = await coreHarness(dynamo, { trackingRetentionSeconds: 3600 });
    const startedAt = Math.floor(h.clock.now() / 1000);

    await startStatement(h.deps, executeRequest());

    expect((await h.tracking.get(name))?.expiresAt).toBe(startedAt + 25 * 3600);
    h.clock.advance(7200_000);
    h.statements.finish('stmt-1');
    await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });
    // Once final, the configured retention applies.
    expect((await h.tracking.get(name))?.expiresAt).toBe(startedAt + 7200 + 3600);
  });

  it('starts without a task token under a run name and tracks nothing', async () => {
    const h = await coreHarness(dynamo);
    const { taskToken: _t, ...noToken } = executeRequest();

    const result = await startStatement(h.deps, noToken);

    expect(result.statementId).toBe('stmt-1');
    expect(result.statementName).toMatch(/^stepshift\.test\.run-[0-9a-f-]{36}$/);
    expect(result.status).toBe('SUBMITTED');
    expect(h.statements.executed[0]?.clientToken).toBeUndefined();
    expect(await h.tracking.listPending('', Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it('starts nothing new when the same token is started again after the id was recorded', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());

    const again = await startStatement(h.deps, executeRequest());

    expect(again).toEqual({
      statementName: name,
      statementId: 'stmt-1',
      status: 'SUBMITTED',
      resumed: true,
    });
    expect(h.statements.executed).toHaveLength(1);
  });

  it('resumes a start that crashed before the Data API call: one statement', async () => {
    const h = await coreHarness(dynamo);
    h.statements.executeErrors.push(new Error('socket hang up'));
    await expect(startStatement(h.deps, executeRequest())).rejects.toThrow('socket hang up');
    expect((await h.tracking.get(name))?.status).toBe('REGISTERED');

    const again = await startStatement(h.deps, executeRequest());

    expect(again).toMatchObject({ statementId: 'stmt-1', status: 'SUBMITTED', resumed: true });
    expect(h.statements.statements.size).toBe(1);
  });

  it('resumes a start that crashed after the Data API call: the ClientToken returns the same statement', async () => {
    const h = await coreHarness(dynamo);
    // The first call reached the Data API, then the tasker died before recording the id.
    await h.statements.execute({
      statementName: name,
      clientToken: clientTokenForToken('token-1'),
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [],
    });
    await h.tracking.register({
      statementName: name,
      taskToken: 'token-1',
      request: executeRequest(),
      now: h.clock.now(),
      expiresAt: 1,
    });

    const again = await startStatement(h.deps, executeRequest());

    expect(again).toMatchObject({ statementId: 'stmt-1', status: 'SUBMITTED', resumed: true });
    expect(h.statements.statements.size).toBe(1);
    expect((await h.tracking.get(name))?.statementId).toBe('stmt-1');
  });

  it('fails when the Data API is out of capacity, leaving the row REGISTERED for a retry', async () => {
    const h = await coreHarness(dynamo);
    h.statements.executeErrors.push(capacityError());

    await expect(startStatement(h.deps, executeRequest())).rejects.toMatchObject({
      name: 'Stepshift.DataApiCapacity',
    });

    expect((await h.tracking.get(name))?.status).toBe('REGISTERED');
  });

  it('fails when the Data API refuses the request, with its RedshiftData.* name', async () => {
    const h = await coreHarness(dynamo);
    h.statements.executeErrors.push(
      new DataApiRequestError('ValidationException', 'Cluster not found'),
    );

    await expect(startStatement(h.deps, executeRequest())).rejects.toMatchObject({
      name: 'RedshiftData.ValidationException',
      message: 'Cluster not found',
    });
  });

  it('completes a statement that ended within the fast-path wait, through the completion code', async () => {
    const h = await coreHarness(dynamo, { fastPathSeconds: 5 });
    h.statements.endOnExecute = 'FINISHED';

    const result = await startStatement(h.deps, executeRequest());

    expect(h.statements.executed[0]?.waitTimeSeconds).toBe(5);
    expect(result).toEqual({
      statementName: name,
      statementId: 'stmt-1',
      status: 'COMPLETED',
      resumed: false,
      completion: 'delivered',
    });
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'success',
        taskToken: 'token-1',
        output: {
          statementId: 'stmt-1',
          statementName: name,
          status: 'FINISHED',
          durationMs: 12,
          hasResultSet: false,
          resultRows: -1,
        },
      },
    ]);
    expect((await h.tracking.get(name))?.status).toBe('COMPLETED');
  });

  it('lets the payload override the fast path (0 disables it)', async () => {
    const h = await coreHarness(dynamo, { fastPathSeconds: 5 });

    await startStatement(h.deps, executeRequest({ fastPathSeconds: 0 }));

    expect(h.statements.executed[0]?.waitTimeSeconds).toBeUndefined();
  });

  it('starts nothing when the row was orphaned (execution cancelled) before the start', async () => {
    const h = await coreHarness(dynamo);
    await h.tracking.register({
      statementName: name,
      taskToken: 'token-1',
      request: executeRequest(),
      now: h.clock.now(),
      expiresAt: 1,
    });
    await h.tracking.finish(name, {
      status: 'ORPHANED',
      outcome: 'cancelled',
      now: 1,
      expiresAt: 1,
    });

    const result = await startStatement(h.deps, executeRequest());

    // The row was final before this start: nothing was executed.
    expect(result).toEqual({ statementName: name, status: 'ORPHANED', resumed: true });
    expect(h.statements.executed).toEqual([]);
    // A Retry of the task (same token) after the cancel: the task must not wait for a
    // statement that will never run, so it fails as aborted.
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'Stepshift.StatementAborted',
        cause: JSON.stringify({
          statementId: '',
          statementName: name,
          status: 'ABORTED',
          error: 'The execution was cancelled before the statement was started.',
        }),
      },
    ]);
  });

  it('starts nothing and sends nothing when the row was orphaned because its task is gone', async () => {
    const h = await coreHarness(dynamo);
    await h.tracking.register({
      statementName: name,
      taskToken: 'token-1',
      request: executeRequest(),
      now: h.clock.now(),
      expiresAt: 1,
    });
    await h.tracking.finish(name, {
      status: 'ORPHANED',
      outcome: 'never submitted; task gone: TaskTimedOut',
      now: 1,
      expiresAt: 1,
    });
    h.callbacks.gone.set('token-1', 'TaskTimedOut');

    const result = await startStatement(h.deps, executeRequest());

    expect(result).toEqual({ statementName: name, status: 'ORPHANED', resumed: true });
    expect(h.statements.executed).toEqual([]);
    expect(h.callbacks.sent).toEqual([]);
  });

  it('cancels what it started and fails the task when the execution was cancelled meanwhile', async () => {
    const h = await coreHarness(dynamo);
    h.statements.onExecuted = async () => {
      await h.tracking.finish(name, {
        status: 'ORPHANED',
        outcome: 'cancelled',
        now: 1,
        expiresAt: 1,
      });
    };

    const result = await startStatement(h.deps, executeRequest());

    expect(result).toEqual({
      statementName: name,
      statementId: 'stmt-1',
      status: 'ORPHANED',
      resumed: false,
    });
    expect(h.statements.cancelled).toEqual(['stmt-1']);
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'Stepshift.StatementAborted',
        cause: JSON.stringify({
          statementId: 'stmt-1',
          statementName: name,
          status: 'ABORTED',
          error: 'The execution was cancelled while the statement was being started.',
        }),
      },
    ]);
  });

  it('leaves a fast-path completion that hits a transient error to the completion event', async () => {
    const h = await coreHarness(dynamo, { fastPathSeconds: 5 });
    h.statements.endOnExecute = 'FINISHED';
    h.callbacks.failNext = 1;

    const result = await startStatement(h.deps, executeRequest());

    expect(result).toMatchObject({ status: 'SUBMITTED', completion: 'deferred' });
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'SUBMITTED',
      statementId: 'stmt-1',
    });
    expect((await h.tracking.get(name))?.leaseUntil).toBeUndefined();
  });

  it('fails when a batch is too large to keep in the tracking row, and starts nothing', async () => {
    const h = await coreHarness(dynamo);
    const sql = `select '${'x'.repeat(90_000)}'`;

    await expect(
      startStatement(
        h.deps,
        executeRequest({
          statement: { kind: 'batch', sqls: [sql, sql, sql, sql], executionMode: 'TRANSACTION' },
        }),
      ),
    ).rejects.toMatchObject({
      name: 'Stepshift.InvalidRequest',
      message: expect.stringMatching(
        /^Invalid Stepshift payload: sqlStatements: the statements and parameters total \d+ bytes, over the 307200 bytes a tracked task can hold/,
      ) as string,
    });
    expect(h.statements.executed).toEqual([]);
    expect(await h.tracking.get(name)).toBeUndefined();
  });

  it('tracks a batch just under the size a row can hold', async () => {
    const h = await coreHarness(dynamo);
    const sql = `select '${'x'.repeat(95_000)}'`;

    const result = await startStatement(
      h.deps,
      executeRequest({
        statement: { kind: 'batch', sqls: [sql, sql, sql], executionMode: 'TRANSACTION' },
      }),
    );

    expect(result.status).toBe('SUBMITTED');
    expect((await h.tracking.get(name))?.request.statement).toEqual({
      kind: 'batch',
      sqls: [sql, sql, sql],
      executionMode: 'TRANSACTION',
    });
  });
});
