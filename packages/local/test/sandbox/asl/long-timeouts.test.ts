import { describe, expect, it } from 'vitest';
import { startExecution } from '../../../src/sandbox/asl/interpreter.js';
import type { StateMachineDefinition } from '../../../src/sandbox/asl/definition.js';
import type { TaskExecutor } from '../../../src/sandbox/asl/task-invocation.js';
import { Clock } from '../../../src/sandbox/time/clock.js';
import { TaskTokenRegistry } from '../../../src/sandbox/tokens/task-token-registry.js';
import { runAsl } from './run-asl.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';
/** 30 days: longer than a Node timer can hold (2^31 - 1 ms, about 24.8 days). */
const THIRTY_DAYS = 30 * 24 * 60 * 60;

const slowTask: TaskExecutor = () =>
  new Promise((resolve) => setTimeout(() => resolve({ done: true }), 50));

// Timeouts longer than 24.8 days used to overflow Node's timer and fire after 1 ms.
describe('interpreter: timeouts and waits longer than a Node timer', () => {
  it('does not time out a task whose TimeoutSeconds is 30 days', async () => {
    const result = await runAsl(
      {
        StartAt: 'T',
        States: { T: { Type: 'Task', Resource: LAMBDA, TimeoutSeconds: THIRTY_DAYS, End: true } },
      },
      {},
      slowTask,
      { timeScale: 1 },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
  });

  it('does not time out an execution whose TimeoutSeconds is 30 days', async () => {
    const result = await runAsl(
      {
        StartAt: 'T',
        TimeoutSeconds: THIRTY_DAYS,
        States: { T: { Type: 'Task', Resource: LAMBDA, End: true } },
      },
      {},
      slowTask,
      { timeScale: 1 },
    );
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
  });

  it('keeps waiting in a Wait state of 30 days until the execution is stopped', async () => {
    const execution = startExecution(
      {
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: THIRTY_DAYS, End: true } },
      } as StateMachineDefinition,
      {},
      { executor: slowTask, tokens: new TaskTokenRegistry(), clock: new Clock(1) },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    execution.abort('Stopped', 'by the test');
    const result = await execution.result;
    expect(result).toMatchObject({ status: 'ABORTED', error: 'Stopped', cause: 'by the test' });
  });
});
