import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../src/sandbox/asl/errors.js';
import type { TaskExecutor } from '../../../src/sandbox/asl/task-invocation.js';
import { runAsl } from './run-asl.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

describe('interpreter: input and output processing', () => {
  it('applies InputPath, Parameters with .$ and $$, ResultSelector, ResultPath and OutputPath', async () => {
    const executor: TaskExecutor = async (request) => ({ echo: request.input, extra: 1 });
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            InputPath: '$.payload',
            Parameters: {
              'value.$': '$.v',
              'name.$': '$$.Execution.Name',
              'state.$': '$$.State.Name',
              fixed: 'x',
              'len.$': 'States.ArrayLength($.list)',
            },
            ResultSelector: { 'got.$': '$.echo' },
            ResultPath: '$.payload.result',
            OutputPath: '$.payload',
            End: true,
          },
        },
      },
      { payload: { v: 7, list: [1, 2] }, other: true },
      executor,
    );
    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toEqual({
      v: 7,
      list: [1, 2],
      result: { got: { value: 7, name: 'test-execution', state: 'T', fixed: 'x', len: 2 } },
    });
  });

  it('runs Pass states with Result, ResultPath null and InputPath null', async () => {
    const result = await runAsl(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Pass', Result: { r: 1 }, ResultPath: '$.a', Next: 'B' },
          B: { Type: 'Pass', Result: 'ignored', ResultPath: null, Next: 'C' },
          C: { Type: 'Pass', InputPath: null, ResultPath: '$.c', Next: 'D' },
          D: { Type: 'Succeed' },
        },
      },
      { in: 1 },
    );
    expect(result.output).toEqual({ in: 1, a: { r: 1 }, c: {} });
  });

  it('fails when ResultPath cannot be applied to the input', async () => {
    const result = await runAsl(
      { StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, ResultPath: '$.x', End: true } } },
      'text',
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.ResultPathMatchFailure',
      cause: 'Unable to apply ReferencePath $.x to input "text"',
    });
  });

  it('fails when a Parameters path matches nothing', async () => {
    const result = await runAsl(
      {
        StartAt: 'A',
        States: { A: { Type: 'Pass', Parameters: { 'x.$': '$.missing' }, End: true } },
      },
      { a: 1 },
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `The JSONPath '$.missing' specified for the field 'x.$' could not be found in the input '{"a":1}'`,
    });
  });

  it('assigns variables and reads them in later states', async () => {
    const result = await runAsl(
      {
        StartAt: 'A',
        States: {
          A: {
            Type: 'Pass',
            Result: { n: 5 },
            Assign: { 'total.$': '$.n', label: 'L' },
            Next: 'B',
          },
          B: { Type: 'Pass', Parameters: { 't.$': '$total', 'l.$': '$label' }, End: true },
        },
      },
      {},
    );
    expect(result.output).toEqual({ t: 5, l: 'L' });
  });
});

