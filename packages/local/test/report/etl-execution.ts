import type { HistoryEvent, ReportInput, ReportStatement } from '../../src/report/index.js';

/** A realistic ETL state machine: a Task chain, a Parallel, a Choice, a caught failure with retries. */
export const etlDefinition = {
  Comment: 'Nightly ETL',
  StartAt: 'CreateTables',
  States: {
    CreateTables: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:stepshift-tasker',
        Payload: {},
      },
      Next: 'LoadInParallel',
    },
    LoadInParallel: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'LoadOrders',
          States: {
            LoadOrders: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'stepshift-tasker' },
              End: true,
            },
          },
        },
        {
          StartAt: 'LoadCustomers',
          States: {
            LoadCustomers: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'stepshift-tasker' },
              Next: 'DedupeCustomers',
            },
            DedupeCustomers: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'stepshift-tasker' },
              End: true,
            },
          },
        },
      ],
      ResultPath: '$.loads',
      Next: 'HasRows',
    },
    HasRows: {
      Type: 'Choice',
      Choices: [{ Variable: '$.loads[0].rows', NumericGreaterThan: 0, Next: 'Aggregate' }],
      Default: 'NoData',
    },
    NoData: { Type: 'Fail', Error: 'NoData', Cause: 'nothing was loaded' },
    Aggregate: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'stepshift-tasker' },
      Retry: [{ ErrorEquals: ['Stepshift.DataApiCapacity'], MaxAttempts: 2 }],
      Catch: [
        {
          ErrorEquals: ['Stepshift.StatementFailed'],
          ResultPath: '$.error',
          Next: 'RecordFailure',
        },
      ],
      Next: 'Publish',
    },
    Publish: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'publish-report' },
      Next: 'Done',
    },
    RecordFailure: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: 'stepshift-tasker' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

const T0 = Date.parse('2026-12-04T10:00:00.000Z');

interface Builder {
  readonly events: HistoryEvent[];
  add(
    type: string,
    atMs: number,
    previousEventId: number,
    details?: Record<string, unknown>,
  ): number;
}

function builder(): Builder {
  const events: HistoryEvent[] = [];
  return {
    events,
    add(type, atMs, previousEventId, details = {}) {
      const id = events.length + 1;
      events.push({ id, previousEventId, timestamp: new Date(T0 + atMs), type, ...details });
      return id;
    },
  };
}

const TASKER = 'arn:aws:lambda:us-east-1:123456789012:function:stepshift-tasker';

/** Task state visit: entered, scheduled, started, submitted, succeeded/failed, exited. Returns the last event id. */
function task(
  b: Builder,
  name: string,
  prev: number,
  from: number,
  attempts: readonly { ms: number; error?: string; cause?: string }[],
  exit: boolean,
): number {
  let id = b.add('TaskStateEntered', from, prev, {
    stateEnteredEventDetails: { name, input: '{"run":"2026-12-04"}' },
  });
  let t = from;
  for (const attempt of attempts) {
    id = b.add('TaskScheduled', t + 2, id, {
      taskScheduledEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke.waitForTaskToken',
        region: 'us-east-1',
        parameters: JSON.stringify({ FunctionName: TASKER }),
      },
    });
    id = b.add('TaskStarted', t + 5, id, {
      taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke.waitForTaskToken' },
    });
    id = b.add('TaskSubmitted', t + 40, id, {
      taskSubmittedEventDetails: {
        resourceType: 'lambda',
        resource: 'invoke.waitForTaskToken',
        output: '{"StatusCode":200}',
      },
    });
    t += attempt.ms;
    if (attempt.error) {
      id = b.add('TaskFailed', t, id, {
        taskFailedEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke.waitForTaskToken',
          error: attempt.error,
          cause: attempt.cause,
        },
      });
      t += 200;
    } else {
      id = b.add('TaskSucceeded', t, id, {
        taskSucceededEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke.waitForTaskToken',
          output: `{"rows":${attempt.ms}}`,
        },
      });
    }
  }
  if (exit)
    id = b.add('TaskStateExited', t + 1, id, {
      stateExitedEventDetails: { name, output: `{"state":"${name}"}` },
    });
  return id;
}

