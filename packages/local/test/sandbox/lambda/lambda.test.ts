import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TaskExecutor } from '../../../src/sandbox/asl/task-invocation.js';
import { loadHandler, parseHandlerSpec } from '../../../src/sandbox/lambda/handler-module.js';
import { invokeLambdaTask } from '../../../src/sandbox/lambda/lambda-integration.js';
import { LambdaRegistry } from '../../../src/sandbox/lambda/lambda-registry.js';
import { runAsl } from '../asl/run-asl.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

function executorFor(registry: LambdaRegistry): TaskExecutor {
  return (request) => invokeLambdaTask(registry, request);
}

describe('Lambda emulation', () => {
  it('returns the Invoke response shape for lambda:invoke and the bare output for a function ARN', async () => {
    const registry = new LambdaRegistry();
    registry.register('arn:aws:lambda:us-east-1:123456789012:function:greet', async (event) => ({
      hi: (event as { n: string }).n,
    }));
    const result = await runAsl(
      {
        StartAt: 'Invoke',
        States: {
          Invoke: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'greet', Payload: { n: 'a' } },
            ResultSelector: {
              'p.$': '$.Payload',
              's.$': '$.StatusCode',
              'v.$': '$.ExecutedVersion',
            },
            ResultPath: '$.invoke',
            Next: 'Bare',
          },
          Bare: {
            Type: 'Task',
            Resource: 'arn:aws:lambda:us-east-1:123456789012:function:greet',
            Parameters: { n: 'b' },
            ResultPath: '$.bare',
            End: true,
          },
        },
      },
      {},
      executorFor(registry),
    );
    expect(result.output).toEqual({
      invoke: { p: { hi: 'a' }, s: 200, v: '$LATEST' },
      bare: { hi: 'b' },
    });
    expect(result.history.map((e) => e.type)).toContain('LambdaFunctionSucceeded');
  });

  it('fails when the handler throws, with errorType from the error name and the Lambda JSON cause', async () => {
    const registry = new LambdaRegistry();
    registry.register('f', async () => {
      throw new RangeError('out of range');
    });
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'f' },
            End: true,
          },
        },
      },
      {},
      executorFor(registry),
    );
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RangeError');
    const cause = JSON.parse(result.cause as string) as {
      errorMessage: string;
      errorType: string;
      trace: string[];
    };
    expect(cause.errorMessage).toBe('out of range');
    expect(cause.errorType).toBe('RangeError');
    expect(cause.trace[0]).toBe('RangeError: out of range');
  });

  it('fails when no handler is registered, naming the function and the --handler flag', async () => {
    const result = await runAsl(
      {
        StartAt: 'T',
        States: {
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:missing' },
            End: true,
          },
        },
      },
      {},
      executorFor(new LambdaRegistry()),
    );
    expect(result.error).toBe('Lambda.ResourceNotFoundException');
    expect(result.cause).toContain(
      "The sandbox has no handler for 'missing': register one with --handler missing=./path/to/module.js#handler",
    );
  });

  it('throttles beyond the concurrency limit with Lambda.TooManyRequestsException, and Retry recovers', async () => {
    const registry = new LambdaRegistry();
    registry.register(
      'slow',
      async (event) => {
        await new Promise((r) => setTimeout(r, 20));
        return event;
      },
      { concurrency: 1 },
    );
    const result = await runAsl(
      {
        StartAt: 'M',
        States: {
          M: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'T',
              States: {
                T: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: { FunctionName: 'slow', 'Payload.$': '$' },
                  ResultSelector: { 'v.$': '$.Payload' },
                  Retry: [
                    {
                      ErrorEquals: ['Lambda.TooManyRequestsException'],
                      IntervalSeconds: 5,
                      BackoffRate: 1.5,
                      MaxAttempts: 50,
                    },
                  ],
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      [1, 2, 3],
      executorFor(registry),
      { timeScale: 1000 },
    );
    expect(result.output).toEqual([{ v: 1 }, { v: 2 }, { v: 3 }]);
    const stats = registry.stats('slow');
    expect(stats?.invocations).toBe(3);
    expect(stats?.throttles).toBeGreaterThan(0);
    const failed = result.history.filter((e) => e.type === 'TaskFailed');
    expect(failed).toHaveLength(stats?.throttles ?? -1);
    expect(failed[0]).toMatchObject({
      taskFailedEventDetails: { error: 'Lambda.TooManyRequestsException' },
    });
  });

  it('loads handlers from FunctionName=./module#export specifications', async () => {
    const spec = parseHandlerSpec(`Greeter=${fixtures}handlers.mjs`);
    expect(spec).toEqual({
      functionName: 'Greeter',
      modulePath: `${fixtures}handlers.mjs`,
      exportName: 'handler',
    });
    const registry = new LambdaRegistry();
    registry.register(spec.functionName, await loadHandler(spec));
    registry.register(
      'Failer',
      await loadHandler(parseHandlerSpec('Failer=./handlers.mjs#fails'), fixtures),
    );
    expect(await registry.invoke('Greeter', { name: 'Ada' })).toEqual({ greeting: 'hello Ada' });
    await expect(registry.invoke('Failer', {})).rejects.toMatchObject({ name: 'ValidationFailed' });
  });

  it('fails when a handler specification is malformed or names a missing export', async () => {
    expect(() => parseHandlerSpec('./x.js')).toThrow(
      "--handler './x.js' must look like FunctionName=./path/to/module.js#exportName",
    );
    await expect(loadHandler(parseHandlerSpec('F=./handlers.mjs#nope'), fixtures)).rejects.toThrow(
      "has no function export 'nope' for 'F' (function exports: handler, fails)",
    );
  });
});