describe('interpreter: Choice', () => {
  const choose = (rule: Record<string, unknown>, input: unknown): Promise<unknown> =>
    runAsl(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ ...rule, Next: 'Yes' }], Default: 'No' },
          Yes: { Type: 'Pass', Result: 'yes', End: true },
          No: { Type: 'Pass', Result: 'no', End: true },
        },
      },
      input,
    ).then((r) => r.output);

  it('applies every comparison operator and its Path form', async () => {
    const input = {
      s: 'b',
      n: 5,
      t: '2024-01-02T00:00:00Z',
      b: true,
      other: { s: 'b', n: 5, t: '2024-01-02T00:00:00Z', b: true },
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ Variable: '$.s', StringEquals: 'b' }, 'yes'],
      [{ Variable: '$.s', StringEqualsPath: '$.other.s' }, 'yes'],
      [{ Variable: '$.s', StringLessThan: 'c' }, 'yes'],
      [{ Variable: '$.s', StringGreaterThan: 'c' }, 'no'],
      [{ Variable: '$.s', StringLessThanEquals: 'b' }, 'yes'],
      [{ Variable: '$.s', StringGreaterThanEqualsPath: '$.other.s' }, 'yes'],
      [{ Variable: '$.s', StringMatches: 'b*' }, 'yes'],
      [{ Variable: '$.n', NumericEquals: 5 }, 'yes'],
      [{ Variable: '$.n', NumericEqualsPath: '$.other.n' }, 'yes'],
      [{ Variable: '$.n', NumericLessThan: 5 }, 'no'],
      [{ Variable: '$.n', NumericGreaterThan: 4 }, 'yes'],
      [{ Variable: '$.n', NumericLessThanEquals: 5 }, 'yes'],
      [{ Variable: '$.n', NumericGreaterThanEqualsPath: '$.other.n' }, 'yes'],
      [{ Variable: '$.b', BooleanEquals: true }, 'yes'],
      [{ Variable: '$.b', BooleanEqualsPath: '$.other.b' }, 'yes'],
      [{ Variable: '$.t', TimestampEquals: '2024-01-02T00:00:00Z' }, 'yes'],
      [{ Variable: '$.t', TimestampLessThan: '2024-01-01T00:00:00Z' }, 'no'],
      [{ Variable: '$.t', TimestampGreaterThan: '2024-01-01T00:00:00+01:00' }, 'yes'],
      [{ Variable: '$.t', TimestampLessThanEqualsPath: '$.other.t' }, 'yes'],
      [{ Variable: '$.t', TimestampGreaterThanEquals: '2024-01-03T00:00:00Z' }, 'no'],
      [{ Variable: '$.s', IsPresent: true }, 'yes'],
      [{ Variable: '$.missing', IsPresent: false }, 'yes'],
      [{ Variable: '$.n', IsNumeric: true }, 'yes'],
      [{ Variable: '$.s', IsString: true }, 'yes'],
      [{ Variable: '$.b', IsBoolean: true }, 'yes'],
      [{ Variable: '$.t', IsTimestamp: true }, 'yes'],
      [{ Variable: '$.s', IsNull: true }, 'no'],
      [{ Variable: '$.s', NumericEquals: 5 }, 'no'],
      [
        {
          And: [
            { Variable: '$.n', NumericGreaterThan: 1 },
            { Variable: '$.s', StringEquals: 'b' },
          ],
        },
        'yes',
      ],
      [
        {
          Or: [
            { Variable: '$.n', NumericGreaterThan: 10 },
            { Variable: '$.s', StringEquals: 'z' },
          ],
        },
        'no',
      ],
      [{ Not: { Variable: '$.s', StringEquals: 'z' } }, 'yes'],
    ];
    const outcomes = await Promise.all(cases.map(([rule]) => choose(rule, input)));
    expect(outcomes).toEqual(cases.map(([, expected]) => expected));
  });

  it('matches StringMatches wildcards and escaped asterisks', async () => {
    expect(
      await choose({ Variable: '$.f', StringMatches: 'log-*.txt' }, { f: 'log-2024.txt' }),
    ).toBe('yes');
    expect(await choose({ Variable: '$.f', StringMatches: 'a\\*' }, { f: 'a*' })).toBe('yes');
    expect(await choose({ Variable: '$.f', StringMatches: 'a\\*' }, { f: 'ab' })).toBe('no');
  });

  it('fails when no rule matches and there is no Default', async () => {
    const result = await runAsl(
      {
        StartAt: 'C',
        States: {
          C: { Type: 'Choice', Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'E' }] },
          E: { Type: 'Succeed' },
        },
      },
      { x: 2 },
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.NoChoiceMatched',
      cause: 'No Matches!',
    });
  });

  it('fails when the Variable path is missing', async () => {
    const result = await runAsl(
      {
        StartAt: 'C',
        States: {
          C: {
            Type: 'Choice',
            Choices: [{ Variable: '$.x', NumericEquals: 1, Next: 'E' }],
            Default: 'E',
          },
          E: { Type: 'Succeed' },
        },
      },
      {},
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "Invalid Variable path '$.x': No results for path: $.x",
    });
  });
});

