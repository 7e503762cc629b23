/** The local sandbox: run Step Functions state machines end to end on one machine. */
export { createSandbox } from './create-sandbox.js';
export type {
  SandboxOptions,
  StepshiftSandbox,
  StepshiftSandboxOptions,
} from './create-sandbox.js';
export {
  createBareSandbox,
  readDefinitionFile,
  InvalidStateMachineError,
  SandboxNotReadyError,
} from './sandbox.js';
export type {
  Sandbox,
  BareSandboxOptions,
  ExecuteOptions,
  HandlerRegistration,
  TaskIntegration,
} from './sandbox.js';
export {
  startExecution,
  Execution,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_REGION,
} from './asl/interpreter.js';
export type { ExecutionResult, ExecutionOptions, ExecutionStatus } from './asl/interpreter.js';
export type { StateMachineDefinition, State, QueryLanguage } from './asl/definition.js';
export type { HistoryEvent, HistoryListener } from './asl/history.js';
export { StatesError, StatesErrors, InvalidDefinitionError } from './asl/errors.js';
export type { TaskExecutor, TaskRequest } from './asl/task-invocation.js';
export { TaskTokenRegistry } from './tokens/task-token-registry.js';
export { startSfnEndpoint } from './tokens/sfn-endpoint.js';
export type { SfnEndpoint } from './tokens/sfn-endpoint.js';
export { LambdaRegistry, DEFAULT_FUNCTION_CONCURRENCY } from './lambda/lambda-registry.js';
export type { LambdaHandler, LambdaContext, FunctionOptions } from './lambda/lambda-registry.js';
export { LambdaErrors } from './lambda/errors.js';
export { parseHandlerSpec, loadHandler } from './lambda/handler-module.js';
export { EventBus } from './bus/event-bus.js';
export type { BusEvent, Rule, EventInterceptor } from './bus/event-bus.js';
export {
  matchesEventPattern,
  validateEventPattern,
  InvalidEventPatternError,
} from './bus/event-pattern.js';
export { Queue } from './queue/queue.js';
export { startQueueConsumer } from './queue/queue-consumer.js';
export type { SqsEvent, SqsRecord, BatchResponse } from './queue/queue-consumer.js';
export { Clock } from './time/clock.js';
export { startScheduler } from './time/scheduler.js';
export { progressPrinter } from './progress/progress-printer.js';
export { startStepshiftStack, DEFAULT_TASKER_NAME } from './stack/stepshift-stack.js';
export type { StepshiftStack, StepshiftStackOptions } from './stack/stepshift-stack.js';
export type { DataApiEmulatorHandle } from './stack/data-api-emulator.js';
export type { StatementRecord, StatementListener } from './stack/statement-log.js';
