import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { ErrorNames, validateTaskerPayload } from '../../runtime/src/contract/index.js';
import { loadCdk } from './support/build-once.js';
import {
  getAtt,
  logicalId,
  newStack,
  renderDefinition,
  validateAsl,
  withoutIntrinsics,
} from './support/stacks.js';

const { RedshiftTarget, SfnRedshiftTasker, RedshiftSqlTask, BatchExecutionMode } = await loadCdk();
type TaskProps = ConstructorParameters<typeof RedshiftSqlTask>[2];

function setup() {
  const stack = newStack();
  const tasker = new SfnRedshiftTasker(stack, 'Tasker', {
    target: RedshiftTarget.workgroupWithIam({ workgroupName: 'etl-wg', database: 'dev' }),
    taskerId: 'etl',
  });
  const fn = getAtt(logicalId(stack, tasker.lambdaFunction));
  return { stack, tasker, fn };
}

/** The seed's retries plus the Data API capacity back-off, as rendered. */
const RETRIES = [
  {
    ErrorEquals: ['Lambda.TooManyRequestsException'],
    IntervalSeconds: 1,
    MaxAttempts: 10,
    BackoffRate: 1.5,
  },
  {
    ErrorEquals: [
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
    ],
    IntervalSeconds: 2,
    MaxAttempts: 6,
    BackoffRate: 2,
  },
  {
    ErrorEquals: [ErrorNames.DataApiCapacity],
    IntervalSeconds: 5,
    MaxAttempts: 8,
    BackoffRate: 2,
    MaxDelaySeconds: 60,
    JitterStrategy: 'FULL',
  },
];

const CONTEXT_FIELDS = {
  'taskToken.$': '$$.Task.Token',
  'executionArn.$': '$$.Execution.Id',
  'stateName.$': '$$.State.Name',
};