describe('interpreter: Wait, Succeed, Fail', () => {
  it('waits Seconds, SecondsPath, Timestamp and TimestampPath shrunk by the time scale', async () => {
    const started = Date.now();
    const result = await runAsl(
      {
        StartAt: 'A',
        States: {
          A: { Type: 'Wait', Seconds: 100, Next: 'B' },
          B: { Type: 'Wait', SecondsPath: '$.s', Next: 'C' },
          C: { Type: 'Wait', Timestamp: '2000-01-01T00:00:00Z', Next: 'D' },
          D: { Type: 'Wait', TimestampPath: '$.ts', End: true },
        },
      },
      { s: 50, ts: new Date(Date.now() + 50_000).toISOString().replace(/\.\d+Z$/, 'Z') },
      undefined,
      { timeScale: 1000 },
    );
    const elapsed = Date.now() - started;
    expect(result.status).toBe('SUCCEEDED');
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(1500);
  });

  it('fails with the Fail state error and cause, from fields or paths', async () => {
    expect(
      await runAsl(
        { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'My.Error', Cause: 'because' } } },
        {},
      ),
    ).toMatchObject({
      status: 'FAILED',
      error: 'My.Error',
      cause: 'because',
    });
    expect(
      await runAsl(
        { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', CausePath: '$.c' } } },
        { e: 'E1', c: 'C1' },
      ),
    ).toMatchObject({
      error: 'E1',
      cause: 'C1',
    });
  });

  it('leaves error and cause out when a Fail state gives neither, as DescribeExecution does', async () => {
    const result = await runAsl({ StartAt: 'F', States: { F: { Type: 'Fail' } } }, {});
    expect(result.status).toBe('FAILED');
    expect('error' in result).toBe(false);
    expect('cause' in result).toBe(false);
  });

  it('fails when the definition names a state that does not exist', async () => {
    expect(() => runAsl({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' } } }, {})).toThrow(
      "definition: state 'A' has Next 'B', which is not a state",
    );
  });
});

describe('interpreter: Retry and Catch', () => {
  it('retries with backoff until success and counts $$.State.RetryCount', async () => {
    let calls = 0;
    const executor: TaskExecutor = async () => {
      calls++;
      if (calls < 3) throw new StatesError('Lambda.TooManyRequestsException', 'Rate Exceeded.');
      return { calls };
    };
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Retry: [
              {
                ErrorEquals: ['Lambda.TooManyRequestsException'],
                IntervalSeconds: 1,
                MaxAttempts: 5,
                BackoffRate: 2,
                MaxDelaySeconds: 1,
              },
            ],
            End: true,
          },
        },
      },
      {},
      executor,
    );
    expect(result.output).toEqual({ calls: 3 });
    expect(result.history.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
  });

  it('stops retrying after MaxAttempts and catches with ResultPath', async () => {
    let calls = 0;
    const executor: TaskExecutor = async () => {
      calls++;
      throw new StatesError('Custom.Error', 'bad');
    };
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Retry: [
              { ErrorEquals: ['Other'], MaxAttempts: 9 },
              { ErrorEquals: ['States.ALL'], MaxAttempts: 2, IntervalSeconds: 1 },
            ],
            Catch: [{ ErrorEquals: ['Custom.Error'], ResultPath: '$.error', Next: 'Handled' }],
            End: true,
          },
          Handled: { Type: 'Pass', End: true },
        },
      },
      { keep: 1 },
      executor,
    );
    expect(calls).toBe(3);
    expect(result.output).toEqual({ keep: 1, error: { Error: 'Custom.Error', Cause: 'bad' } });
  });

  it('does not retry when MaxAttempts is 0 and fails the execution', async () => {
    let calls = 0;
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }],
            End: true,
          },
        },
      },
      {},
      async () => {
        calls++;
        throw new StatesError('E', 'c');
      },
    );
    expect(calls).toBe(1);
    expect(result).toMatchObject({ status: 'FAILED', error: 'E', cause: 'c' });
  });

  it('never catches States.Runtime, even with States.ALL', async () => {
    const result = await runAsl(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'X', States: { X: { Type: 'Pass', InputPath: '$.nope', End: true } } },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }],
            End: true,
          },
          H: { Type: 'Succeed' },
        },
      },
      {},
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('times out a task with TimeoutSeconds and catches States.Timeout', async () => {
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            TimeoutSeconds: 10,
            Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'H' }],
            End: true,
          },
          H: { Type: 'Pass', End: true },
        },
      },
      {},
      (request) =>
        new Promise((_, reject) =>
          request.signal.addEventListener('abort', () => reject(new Error('aborted'))),
        ),
      { timeScale: 1000 },
    );
    expect(result.output).toEqual({ Error: 'States.Timeout', Cause: '' });
    expect(result.history.map((e) => e.type)).toContain('LambdaFunctionTimedOut');
  });
});

