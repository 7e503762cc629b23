/**
 * The report reads the history the sandbox's own ASL interpreter writes: a Map running
 * iterations at once with throttled retries, a Parallel, and a failure caught by name.
 */
import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/report/index.js';
import type { StateMachineDefinition } from '../../src/sandbox/asl/definition.js';
import { startExecution } from '../../src/sandbox/asl/interpreter.js';
import type { TaskExecutor } from '../../src/sandbox/asl/task-invocation.js';
import { Clock } from '../../src/sandbox/time/clock.js';
import { TaskTokenRegistry } from '../../src/sandbox/tokens/task-token-registry.js';
import { count, graphOutcomes, section } from './html-probe.js';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

const definition = {
  StartAt: 'Regions',
  States: {
    Regions: {
      Type: 'Map',
      ItemsPath: '$.regions',
      MaxConcurrency: 3,
      ResultPath: null,
      ItemProcessor: {
        StartAt: 'Count',
        States: {
          Count: {
            Type: 'Task',
            Resource: LAMBDA,
            Parameters: { FunctionName: 'count', 'region.$': '$' },
            Retry: [
              {
                ErrorEquals: ['Lambda.TooManyRequestsException'],
                IntervalSeconds: 1,
                MaxAttempts: 3,
              },
            ],
            End: true,
          },
        },
      },
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      ResultPath: null,
      Branches: [
        {
          StartAt: 'Left',
          States: {
            Left: {
              Type: 'Task',
              Resource: LAMBDA,
              Parameters: { FunctionName: 'left' },
              End: true,
            },
          },
        },
        { StartAt: 'Right', States: { Right: { Type: 'Pass', End: true } } },
      ],
      Next: 'Aggregate',
    },
    Aggregate: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { FunctionName: 'aggregate' },
      Catch: [
        { ErrorEquals: ['Stepshift.StatementFailed'], ResultPath: '$.error', Next: 'Recover' },
      ],
      Next: 'Done',
    },
    Recover: { Type: 'Pass', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('the report of a history written by the sandbox interpreter', () => {
  it('colours retried Map iterations, a Parallel and a caught failure', async () => {
    const throttledOnce = new Set<string>();
    const executor: TaskExecutor = async (request) => {
      const params = request.input as { FunctionName: string; region?: string };
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (
        params.FunctionName === 'count' &&
        params.region !== undefined &&
        !throttledOnce.has(params.region)
      ) {
        throttledOnce.add(params.region);
        if (params.region !== 'eu')
          throw named('Lambda.TooManyRequestsException', 'Rate Exceeded.');
      }
      if (params.FunctionName === 'aggregate')
        throw named('Stepshift.StatementFailed', 'division by zero');
      return { ok: true };
    };
    const result = await startExecution(
      definition as unknown as StateMachineDefinition,
      { regions: ['eu', 'us', 'ap', 'sa'] },
      {
        executor,
        tokens: new TaskTokenRegistry(),
        clock: new Clock(1000),
        executionName: 'report',
        stateMachineName: 'Report',
      },
    ).result;

    const html = renderReport({ title: 'engine', definition, result, history: result.history });

    expect(result.status).toBe('SUCCEEDED');
    expect(graphOutcomes(html)).toEqual({
      Regions: 'succeeded',
      Count: 'succeeded',
      Both: 'succeeded',
      Left: 'succeeded',
      Right: 'succeeded',
      Aggregate: 'caught',
      Recover: 'succeeded',
      Done: 'succeeded',
    });
    const graph = section(html, 'graph');
    expect(graph).toContain('>×4 ↻3</text>');
    expect(count(graph, /class="edge edge-catch taken"/g)).toBe(1);
    expect(count(section(html, 'timeline'), /class="bar state-bar outcome-succeeded"/g)).toBe(10);
  });
});