describe('RedshiftSqlTask rendering', () => {
  it('renders the seed state without boilerplate: token, execution, state, SQL, retries, timeout', () => {
    const { stack, tasker, fn } = setup();
    const task = new RedshiftSqlTask(stack, 'Load', { tasker, sql: 'CALL load_sales()' });
    expect(renderDefinition(stack, task)).toEqual({
      StartAt: 'Load',
      States: {
        Load: {
          Type: 'Task',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke.waitForTaskToken'],
            ],
          },
          Parameters: {
            FunctionName: fn,
            Payload: { ...CONTEXT_FIELDS, sqlStatement: 'CALL load_sales()' },
          },
          TimeoutSeconds: 90000,
          Retry: RETRIES,
          End: true,
        },
      },
    });
  });

  it('renders a batch in one transaction with parameters, rows, fast path and a heartbeat', () => {
    const { stack, tasker, fn } = setup();
    const task = new RedshiftSqlTask(stack, 'Report', {
      tasker,
      sqlStatements: [
        'DELETE FROM daily WHERE day = :day',
        'INSERT INTO daily SELECT * FROM staged WHERE day = :day',
      ],
      sqlParameters: { day: sfn.JsonPath.stringAt('$.day'), region: 'eu' },
      returnRows: true,
      fastPath: Duration.seconds(5),
      heartbeatTimeout: sfn.Timeout.duration(Duration.minutes(10)),
      resultPath: '$.report',
    });
    expect(renderDefinition(stack, task)).toEqual({
      StartAt: 'Report',
      States: {
        Report: {
          Type: 'Task',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke.waitForTaskToken'],
            ],
          },
          Parameters: {
            FunctionName: fn,
            Payload: {
              ...CONTEXT_FIELDS,
              sqlStatements: [
                'DELETE FROM daily WHERE day = :day',
                'INSERT INTO daily SELECT * FROM staged WHERE day = :day',
              ],
              executionMode: 'TRANSACTION',
              sqlParameters: { 'day.$': '$.day', region: 'eu' },
              result: 'rows',
              fastPathSeconds: 5,
            },
          },
          HeartbeatSeconds: 600,
          ResultPath: '$.report',
          Retry: RETRIES,
          End: true,
        },
      },
    });
  });

  it('renders the cancel-on-timeout path: catch States.Timeout, cancel, then the given state', () => {
    const { stack, tasker, fn } = setup();
    const done = new sfn.Succeed(stack, 'Cancelled');
    const task = new RedshiftSqlTask(stack, 'Slow', {
      tasker,
      sql: 'SELECT pg_sleep(600)',
      heartbeatTimeout: sfn.Timeout.duration(Duration.seconds(30)),
      cancelOnTimeout: true,
      afterCancel: done,
    });
    task.addCatch(new sfn.Fail(stack, 'SqlFailed'), { errors: [ErrorNames.StatementFailed] });
    const invoke = {
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke']],
    };
    expect(renderDefinition(stack, task)).toEqual({
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':states:::lambda:invoke.waitForTaskToken'],
            ],
          },
          Parameters: {
            FunctionName: fn,
            Payload: { ...CONTEXT_FIELDS, sqlStatement: 'SELECT pg_sleep(600)' },
          },
          HeartbeatSeconds: 30,
          Retry: RETRIES,
          Catch: [
            { ErrorEquals: ['States.Timeout'], ResultPath: '$.timeoutError', Next: 'Slow cancel' },
            { ErrorEquals: ['Stepshift.StatementFailed'], Next: 'SqlFailed' },
          ],
          End: true,
        },
        'Slow cancel': {
          Type: 'Task',
          Comment: 'Cancels the statement of the timed-out task',
          Resource: invoke,
          Parameters: {
            FunctionName: fn,
            Payload: { action: 'cancel', 'executionArn.$': '$$.Execution.Id', stateName: 'Slow' },
          },
          ResultPath: null,
          Retry: RETRIES,
          Next: 'Cancelled',
        },
        Cancelled: { Type: 'Succeed' },
        SqlFailed: { Type: 'Fail' },
      },
    });
    expect(task.cancelState).toBeDefined();
  });

  it('fails with States.Timeout after the cancel when no next state is given', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'Slow', {
      tasker,
      stateName: 'Slow query',
      sql: 'SELECT 1',
      taskTimeout: sfn.Timeout.duration(Duration.minutes(1)),
      cancelOnTimeout: true,
    });
    const states = renderDefinition(stack, task)['States'] as Record<
      string,
      Record<string, unknown>
    >;
    expect(Object.keys(states)).toEqual([
      'Slow query',
      'Slow query cancel',
      'Slow query timed out',
    ]);
    expect(states['Slow query']?.['TimeoutSeconds']).toBe(60);
    expect(states['Slow query timed out']).toEqual({
      Type: 'Fail',
      Error: 'States.Timeout',
      Cause: 'The SQL did not finish in time; its statement was cancelled',
    });
    expect((states['Slow query cancel']?.['Parameters'] as { Payload: unknown }).Payload).toEqual({
      action: 'cancel',
      'executionArn.$': '$$.Execution.Id',
      stateName: 'Slow query',
    });
  });

  it('composes with Parallel, Map, Catch and next and passes asl-validator', () => {
    const { stack, tasker } = setup();
    const a = new RedshiftSqlTask(stack, 'A', { tasker, sql: 'SELECT 1' });
    const b = new RedshiftSqlTask(stack, 'B', { tasker, sql: 'SELECT 2', returnRows: true });
    const parallel = new sfn.Parallel(stack, 'Both').branch(a).branch(b);
    const map = new sfn.Map(stack, 'Each', { itemsPath: '$.tables' });
    map.itemProcessor(
      new RedshiftSqlTask(stack, 'Vacuum', {
        tasker,
        sql: sfn.JsonPath.format('VACUUM {}', sfn.JsonPath.stringAt('$.name')),
      }),
    );
    const failed = new sfn.Fail(stack, 'Failed', { error: 'SqlFailed' });
    parallel.addCatch(failed, {
      errors: [ErrorNames.StatementFailed, ErrorNames.StatementAborted],
    });
    const definition = renderDefinition(stack, parallel.next(map));
    const result = validateAsl(withoutIntrinsics(definition));
    expect(result).toEqual({ isValid: true, errors: [] });
    const vacuum = (
      definition['States'] as Record<
        string,
        { ItemProcessor?: { States: Record<string, { Parameters: { Payload: unknown } }> } }
      >
    )['Each']?.ItemProcessor?.States['Vacuum']?.Parameters.Payload;
    expect(vacuum).toEqual({
      ...CONTEXT_FIELDS,
      'sqlStatement.$': "States.Format('VACUUM {}', $.name)",
    });
  });

  it('inside a Map, passes the iteration to the task and to its cancel, so siblings are spared', () => {
    const { stack, tasker } = setup();
    const map = new sfn.Map(stack, 'Each', {
      itemsPath: '$.tables',
      itemSelector: {
        index: sfn.JsonPath.stringAt('$$.Map.Item.Index'),
        name: sfn.JsonPath.stringAt('$$.Map.Item.Value'),
      },
    });
    map.itemProcessor(
      new RedshiftSqlTask(stack, 'Load', {
        tasker,
        sql: sfn.JsonPath.format('CALL load({})', sfn.JsonPath.stringAt('$.name')),
        iteration: sfn.JsonPath.stringAt('$.index'),
        taskTimeout: sfn.Timeout.duration(Duration.minutes(10)),
        cancelOnTimeout: true,
      }),
    );
    const definition = renderDefinition(stack, map);
    expect(validateAsl(withoutIntrinsics(definition))).toEqual({ isValid: true, errors: [] });
    const states = (
      definition['States'] as Record<
        string,
        { ItemProcessor: { States: Record<string, { Parameters: { Payload: unknown } }> } }
      >
    )['Each']?.ItemProcessor.States;
    expect(states?.['Load']?.Parameters.Payload).toEqual({
      ...CONTEXT_FIELDS,
      'iteration.$': '$.index',
      'sqlStatement.$': "States.Format('CALL load({})', $.name)",
    });
    expect(states?.['Load cancel']?.Parameters.Payload).toEqual({
      action: 'cancel',
      'executionArn.$': '$$.Execution.Id',
      stateName: 'Load',
      'iteration.$': '$.index',
    });
  });

  it('uses the auto-commit mode when asked', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'B', {
      tasker,
      sqlStatements: ['SELECT 1', 'SELECT 2'],
      executionMode: BatchExecutionMode.AUTO_COMMIT,
    });
    const state = (
      renderDefinition(stack, task)['States'] as Record<
        string,
        { Parameters: { Payload: Record<string, unknown> } }
      >
    )['B'];
    expect(state?.Parameters.Payload['executionMode']).toBe('AUTO_COMMIT');
  });
});

