export * from './contract/index.js';

// Ports: what the algorithms need from the outside world.
export * from './ports/index.js';

// The algorithms, written once against the ports.
export * from './core/cancel.js';
export * from './core/complete.js';
export * from './core/configuration-error.js';
export * from './core/core-config.js';
export * from './core/core-deps.js';
export * from './core/deliver-callback.js';
export * from './core/describe.js';
export * from './core/events/completion-event.js';
export * from './core/events/execution-event.js';
export * from './core/json-logger.js';
export * from './core/metric-fields.js';
export * from './core/reconcile.js';
export * from './core/result-rows.js';
export * from './core/start.js';
export * from './core/task-callback.js';
export * from './core/task-output.js';
export * from './core/trim-text.js';

// AWS adapters (SDK v3).
export * from './aws/aws-clients.js';
export * from './aws/data-api-errors.js';
export * from './aws/data-api-statement-api.js';
export * from './aws/data-api-target.js';
export * from './aws/dynamodb-tracking-store.js';
export * from './aws/field-values.js';
export * from './aws/sfn-task-callbacks.js';
export * from './aws/tracking-table-definition.js';
export * from './local/create-tracking-table.js';

// Handler factories (each handler's Lambda entry is `@stepshift/runtime/handlers/<name>`).
export {
  createCancellerHandler,
  type CancellerHandler,
  type CancellerHandlerDeps,
} from './handlers/canceller.js';
export {
  createCompleterHandler,
  type CompleterHandler,
  type CompleterHandlerDeps,
} from './handlers/completer.js';
export {
  createReconcilerHandler,
  type ReconcilerHandler,
  type ReconcilerHandlerDeps,
} from './handlers/reconciler.js';
export {
  createTaskerHandler,
  type TaskerHandler,
  type TaskerHandlerDeps,
  type TaskerResult,
} from './handlers/tasker.js';
export * from './handlers/handler-config.js';
export * from './handlers/handler-runtime.js';
export * from './handlers/lambda-events.js';
