/** Test helper: runs a definition with a given task executor and a fast clock. */
import type { StateMachineDefinition } from '../../../src/sandbox/asl/definition.js';
import { startExecution, type ExecutionResult } from '../../../src/sandbox/asl/interpreter.js';
import type { TaskExecutor } from '../../../src/sandbox/asl/task-invocation.js';
import { Clock } from '../../../src/sandbox/time/clock.js';
import { TaskTokenRegistry } from '../../../src/sandbox/tokens/task-token-registry.js';

export const noTasks: TaskExecutor = (request) =>
  Promise.reject(new Error(`unexpected task ${request.resource.arn}`));

export function runAsl(
  definition: unknown,
  input: unknown,
  executor: TaskExecutor = noTasks,
  options: { timeScale?: number; tokens?: TaskTokenRegistry } = {},
): Promise<ExecutionResult> {
  return startExecution(definition as StateMachineDefinition, input, {
    executor,
    tokens: options.tokens ?? new TaskTokenRegistry(),
    clock: new Clock(options.timeScale ?? 1000),
    executionName: 'test-execution',
    stateMachineName: 'Test',
  }).result;
}
