/**
 * End to end on embedded PGlite: the real tasker and completer handlers, the Data API emulator,
 * dynalite, the bus with the tasker's rule, the queue with redrive, the reconciler; plus the
 * faults the design exists for.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type StepshiftSandbox } from '../../../src/sandbox/create-sandbox.js';
import type { SqsEvent } from '../../../src/sandbox/queue/queue-consumer.js';
import type { StepshiftStack } from '../../../src/sandbox/stack/stepshift-stack.js';

const examples = fileURLToPath(new URL('../../../../../examples/asl/', import.meta.url));
const example = (name: string): Promise<string> => readFile(`${examples}${name}.asl.json`, 'utf8');

let sandbox: StepshiftSandbox;
let stack: StepshiftStack;

beforeAll(async () => {
  sandbox = await createSandbox({
    timeScale: 100,
    stepshift: {
      visibilityTimeoutSeconds: 10,
      maxReceiveCount: 3,
      reconcileGraceSeconds: 5,
      reconcileIntervalSeconds: 1_000_000,
    },
  });
  stack = sandbox.stepshift as StepshiftStack;
});

afterAll(async () => {
  await sandbox?.close();
});

function sqlMachine(sql: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    StartAt: 'Sql',
    States: {
      Sql: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
        Parameters: {
          FunctionName: 'stepshift-tasker',
          Payload: {
            'taskToken.$': '$$.Task.Token',
            'executionArn.$': '$$.Execution.Id',
            sqlStatement: sql,
            result: 'rows',
          },
        },
        ResultSelector: { 'rows.$': '$.rows' },
        ...extra,
        End: true,
      },
    },
  });
}

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sandbox end to end on PGlite', () => {
  it('runs a chain that creates, loads and queries tables with Redshift DDL, parameters and rows', async () => {
    const result = await sandbox.execute(await example('sql-success-chain'), {
      amounts: { a: 10, b: 20.5, c: 5 },
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      regions: [
        { region: 'north', total: '15.00' },
        { region: 'south', total: '20.50' },
      ],
      summary: '2 regions loaded',
    });
    expect(await sandbox.sql('select count(*)::int as n from sales')).toEqual([{ n: 3 }]);
    await stack.statementLog.drain();
    expect(
      stack.statementLog.forExecution(result.executionArn).map((s) => [s.stateName, s.status]),
    ).toEqual([
      ['CreateTables', 'FINISHED'],
      ['LoadSales', 'FINISHED'],
      ['Summarize', 'FINISHED'],
      ['ReadTotals', 'FINISHED'],
    ]);
  });

  it('runs the README example: a tasker task with parameters, then sql()', async () => {
    await sandbox.sql('create table orders (region varchar(16), amount decimal(10,2))');
    const result = await sandbox.execute({
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: {
            FunctionName: 'stepshift-tasker',
            Payload: {
              'taskToken.$': '$$.Task.Token',
              sqlStatement: 'insert into orders values (:region, :amount)',
              sqlParameters: { region: 'north', amount: 10 },
            },
          },
          HeartbeatSeconds: 300,
          End: true,
        },
      },
    });
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { status: 'FINISHED', resultRows: 1 },
    });
    expect(await sandbox.sql('select count(*)::int as n from orders')).toEqual([{ n: 1 }]);
  });

  it('catches a failing statement by its Stepshift error name', async () => {
    const result = await sandbox.execute(await example('sql-failure-caught'));
    expect(result.status).toBe('SUCCEEDED');
    const output = result.output as { recovered: boolean; error: string; cause: string };
    expect(output.error).toBe('Stepshift.StatementFailed');
    expect(JSON.parse(output.cause)).toMatchObject({
      status: 'FAILED',
      error: 'ERROR: relation "table_that_does_not_exist" does not exist',
    });
  });

  it('retries throttled tasker invocations of parallel branches until all succeed', async () => {
    const before = sandbox.lambdas.stats('stepshift-tasker')?.throttles ?? 0;
    const result = await sandbox.execute(await example('sql-parallel-throttled'), {
      regions: ['north', 'south', 'east', 'west'],
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual(
      ['north', 'south', 'east', 'west'].map((region) => ({ region, n: 1000 })),
    );
    expect((sandbox.lambdas.stats('stepshift-tasker')?.throttles ?? 0) - before).toBeGreaterThan(0);
  });

  it('rolls back a failing batch run in one transaction', async () => {
    const result = await sandbox.execute(await example('sql-batch-rollback'));
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { rolledBack: true, error: 'Stepshift.StatementFailed' },
    });
  });

  it('runs a polling state machine through aws-sdk:redshiftdata tasks with PascalCase fields', async () => {
    const result = await sandbox.execute(await example('redshift-data-polling'));
    expect(result).toMatchObject({
      status: 'SUCCEEDED',
      output: { answer: 42, column: 'answer', rows: 1 },
    });
  });

  it('fails a redshiftdata task with RedshiftData.<Exception>', async () => {
    const result = await sandbox.execute({
      StartAt: 'D',
      States: {
        D: {
          Type: 'Task',
          Resource: 'arn:aws:states:::aws-sdk:redshiftdata:describeStatement',
          Parameters: { Id: '00000000-0000-4000-8000-000000000000' },
          End: true,
        },
      },
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'RedshiftData.ResourceNotFoundException',
    });
  });
});

describe('sandbox faults', () => {
  it('recovers a dropped completion event with the reconciler', async () => {
    const completerCalls = sandbox.lambdas.stats('stepshift-completer')?.invocations ?? 0;
    sandbox.bus.intercept((event) => (event.source === 'aws.redshift-data' ? 'drop' : 'deliver'));
    try {
      const execution = sandbox.start(sqlMachine('select 7 as seven'));
      await until(
        () => stack.statementLog.forExecution(execution.executionArn).length === 1,
        'the statement to finish',
      );
      await new Promise((r) => setTimeout(r, 100)); // past the 5 s (simulated) grace period
      await stack.reconciler.runNow();
      const result = await execution.result;
      expect(result).toMatchObject({ status: 'SUCCEEDED', output: { rows: [{ seven: 7 }] } });
      expect(sandbox.lambdas.stats('stepshift-completer')?.invocations).toBe(completerCalls);
    } finally {
      sandbox.bus.intercept(undefined);
    }
  });

  it('sends one callback for a duplicated completion event', async () => {
    const before = sandbox.tokens.stats();
    sandbox.bus.intercept((event) =>
      event.source === 'aws.redshift-data' ? 'duplicate' : 'deliver',
    );
    try {
      const result = await sandbox.execute(sqlMachine('select 1 as one'));
      expect(result).toMatchObject({ status: 'SUCCEEDED', output: { rows: [{ one: 1 }] } });
      await until(
        () => stack.queue.counts().visible + stack.queue.counts().inFlight === 0,
        'the queue to drain',
      );
      const after = sandbox.tokens.stats();
      expect(after.successes - before.successes).toBe(1);
      expect(after.refused - before.refused).toBe(0);
    } finally {
      sandbox.bus.intercept(undefined);
    }
  });

  it('redelivers a batch item the completer failed, and completes it then', async () => {
    const real = sandbox.lambdas.handlerOf('stepshift-completer');
    if (real === undefined) throw new Error('no completer');
    const receiveCounts: string[] = [];
    let failedOnce = false;
    sandbox.registerHandler('stepshift-completer', {
      concurrency: 2,
      handler: async (event, context) => {
        const records = (event as SqsEvent).Records;
        receiveCounts.push(...records.map((r) => r.attributes.ApproximateReceiveCount));
        if (!failedOnce) {
          failedOnce = true;
          return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) };
        }
        return real(event, context);
      },
    });
    try {
      const result = await sandbox.execute(sqlMachine('select 2 as two'));
      expect(result).toMatchObject({ status: 'SUCCEEDED', output: { rows: [{ two: 2 }] } });
      expect(receiveCounts).toEqual(['1', '2']);
    } finally {
      sandbox.registerHandler('stepshift-completer', { handler: real, concurrency: 2 });
    }
  });

  it('moves a message that exhausts its receives to the dead-letter queue; the reconciler still completes the task', async () => {
    const real = sandbox.lambdas.handlerOf('stepshift-completer');
    if (real === undefined) throw new Error('no completer');
    sandbox.registerHandler('stepshift-completer', {
      concurrency: 2,
      handler: async () => {
        throw new Error('completer down');
      },
    });
    try {
      const execution = sandbox.start(sqlMachine('select 3 as three'));
      await until(() => stack.deadLetterQueue.bodies().length === 1, 'the dead-letter queue');
      const body = JSON.parse(stack.deadLetterQueue.bodies()[0] as string) as {
        detail: { statementName: string };
      };
      expect(body.detail.statementName.startsWith(stack.statementPrefix)).toBe(true);
      await stack.reconciler.runNow();
      expect(await execution.result).toMatchObject({
        status: 'SUCCEEDED',
        output: { rows: [{ three: 3 }] },
      });
    } finally {
      sandbox.registerHandler('stepshift-completer', { handler: real, concurrency: 2 });
    }
  });
});

// Last: cancelling a PGlite statement restarts its worker, which takes a few seconds.
describe('sandbox heartbeat timeout', () => {
  it('times out a slow statement on its heartbeat and cancels it', async () => {
    const result = await sandbox.execute(await example('sql-heartbeat-timeout'), {
      heartbeatSeconds: 30,
    });
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({
      timedOut: 'States.HeartbeatTimeout',
      cancel: { statements: [{ cancelled: true, previousStatus: 'STARTED' }] },
    });
    await until(
      () => stack.statementLog.forExecution(result.executionArn).length === 1,
      'the cancelled statement',
    );
    expect(stack.statementLog.forExecution(result.executionArn)[0]).toMatchObject({
      stateName: 'SlowQuery',
      status: 'ABORTED',
    });
  });

  it('in a Map, cancels only the timed-out iteration’s statement, not its sibling’s', async () => {
    const throttled = {
      ErrorEquals: ['Lambda.TooManyRequestsException'],
      IntervalSeconds: 1,
      MaxAttempts: 30,
      BackoffRate: 1.5,
    };
    const machine = JSON.stringify({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          MaxConcurrency: 2,
          ItemSelector: {
            'index.$': '$$.Map.Item.Index',
            'sql.$': '$$.Map.Item.Value.sql',
            'heartbeat.$': '$$.Map.Item.Value.heartbeat',
          },
          ItemProcessor: {
            StartAt: 'Load',
            States: {
              Load: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
                Parameters: {
                  FunctionName: 'stepshift-tasker',
                  Payload: {
                    'taskToken.$': '$$.Task.Token',
                    'executionArn.$': '$$.Execution.Id',
                    'stateName.$': '$$.State.Name',
                    'iteration.$': '$.index',
                    'sqlStatement.$': '$.sql',
                  },
                },
                HeartbeatSecondsPath: '$.heartbeat',
                Retry: [throttled],
                ResultSelector: { 'status.$': '$.status' },
                Catch: [
                  { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeout', Next: 'Cancel' },
                ],
                End: true,
              },
              Cancel: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: {
                  FunctionName: 'stepshift-tasker',
                  Payload: {
                    action: 'cancel',
                    'executionArn.$': '$$.Execution.Id',
                    stateName: 'Load',
                    'iteration.$': '$.index',
                  },
                },
                Retry: [throttled],
                ResultSelector: { 'cancelled.$': '$.Payload.statements' },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    });

    // Scaled 100x: the slow item's heartbeat times out after 0.3 s, the quick one's after 60 s.
    // The quick statement waits behind the slow one on PGlite's connection, so it is still
    // pending when the slow iteration cancels.
    const result = await sandbox.execute(machine, {
      items: [
        { sql: 'select pg_sleep(20)', heartbeat: 30 },
        { sql: 'select 42 as answer', heartbeat: 6000 },
      ],
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual([
      {
        // STARTED, or still SUBMITTED while PGlite restarts after the previous test's cancel.
        cancelled: [
          expect.objectContaining({
            cancelled: true,
            previousStatus: expect.stringMatching(/^(SUBMITTED|STARTED)$/) as unknown,
          }),
        ],
      },
      { status: 'FINISHED' },
    ]);
  });
});
