import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { statementNameForToken } from '../../src/contract/index.js';
import { autoCancel, cancelExecution, cancelStatement } from '../../src/core/cancel.js';
import { describeStatement } from '../../src/core/describe.js';
import { startStatement } from '../../src/core/start.js';
import { DataApiRequestError } from '../../src/ports/data-api-request-error.js';
import { coreHarness, executeRequest, PREFIX } from '../support/core-harness.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:sm:run-1';

describe('cancel', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  it('cancels a running statement by id', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());

    const result = await cancelStatement(h.deps, 'stmt-1');

    expect(result).toEqual({ statementId: 'stmt-1', previousStatus: 'SUBMITTED', cancelled: true });
    expect(h.statements.cancelled).toEqual(['stmt-1']);
  });

  it('does not cancel a statement that has ended', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.statements.finish('stmt-1');

    const result = await cancelStatement(h.deps, 'stmt-1');

    expect(result).toEqual({ statementId: 'stmt-1', previousStatus: 'FINISHED', cancelled: false });
    expect(h.statements.cancelled).toEqual([]);
  });

  it('reports not cancelled when the statement ends between describe and cancel', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.statements.cancel = (id) => {
      h.statements.finish(id);
      return Promise.reject(
        new DataApiRequestError(
          'ValidationException',
          'Could not cancel a query that is already in FINISHED state.',
        ),
      );
    };

    const result = await cancelStatement(h.deps, 'stmt-1');

    expect(result).toEqual({ statementId: 'stmt-1', previousStatus: 'FINISHED', cancelled: false });
  });

  it('cancels every pending statement of an execution and orphans unsubmitted starts', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest({ taskToken: 't1' }));
    await startStatement(h.deps, executeRequest({ taskToken: 't2' }));
    h.statements.finish('stmt-2');
    await startStatement(h.deps, executeRequest({ taskToken: 't3', executionArn: 'arn:other' }));
    h.statements.executeErrors.push(new Error('crash'));
    await expect(startStatement(h.deps, executeRequest({ taskToken: 't4' }))).rejects.toThrow();
    h.clock.advance(1);
    await startStatement(h.deps, executeRequest({ taskToken: 't5' }));
    await h.tracking.finish(statementNameForToken(PREFIX, 't5'), {
      status: 'COMPLETED',
      outcome: 'done',
      now: 1,
      expiresAt: 1,
    });

    const result = await cancelExecution(h.deps, EXECUTION);

    expect(result.statements).toEqual(
      expect.arrayContaining([
        {
          statementId: 'stmt-1',
          statementName: statementNameForToken(PREFIX, 't1'),
          previousStatus: 'SUBMITTED',
          cancelled: true,
        },
        {
          statementId: 'stmt-2',
          statementName: statementNameForToken(PREFIX, 't2'),
          previousStatus: 'FINISHED',
          cancelled: false,
        },
        {
          statementName: statementNameForToken(PREFIX, 't4'),
          previousStatus: 'REGISTERED',
          cancelled: true,
        },
      ]),
    );
    expect(result.statements).toHaveLength(3);
    expect(h.statements.cancelled).toEqual(['stmt-1']);
    expect((await h.tracking.get(statementNameForToken(PREFIX, 't4')))?.status).toBe('ORPHANED');
  });

  it('cancels the statement, not the row, when the tasker records its id during the cancel', async () => {
    const h = await coreHarness(dynamo);
    const name = statementNameForToken(PREFIX, 't1');
    // The tasker registered the row and called ExecuteStatement, but has not recorded the id.
    await h.tracking.register({
      statementName: name,
      taskToken: 't1',
      request: executeRequest(),
      now: h.clock.now(),
      expiresAt: 9_999_999_999,
      executionArn: EXECUTION,
    });
    const { statementId } = await h.statements.execute({
      statementName: name,
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [],
    });
    // It records the id right after the cancel took its claim.
    const claim = h.tracking.claim.bind(h.tracking);
    vi.spyOn(h.tracking, 'claim').mockImplementation(async (...args) => {
      const claimed = await claim(...args);
      await h.tracking.markSubmitted(name, statementId, h.clock.now(), 9_999_999_999);
      return claimed;
    });

    const result = await cancelExecution(h.deps, EXECUTION);

    expect(result.statements).toEqual([
      { statementId, statementName: name, previousStatus: 'SUBMITTED', cancelled: true },
    ]);
    expect(h.statements.cancelled).toEqual([statementId]);
    // The row stays pending, so the statement's (ABORTED) completion still reaches the task.
    const row = await h.tracking.get(name);
    expect(row).toMatchObject({ status: 'SUBMITTED', statementId });
    expect(row?.leaseUntil).toBeUndefined();
  });

  it('cancels only the statements of the given state when a state name is given', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest({ taskToken: 't1', stateName: 'Load' }));
    await startStatement(h.deps, executeRequest({ taskToken: 't2', stateName: 'Report' }));

    const result = await cancelExecution(h.deps, EXECUTION, { stateName: 'Load' });

    expect(result.statements).toEqual([
      {
        statementId: 'stmt-1',
        statementName: statementNameForToken(PREFIX, 't1'),
        previousStatus: 'SUBMITTED',
        cancelled: true,
      },
    ]);
    expect(h.statements.cancelled).toEqual(['stmt-1']);
  });

  it('cancels only one run of a state when an iteration is given (a Map iteration that timed out)', async () => {
    const h = await coreHarness(dynamo);
    for (const [token, iteration] of [
      ['t0', '0'],
      ['t1', '1'],
      ['t2', '2'],
    ] as const) {
      await startStatement(
        h.deps,
        executeRequest({ taskToken: token, stateName: 'Load', iteration }),
      );
    }
    await startStatement(
      h.deps,
      executeRequest({ taskToken: 't3', stateName: 'Other', iteration: '1' }),
    );

    const result = await cancelExecution(h.deps, EXECUTION, { stateName: 'Load', iteration: '1' });

    expect(result.statements).toEqual([
      {
        statementId: 'stmt-2',
        statementName: statementNameForToken(PREFIX, 't1'),
        previousStatus: 'SUBMITTED',
        cancelled: true,
      },
    ]);
    expect(h.statements.cancelled).toEqual(['stmt-2']);
    expect(await h.tracking.get(statementNameForToken(PREFIX, 't1'))).toMatchObject({
      stateName: 'Load',
      iteration: '1',
    });
  });

  it('auto-cancels on ABORTED, TIMED_OUT and FAILED executions only', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());

    const succeeded = await autoCancel(h.deps, { executionArn: EXECUTION, status: 'SUCCEEDED' });
    const timedOut = await autoCancel(h.deps, { executionArn: EXECUTION, status: 'TIMED_OUT' });

    expect(succeeded).toEqual({
      action: 'ignored',
      reason: 'execution status SUCCEEDED needs no cancel',
    });
    expect(timedOut).toMatchObject({
      action: 'cancelled',
      result: { statements: [{ statementId: 'stmt-1', cancelled: true }] },
    });
  });

  it('describes a statement in the task output shape', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());

    expect(await describeStatement(h.deps, 'stmt-1')).toEqual({
      statementId: 'stmt-1',
      status: 'SUBMITTED',
    });
  });
});
