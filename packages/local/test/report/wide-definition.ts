/** A definition of 25 states: a four-way Choice, a Parallel of three branches with a cancel path, a Map with a retry loop, catches into an alert path. */
const TASKER = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

function sql(next?: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    Type: 'Task',
    Resource: TASKER,
    Parameters: { FunctionName: 'stepshift-tasker' },
    ...(next ? { Next: next } : { End: true }),
    ...extra,
  };
}

export const wideDefinition = {
  StartAt: 'Init',
  States: {
    Init: sql('Mode'),
    Mode: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.mode', StringEquals: 'full', Next: 'FullLoad' },
        { Variable: '$.mode', StringEquals: 'incremental', Next: 'Incremental' },
        { Variable: '$.mode', StringEquals: 'backfill', Next: 'BackfillDays' },
      ],
      Default: 'BadMode',
    },
    BadMode: { Type: 'Fail', Error: 'BadMode' },
    FullLoad: {
      Type: 'Parallel',
      Next: 'Merge',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Alert' }],
      Branches: [
        { StartAt: 'Orders', States: { Orders: sql('OrdersCheck'), OrdersCheck: sql() } },
        {
          StartAt: 'Customers',
          States: {
            Customers: sql('CustomersDedupe', {
              Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Customers cancel' }],
            }),
            CustomersDedupe: sql(),
            'Customers cancel': sql('Customers failed'),
            'Customers failed': { Type: 'Fail', Error: 'States.Timeout' },
          },
        },
        { StartAt: 'Products', States: { Products: sql() } },
      ],
    },
    Incremental: sql('Merge', { Retry: [{ ErrorEquals: ['Stepshift.DataApiCapacity'] }] }),
    BackfillDays: {
      Type: 'Map',
      ItemsPath: '$.days',
      MaxConcurrency: 4,
      Next: 'Merge',
      ItemProcessor: {
        StartAt: 'LoadDay',
        States: {
          LoadDay: sql('VerifyDay'),
          VerifyDay: {
            Type: 'Choice',
            Choices: [{ Variable: '$.ok', BooleanEquals: false, Next: 'WaitRetry' }],
            Default: 'DayDone',
          },
          WaitRetry: { Type: 'Wait', Seconds: 30, Next: 'LoadDay' },
          DayDone: { Type: 'Succeed' },
        },
      },
    },
    Merge: sql('Aggregate', {
      Catch: [{ ErrorEquals: ['Stepshift.StatementFailed'], Next: 'Alert' }],
    }),
    Aggregate: sql('Vacuum'),
    Vacuum: sql('Analyze'),
    Analyze: sql('Publish'),
    Publish: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'publish' },
      Next: 'Done',
    },
    Alert: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', Next: 'Failed' },
    Failed: { Type: 'Fail', Error: 'EtlFailed' },
    Done: { Type: 'Succeed' },
  },
};
