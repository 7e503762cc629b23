import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientTokenForToken, statementNameForToken } from '../../src/contract/index.js';
import { reconcile } from '../../src/core/reconcile.js';
import { startStatement } from '../../src/core/start.js';
import { DataApiRequestError } from '../../src/ports/data-api-request-error.js';
import { coreHarness, executeRequest, PREFIX, type CoreHarness } from '../support/core-harness.js';
import { capacityError } from '../support/fakes.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

const GRACE_MS = 120_000;

describe('reconcile', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  const name = statementNameForToken(PREFIX, 'token-1');

  /** A start that crashed between register and execute. */
  async function crashedStart(): Promise<CoreHarness> {
    const h = await coreHarness(dynamo);
    h.statements.executeErrors.push(new Error('Lambda timed out'));
    await expect(
      startStatement(h.deps, executeRequest({ parameters: [{ name: 'id', value: '7' }] })),
    ).rejects.toThrow('Lambda timed out');
    h.statements.executed.length = 0;
    return h;
  }

  it('leaves rows younger than the grace period alone', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.statements.finish('stmt-1');
    h.clock.advance(GRACE_MS - 1);

    expect(await reconcile(h.deps)).toEqual({ examined: 0, actions: {} });
    expect(h.callbacks.sent).toEqual([]);
  });

  it('completes an ended statement whose event was lost', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.statements.fail('stmt-1', 'ERROR: division by zero');
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { completed: 1 } });
    expect(h.callbacks.sent).toMatchObject([
      { kind: 'failure', taskToken: 'token-1', error: 'Stepshift.StatementFailed' },
    ]);
    expect((await h.tracking.get(name))?.outcome).toBe(
      'FAILED via reconciler; Stepshift.StatementFailed',
    );
  });

  it('moves a running statement to the back of the queue without a heartbeat', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.clock.advance(GRACE_MS + 1);

    const first = await reconcile(h.deps);
    const second = await reconcile(h.deps);

    expect(first).toEqual({ examined: 1, actions: { running: 1 } });
    expect(second).toEqual({ examined: 0, actions: {} });
    // A heartbeat would reset the task's HeartbeatSeconds, the statement's time budget.
    expect(h.callbacks.sent).toEqual([]);
  });

  it('orphans a statement whose task timed out once it ends, without cancelling anything', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.callbacks.gone.set('token-1', 'TaskTimedOut');
    h.clock.advance(GRACE_MS + 1);
    expect(await reconcile(h.deps)).toEqual({ examined: 1, actions: { running: 1 } });

    h.statements.finish('stmt-1');
    h.clock.advance(GRACE_MS + 1);
    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { orphaned: 1 } });
    expect(h.statements.cancelled).toEqual([]);
    expect((await h.tracking.get(name))?.status).toBe('ORPHANED');
  });

  it('submits a crashed start whose task still waits, with the stored request and the same ClientToken', async () => {
    const h = await crashedStart();
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { submitted: 1 } });
    expect(h.statements.executed).toEqual([
      {
        statementName: name,
        clientToken: clientTokenForToken('token-1'),
        statement: { kind: 'single', sql: 'select 1' },
        parameters: [{ name: 'id', value: '7' }],
      },
    ]);
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'SUBMITTED',
      statementId: 'stmt-1',
    });
    expect((await h.tracking.get(name))?.claimId).toBeUndefined();
  });

  it('orphans a crashed start whose task no longer waits, without submitting it', async () => {
    const h = await crashedStart();
    h.callbacks.gone.set('token-1', 'TaskDoesNotExist');
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { orphaned: 1 } });
    expect(h.statements.executed).toEqual([]);
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'ORPHANED',
      outcome: 'never submitted; task gone: TaskDoesNotExist',
    });
  });

  it('fails the task of a crashed start that the Data API refuses', async () => {
    const h = await crashedStart();
    h.statements.executeErrors.push(
      new DataApiRequestError('ValidationException', 'Database does not exist'),
    );
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { failed: 1 } });
    expect(h.callbacks.sent).toEqual([
      { kind: 'heartbeat', taskToken: 'token-1' },
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'RedshiftData.ValidationException',
        cause: JSON.stringify({
          statementId: '',
          statementName: name,
          status: 'REFUSED',
          error: 'Database does not exist',
        }),
      },
    ]);
    expect((await h.tracking.get(name))?.status).toBe('COMPLETED');
  });

  it('defers a crashed start when the Data API is out of capacity, and submits it next run', async () => {
    const h = await crashedStart();
    h.statements.executeErrors.push(capacityError());
    h.clock.advance(GRACE_MS + 1);

    const first = await reconcile(h.deps);
    const second = await reconcile(h.deps);

    expect(first).toEqual({ examined: 1, actions: { deferred: 1 } });
    expect(second).toEqual({ examined: 1, actions: { submitted: 1 } });
  });

  it('defers a row when Step Functions is unreachable, releasing its claim', async () => {
    const h = await crashedStart();
    h.callbacks.failNext = 1;
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { deferred: 1 } });
    expect((await h.tracking.get(name))?.leaseUntil).toBeUndefined();
  });

  it('fails the task of a statement the Data API no longer knows', async () => {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest());
    h.statements.describe = () =>
      Promise.reject(new DataApiRequestError('ValidationException', 'Query does not exist.'));
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { failed: 1 } });
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'RedshiftData.ValidationException',
        cause: JSON.stringify({
          statementId: 'stmt-1',
          statementName: name,
          status: 'UNKNOWN',
          error: 'Query does not exist.',
        }),
      },
    ]);
  });

  it('fails the task when the Data API refuses its result rows, instead of retrying forever', async () => {
    // Results are kept 24 hours: a statement whose event was lost and whose rows expired (or
    // that the Data API otherwise refuses to read) can never succeed. Before, every run
    // released the claim and deferred, and the task waited for its timeout.
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest({ resultMode: 'rows' }));
    h.statements.finish('stmt-1', { hasResultSet: true, resultRows: 2 });
    h.statements.getResultPage = () =>
      Promise.reject(
        new DataApiRequestError('ResourceNotFoundException', 'Query results expired.'),
      );
    h.clock.advance(GRACE_MS + 1);

    const summary = await reconcile(h.deps);

    expect(summary).toEqual({ examined: 1, actions: { completed: 1 } });
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'RedshiftData.ResourceNotFoundException',
        cause: JSON.stringify({
          statementId: 'stmt-1',
          statementName: name,
          status: 'FINISHED',
          error: 'Query results expired.',
        }),
      },
    ]);
    expect(await h.tracking.get(name)).toMatchObject({ status: 'COMPLETED' });
  });
});