/** The history of one run: Aggregate is throttled once, then its SQL fails and the Catch records it. */
export function etlExecution(): ReportInput {
  const b = builder();
  let id = b.add('ExecutionStarted', 0, 0, {
    executionStartedEventDetails: {
      input: '{"run":"2026-12-04"}',
      roleArn: 'arn:aws:iam::123456789012:role/etl',
    },
  });
  id = task(b, 'CreateTables', id, 10, [{ ms: 700 }], true);
  id = b.add('ParallelStateEntered', 720, id, {
    stateEnteredEventDetails: { name: 'LoadInParallel', input: '{}' },
  });
  const started = b.add('ParallelStateStarted', 721, id);
  const orders = task(b, 'LoadOrders', started, 725, [{ ms: 2400 }], true);
  let customers = task(b, 'LoadCustomers', started, 726, [{ ms: 1500 }], true);
  customers = task(b, 'DedupeCustomers', customers, 2230, [{ ms: 600 }], true);
  id = b.add('ParallelStateSucceeded', 3130, Math.max(orders, customers));
  id = b.add('ParallelStateExited', 3131, id, {
    stateExitedEventDetails: {
      name: 'LoadInParallel',
      output: '{"loads":[{"rows":1200},{"rows":310}]}',
    },
  });
  id = b.add('ChoiceStateEntered', 3132, id, {
    stateEnteredEventDetails: { name: 'HasRows', input: '{}' },
  });
  id = b.add('ChoiceStateExited', 3133, id, {
    stateExitedEventDetails: { name: 'HasRows', output: '{}' },
  });
  id = task(
    b,
    'Aggregate',
    id,
    3134,
    [
      { ms: 300, error: 'Stepshift.DataApiCapacity', cause: 'ActiveStatementsExceededException' },
      { ms: 1800, error: 'Stepshift.StatementFailed', cause: 'ERROR: division by zero' },
    ],
    true,
  );
  id = task(b, 'RecordFailure', id, 5640, [{ ms: 400 }], true);
  id = b.add('SucceedStateEntered', 6050, id, {
    stateEnteredEventDetails: { name: 'Done', input: '{}' },
  });
  id = b.add('SucceedStateExited', 6050, id, {
    stateExitedEventDetails: { name: 'Done', output: '{"status":"recorded"}' },
  });
  b.add('ExecutionSucceeded', 6051, id, {
    executionSucceededEventDetails: { output: '{"status":"recorded"}' },
  });

  const at = (ms: number): string => new Date(T0 + ms).toISOString();
  const statements: ReportStatement[] = [
    {
      id: 'a1b2c3d4-0001',
      name: 'stepshift.etl.create',
      stateName: 'CreateTables',
      sql: 'CREATE TABLE IF NOT EXISTS orders (id BIGINT IDENTITY(1,1), amount DECIMAL(12,2)) DISTKEY(id) SORTKEY(id);',
      status: 'FINISHED',
      startedAt: at(60),
      endedAt: at(680),
      rows: 0,
    },
    {
      id: 'a1b2c3d4-0002',
      stateName: 'LoadOrders',
      sql: 'INSERT INTO orders SELECT * FROM staging.orders WHERE day = :day',
      status: 'FINISHED',
      startedAt: at(780),
      endedAt: at(3080),
      rows: 1200,
    },
    {
      id: 'a1b2c3d4-0003',
      stateName: 'LoadCustomers',
      sql: 'INSERT INTO customers SELECT * FROM staging.customers',
      status: 'FINISHED',
      startedAt: at(790),
      endedAt: at(2180),
      rows: 310,
    },
    {
      id: 'a1b2c3d4-0004',
      stateName: 'DedupeCustomers',
      sql: 'DELETE FROM customers USING dupes WHERE customers.id = dupes.id',
      status: 'FINISHED',
      startedAt: at(2280),
      endedAt: at(2800),
      rows: 4,
    },
    {
      id: 'a1b2c3d4-0005',
      stateName: 'Aggregate',
      sql: 'INSERT INTO daily SELECT day, SUM(amount) / COUNT(*) - COUNT(*) FROM orders GROUP BY day',
      status: 'FAILED',
      startedAt: at(3700),
      endedAt: at(5420),
      error: 'ERROR: division by zero',
    },
    {
      id: 'a1b2c3d4-0006',
      stateName: 'RecordFailure',
      sql: "INSERT INTO etl_failures VALUES ('2026-12-04', 'Aggregate')",
      status: 'FINISHED',
      startedAt: at(5700),
      endedAt: at(5980),
      rows: 1,
    },
  ];
  return {
    title: 'nightly-etl',
    definition: etlDefinition,
    result: { status: 'SUCCEEDED', output: { status: 'recorded' } },
    history: b.events,
    statements,
  };
}