/** What Step Functions sends: `.$` fields replaced by values from the context and input. */
function sentPayload(state: unknown, values: Record<string, unknown>): unknown {
  const payload = (state as { Parameters: { Payload: Record<string, unknown> } }).Parameters
    .Payload;
  const fill = (o: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(o).map(([k, v]) =>
        k.endsWith('.$')
          ? [k.slice(0, -2), values[v as string]]
          : [
              k,
              v !== null && typeof v === 'object' && !Array.isArray(v)
                ? fill(v as Record<string, unknown>)
                : v,
            ],
      ),
    );
  return fill(payload);
}

describe('RedshiftSqlTask payloads, read by the runtime', () => {
  const context = {
    '$$.Task.Token': 'token-1',
    '$$.Execution.Id': 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1',
    '$$.State.Name': 'Report',
    '$.day': '2026-12-01',
  };

  it('renders an execute payload the runtime validates into the same request', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'Report', {
      tasker,
      sqlStatements: ['DELETE FROM d WHERE day = :day', 'INSERT INTO d SELECT :day'],
      sqlParameters: { day: sfn.JsonPath.stringAt('$.day') },
      returnRows: true,
      fastPath: Duration.seconds(3),
    });
    const state = (renderDefinition(stack, task)['States'] as Record<string, unknown>)['Report'];
    expect(validateTaskerPayload(sentPayload(state, context))).toEqual({
      action: 'execute',
      statement: {
        kind: 'batch',
        sqls: ['DELETE FROM d WHERE day = :day', 'INSERT INTO d SELECT :day'],
        executionMode: 'TRANSACTION',
      },
      parameters: [{ name: 'day', value: '2026-12-01' }],
      resultMode: 'rows',
      taskToken: 'token-1',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1',
      stateName: 'Report',
      fastPathSeconds: 3,
    });
  });

  it('renders a cancel payload the runtime validates into a cancel by execution', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'Report', {
      tasker,
      sql: 'SELECT 1',
      cancelOnTimeout: true,
    });
    const states = renderDefinition(stack, task)['States'] as Record<string, unknown>;
    expect(validateTaskerPayload(sentPayload(states['Report cancel'], context))).toEqual({
      action: 'cancel',
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:etl:run-1',
      stateName: 'Report',
    });
  });
});

describe('RedshiftSqlTask iteration, read by the runtime', () => {
  it('gives the runtime a cancel of one run of the state', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'Load', {
      tasker,
      sql: 'SELECT 1',
      iteration: sfn.JsonPath.stringAt('$.index'),
      cancelOnTimeout: true,
    });
    const states = renderDefinition(stack, task)['States'] as Record<string, unknown>;
    const values = {
      '$$.Task.Token': 'token-1',
      '$$.Execution.Id': 'arn:exec',
      '$$.State.Name': 'Load',
      '$.index': 2,
    };
    expect(validateTaskerPayload(sentPayload(states['Load'], values))).toMatchObject({
      action: 'execute',
      iteration: '2',
    });
    expect(validateTaskerPayload(sentPayload(states['Load cancel'], values))).toEqual({
      action: 'cancel',
      executionArn: 'arn:exec',
      stateName: 'Load',
      iteration: '2',
    });
  });
});

