import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { statementNameForRun, statementNameForToken } from '../../src/contract/index.js';
import { completeStatement } from '../../src/core/complete.js';
import { startStatement } from '../../src/core/start.js';
import { coreHarness, executeRequest, PREFIX, type CoreHarness } from '../support/core-harness.js';
import { capacityError } from '../support/fakes.js';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb.js';

describe('completeStatement', () => {
  let dynamo: LocalDynamoDb;
  beforeAll(async () => {
    dynamo = await startLocalDynamoDb();
  });
  afterAll(async () => {
    await dynamo.close();
  });

  const name = statementNameForToken(PREFIX, 'token-1');

  async function started(extra = {}): Promise<CoreHarness> {
    const h = await coreHarness(dynamo);
    await startStatement(h.deps, executeRequest(extra));
    return h;
  }

  it('sends SendTaskSuccess with the description and marks the row COMPLETED', async () => {
    const h = await started();
    h.statements.finish('stmt-1', {
      resultRows: 3,
      resultSize: 120,
      redshiftQueryId: 77,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      updatedAt: new Date('2026-01-01T00:00:01Z'),
    });

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(result).toBe('delivered');
    expect(h.callbacks.sent).toEqual([
      {
        kind: 'success',
        taskToken: 'token-1',
        output: {
          statementId: 'stmt-1',
          statementName: name,
          status: 'FINISHED',
          durationMs: 12,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:01.000Z',
          hasResultSet: false,
          resultRows: 3,
          resultSize: 120,
          redshiftQueryId: 77,
        },
      },
    ]);
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'COMPLETED',
      outcome: 'FINISHED via event; success',
    });
  });

  it('fails the task with Stepshift.StatementFailed and Redshift’s error text in the cause', async () => {
    const h = await started();
    h.statements.fail('stmt-1', 'ERROR: relation "nope" does not exist');

    await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(h.callbacks.sent).toEqual([
      {
        kind: 'failure',
        taskToken: 'token-1',
        error: 'Stepshift.StatementFailed',
        cause: JSON.stringify({
          statementId: 'stmt-1',
          statementName: name,
          status: 'FAILED',
          error: 'ERROR: relation "nope" does not exist',
        }),
      },
    ]);
    expect((await h.tracking.get(name))?.outcome).toBe(
      'FAILED via event; Stepshift.StatementFailed',
    );
  });

  it('fails the task with Stepshift.StatementAborted for an ABORTED statement', async () => {
    const h = await started();
    h.statements.abort('stmt-1');

    await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(h.callbacks.sent).toMatchObject([
      { kind: 'failure', error: 'Stepshift.StatementAborted' },
    ]);
  });

  it('ignores statements of other taskers without reading the table', async () => {
    const h = await started();

    const result = await completeStatement(h.deps, {
      statementId: 'x',
      statementName: 'stepshift.other.abc',
      source: 'event',
    });

    expect(result).toBe('foreign');
    expect(h.callbacks.sent).toEqual([]);
  });

  it('acknowledges and counts a statement of ours without a row', async () => {
    const h = await coreHarness(dynamo);

    const result = await completeStatement(h.deps, {
      statementId: 'x',
      statementName: statementNameForToken(PREFIX, 'token-whose-row-expired'),
      source: 'event',
    });

    expect(result).toBe('unknown');
    expect(
      h.logger.lines.filter((line) => line.fields['metric'] === 'UnknownStatement'),
    ).toHaveLength(1);
  });

  it('acknowledges a start without a task token without reading the table or the Data API', async () => {
    const h = await coreHarness(dynamo);
    h.statements.describeErrors.push(new Error('must not be described'));
    const claim = vi.spyOn(h.tracking, 'claim');
    const get = vi.spyOn(h.tracking, 'get');

    const result = await completeStatement(h.deps, {
      statementId: 'x',
      statementName: statementNameForRun(PREFIX),
      source: 'event',
    });

    expect(result).toBe('untracked');
    expect(h.statements.describeErrors).toHaveLength(1);
    expect(claim).not.toHaveBeenCalled();
    expect(get).not.toHaveBeenCalled();
    expect(h.logger.lines.filter((line) => line.fields['metric'] !== undefined)).toEqual([]);
  });

  it('sends one callback for a duplicate event', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };

    const results = [
      await completeStatement(h.deps, input),
      await completeStatement(h.deps, input),
    ];

    expect(results).toEqual(['delivered', 'already-final']);
    expect(h.callbacks.sent).toHaveLength(1);
  });

  it('sends exactly one callback when two completions race for one row', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };

    const results = await Promise.all([
      completeStatement(h.deps, input),
      completeStatement(h.deps, { ...input, source: 'reconciler' }),
      completeStatement(h.deps, input),
    ]);

    expect(results.filter((result) => result === 'delivered')).toHaveLength(1);
    expect(h.callbacks.sent).toHaveLength(1);
    expect((await h.tracking.get(name))?.status).toBe('COMPLETED');
  });

  it('completes a row whose id the tasker has not recorded yet (event first) and records it', async () => {
    const h = await coreHarness(dynamo);
    await h.tracking.register({
      statementName: name,
      taskToken: 'token-1',
      request: executeRequest(),
      now: h.clock.now(),
      expiresAt: 1,
    });
    await h.statements.execute({
      statementName: name,
      statement: { kind: 'single', sql: 'select 1' },
      parameters: [],
    });
    h.statements.finish('stmt-1');

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(result).toBe('delivered');
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'COMPLETED',
      statementId: 'stmt-1',
    });
    expect(await h.tracking.markSubmitted(name, 'stmt-1', 1, 1)).toBe(false);
  });

  it('ignores an event for another statement id under the same name', async () => {
    const h = await started();

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-other',
      statementName: name,
      source: 'event',
    });

    expect(result).toBe('mismatch');
  });

  it('fails when Step Functions is throttled: the claim is released and the error rethrown, then a retry delivers', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    h.callbacks.failNext = 1;
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };

    await expect(completeStatement(h.deps, input)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
    const afterFailure = await h.tracking.get(name);
    const retried = await completeStatement(h.deps, input);

    expect(afterFailure).toMatchObject({ status: 'SUBMITTED', claimCount: 1 });
    expect(afterFailure?.leaseUntil).toBeUndefined();
    expect(retried).toBe('delivered');
    expect(h.callbacks.sent).toHaveLength(1);
  });

  it('leaves a row whose claimer died to be claimed again once the lease ends', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    await h.tracking.claim(name, {
      claimId: 'dead',
      now: h.clock.now(),
      leaseUntil: h.clock.now() + 300_000,
    });
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };

    const whileLeased = await completeStatement(h.deps, input);
    h.clock.advance(300_001);
    const afterLease = await completeStatement(h.deps, input);

    expect([whileLeased, afterLease]).toEqual(['busy', 'delivered']);
    expect(h.callbacks.sent).toHaveLength(1);
  });

  it('marks the row ORPHANED when the task timed out (TaskTimedOut), without retrying', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    h.callbacks.gone.set('token-1', 'TaskTimedOut');

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(result).toBe('orphaned');
    expect(await h.tracking.get(name)).toMatchObject({
      status: 'ORPHANED',
      outcome: 'FINISHED via event; task gone: TaskTimedOut',
    });
  });

  it('releases its claim and rethrows when an event’s DescribeStatement fails, so a redelivery completes', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    const throttled = capacityError();
    h.statements.describeErrors.push(throttled);
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };

    await expect(completeStatement(h.deps, input)).rejects.toBe(throttled);
    const afterFailure = await h.tracking.get(name);
    const retried = await completeStatement(h.deps, input);

    expect(afterFailure).toMatchObject({ status: 'SUBMITTED', claimCount: 1 });
    expect(afterFailure?.leaseUntil).toBeUndefined();
    expect(retried).toBe('delivered');
    expect(h.callbacks.sent).toHaveLength(1);
  });

  it('ignores a duplicate event even when its DescribeStatement fails', async () => {
    const h = await started();
    h.statements.finish('stmt-1');
    const input = { statementId: 'stmt-1', statementName: name, source: 'event' as const };
    await completeStatement(h.deps, input);
    h.statements.describeErrors.push(capacityError());

    expect(await completeStatement(h.deps, input)).toBe('already-final');
    expect(h.callbacks.sent).toHaveLength(1);
  });

  it('gives the claim back when an event names a statement that is still running', async () => {
    const h = await started();

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'event',
    });

    expect(result).toBe('not-ended');
    expect(await h.tracking.get(name)).toMatchObject({ status: 'SUBMITTED', claimCount: 1 });
    expect((await h.tracking.get(name))?.leaseUntil).toBeUndefined();
    expect(h.callbacks.sent).toEqual([]);
  });

  it('does not claim the row when the description it is given shows a running statement', async () => {
    const h = await started();

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'reconciler',
      description: { id: 'stmt-1', status: 'STARTED' },
    });

    expect(result).toBe('not-ended');
    expect((await h.tracking.get(name))?.claimCount).toBeUndefined();
  });

  it('reports a statement that has not ended without claiming it', async () => {
    const h = await started();

    const result = await completeStatement(h.deps, {
      statementId: 'stmt-1',
      statementName: name,
      source: 'reconciler',
    });

    expect(result).toBe('not-ended');
    expect((await h.tracking.get(name))?.claimCount).toBeUndefined();
  });
});