describe('interpreter: Parallel and Map', () => {
  it('runs Parallel branches and collects their outputs in order', async () => {
    const result = await runAsl(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'A',
                States: {
                  A: { Type: 'Wait', Seconds: 20, Next: 'A2' },
                  A2: { Type: 'Pass', Result: 'a', End: true },
                },
              },
              {
                StartAt: 'B',
                States: { B: { Type: 'Pass', Parameters: { 'x.$': '$.x' }, End: true } },
              },
            ],
            ResultPath: '$.branches',
            End: true,
          },
        },
      },
      { x: 1 },
    );
    expect(result.output).toEqual({ x: 1, branches: ['a', { x: 1 }] });
    const types = result.history.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual([
      'ExecutionStarted',
      'ParallelStateEntered',
      'ParallelStateStarted',
    ]);
    expect(types.slice(-3)).toEqual([
      'ParallelStateSucceeded',
      'ParallelStateExited',
      'ExecutionSucceeded',
    ]);
  });

  it('fails the Parallel state with the failing branch error', async () => {
    const result = await runAsl(
      {
        StartAt: 'P',
        States: {
          P: {
            Type: 'Parallel',
            Branches: [
              { StartAt: 'A', States: { A: { Type: 'Wait', Seconds: 1000, End: true } } },
              { StartAt: 'B', States: { B: { Type: 'Fail', Error: 'Branch.Boom', Cause: 'b' } } },
            ],
            End: true,
          },
        },
      },
      {},
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'Branch.Boom', cause: 'b' });
  });

  it('maps items with ItemsPath, ItemSelector, $$.Map.Item and MaxConcurrency', async () => {
    let running = 0;
    let peak = 0;
    const executor: TaskExecutor = async (request) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return request.input;
    };
    const result = await runAsl(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.items',
            MaxConcurrency: 2,
            ItemSelector: {
              'index.$': '$$.Map.Item.Index',
              'value.$': '$$.Map.Item.Value',
              'tag.$': '$.tag',
            },
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'T',
              States: { T: { Type: 'Task', Resource: LAMBDA, End: true } },
            },
            End: true,
          },
        },
      },
      { items: ['a', 'b', 'c', 'd', 'e'], tag: 't' },
      executor,
    );
    expect(result.output).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((value, index) => ({ index, value, tag: 't' })),
    );
    expect(peak).toBe(2);
    expect(result.history.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(5);
    expect(result.history.find((e) => e.type === 'MapStateStarted')).toMatchObject({
      mapStateStartedEventDetails: { length: 5 },
    });
  });

  it('fails when the Map items are not an array', async () => {
    const result = await runAsl(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemsPath: '$.x',
            ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
            End: true,
          },
        },
      },
      { x: 1 },
    );
    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'States.Runtime',
      cause: "Map state 'M': the items must be a JSON array, got 1",
    });
  });
});