describe('RedshiftSqlTask iteration with an InputPath', () => {
  it('gives the cancel state the task’s InputPath, so both read iteration from the same place', () => {
    const { stack, tasker } = setup();
    const task = new RedshiftSqlTask(stack, 'Load', {
      tasker,
      sql: 'SELECT 1',
      inputPath: '$.item',
      iteration: sfn.JsonPath.stringAt('$.index'),
      cancelOnTimeout: true,
    });
    const states = renderDefinition(stack, task)['States'] as Record<
      string,
      Record<string, unknown>
    >;
    expect(states['Load']?.['InputPath']).toBe('$.item');
    expect(states['Load cancel']?.['InputPath']).toBe('$.item');
    expect(states['Load cancel']?.['ResultPath']).toBeNull();
  });
});

describe('RedshiftSqlTask validation', () => {
  const build = (props: Omit<TaskProps, 'tasker'>) => () => {
    const { stack, tasker } = setup();
    return new RedshiftSqlTask(stack, 'T', { tasker, ...props });
  };

  it('fails when neither sql nor sqlStatements is given', () => {
    expect(build({})).toThrow(
      'a Redshift SQL task needs exactly one of sql (one statement) or sqlStatements (a batch); received neither',
    );
  });

  it('fails when both sql and sqlStatements are given', () => {
    expect(build({ sql: 'SELECT 1', sqlStatements: ['SELECT 2'] })).toThrow(/received both$/);
  });

  it('fails when the SQL is over 100 KB', () => {
    expect(build({ sql: 'x'.repeat(102_401) })).toThrow(
      "sql is 102401 bytes, over the Data API's 102400: move the logic into a stored procedure or view and CALL it",
    );
  });

  it('fails when a batch holds more than 40 statements', () => {
    expect(build({ sqlStatements: Array.from({ length: 41 }, () => 'SELECT 1') })).toThrow(
      'sqlStatements holds 41 statements; a batch takes 1 to 40: split it into several tasks',
    );
  });

  it('fails when a parameter name has a character the Data API refuses', () => {
    expect(build({ sql: 'SELECT :a', sqlParameters: { 'a-b': '1' } })).toThrow(
      "invalid SQL parameter name 'a-b': use letters, digits and _ (referenced as :name in the SQL)",
    );
  });

  it('fails when executionMode is given for a single statement', () => {
    expect(build({ sql: 'SELECT 1', executionMode: BatchExecutionMode.AUTO_COMMIT })).toThrow(
      'executionMode applies to batches only: give sqlStatements, or remove executionMode',
    );
  });

  it('fails when the fast path is over 30 seconds', () => {
    expect(build({ sql: 'SELECT 1', fastPath: Duration.minutes(1) })).toThrow(
      'fastPath must be whole seconds from 0 to 30 (received 60 s): the Data API waits at most 30 s',
    );
  });

  it('fails when another integration pattern is asked for', () => {
    expect(build({ sql: 'SELECT 1', integrationPattern: sfn.IntegrationPattern.RUN_JOB })).toThrow(
      'integrationPattern RUN_JOB is not supported: a Redshift SQL task always waits for its task token; remove integrationPattern',
    );
  });

  it('fails when a literal iteration is blank or over 256 characters', () => {
    expect(build({ sql: 'SELECT 1', iteration: 'x'.repeat(257) })).toThrow(
      "iteration must be at most 256 characters (received 257): use JsonPath.stringAt('$.index') with the Map's itemSelector passing $$.Map.Item.Index, or a short key of the item",
    );
    expect(build({ sql: 'SELECT 1', iteration: ' ' })).toThrow('iteration must not be blank');
  });

  it('fails when the timeout error would replace the input the cancel reads iteration from', () => {
    expect(
      build({
        sql: 'SELECT 1',
        iteration: sfn.JsonPath.stringAt('$.index'),
        cancelOnTimeout: true,
        timeoutErrorPath: '$',
      }),
    ).toThrow(
      "timeoutErrorPath '$' replaces the input the cancel state reads iteration from: keep the default '$.timeoutError' or use another path",
    );
  });

  it('fails when afterCancel is given without cancelOnTimeout', () => {
    const { stack, tasker } = setup();
    expect(
      () =>
        new RedshiftSqlTask(stack, 'T', {
          tasker,
          sql: 'SELECT 1',
          afterCancel: new sfn.Pass(stack, 'P'),
        }),
    ).toThrow(
      'afterCancel is only used with cancelOnTimeout: set cancelOnTimeout: true, or remove afterCancel',
    );
  });
});