describe('interpreter: JSONata', () => {
  it('evaluates Arguments, Output, Assign and Choice Conditions with $states', async () => {
    const executor: TaskExecutor = async (request) => ({
      doubled: (request.input as { n: number }).n * 2,
    });
    const result = await runAsl(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'Init',
        States: {
          Init: {
            Type: 'Pass',
            Assign: { factor: 10 },
            Output: { n: '{% $states.input.start + 1 %}' },
            Next: 'T',
          },
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Arguments: { n: '{% $states.input.n %}' },
            Output: '{% $states.result.doubled * $factor %}',
            Assign: { last: '{% $states.result.doubled %}' },
            Next: 'C',
          },
          C: {
            Type: 'Choice',
            Choices: [
              {
                Condition: '{% $states.input > 100 %}',
                Next: 'Big',
                Output: { big: '{% $states.input %}', last: '{% $last %}' },
              },
            ],
            Default: 'Small',
          },
          Big: { Type: 'Succeed' },
          Small: {
            Type: 'Fail',
            Error: 'Too.Small',
            Cause: '{% "got " & $string($states.input) %}',
          },
        },
      },
      { start: 5 },
      executor,
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { big: 120, last: 12 } });
  });

  it('catches with Output from $states.errorOutput', async () => {
    const result = await runAsl(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: LAMBDA,
            Catch: [
              {
                ErrorEquals: ['States.ALL'],
                Output: { e: '{% $states.errorOutput.Error %}', in: '{% $states.input %}' },
                Next: 'Done',
              },
            ],
            End: true,
          },
          Done: { Type: 'Succeed' },
        },
      },
      { a: 1 },
      async () => {
        throw new StatesError('Bad.Thing', 'x');
      },
    );
    expect(result.output).toEqual({ e: 'Bad.Thing', in: { a: 1 } });
  });

  it('fails when a JSONata expression is invalid', async () => {
    const result = await runAsl(
      {
        QueryLanguage: 'JSONata',
        StartAt: 'P',
        States: { P: { Type: 'Pass', Output: '{% $states.input.( %}', End: true } },
      },
      {},
    );
    expect(result).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
  });
});

describe('interpreter: history', () => {
  it('records events with ids, previous ids, timestamps and AWS detail names', async () => {
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'f', Payload: { a: 1 } },
            End: true,
          },
        },
      },
      { in: 1 },
      async () => ({ Payload: 'ok' }),
    );
    const events = result.history.map(({ timestamp, ...rest }) => {
      expect(timestamp).toBeInstanceOf(Date);
      return rest;
    });
    expect(events).toEqual([
      {
        id: 1,
        previousEventId: 0,
        type: 'ExecutionStarted',
        executionStartedEventDetails: {
          input: '{"in":1}',
          inputDetails: { truncated: false },
          roleArn: 'arn:aws:iam::123456789012:role/StepshiftSandboxRole',
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:Test',
        },
      },
      {
        id: 2,
        previousEventId: 1,
        type: 'TaskStateEntered',
        stateEnteredEventDetails: {
          name: 'T',
          input: '{"in":1}',
          inputDetails: { truncated: false },
        },
      },
      {
        id: 3,
        previousEventId: 2,
        type: 'TaskScheduled',
        taskScheduledEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          region: 'us-east-1',
          parameters: '{"FunctionName":"f","Payload":{"a":1}}',
        },
      },
      {
        id: 4,
        previousEventId: 3,
        type: 'TaskStarted',
        taskStartedEventDetails: { resourceType: 'lambda', resource: 'invoke' },
      },
      {
        id: 5,
        previousEventId: 4,
        type: 'TaskSucceeded',
        taskSucceededEventDetails: {
          resourceType: 'lambda',
          resource: 'invoke',
          output: '{"Payload":"ok"}',
        },
      },
      {
        id: 6,
        previousEventId: 5,
        type: 'TaskStateExited',
        stateExitedEventDetails: {
          name: 'T',
          output: '{"Payload":"ok"}',
          outputDetails: { truncated: false },
        },
      },
      {
        id: 7,
        previousEventId: 6,
        type: 'ExecutionSucceeded',
        executionSucceededEventDetails: {
          output: '{"Payload":"ok"}',
          outputDetails: { truncated: false },
        },
      },
    ]);
  });
});
