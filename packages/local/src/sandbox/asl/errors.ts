/**
 * Errors raised while interpreting a state machine. Every error a state machine can match in
 * `ErrorEquals` is a `StatesError` whose `name` is that string, carrying AWS's `cause` text.
 */

/** Error names Step Functions itself raises (developer guide, "Error names"). */
export const StatesErrors = {
  All: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  DataLimitExceeded: 'States.DataLimitExceeded',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  BranchFailed: 'States.BranchFailed',
  QueryEvaluationError: 'States.QueryEvaluationError',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
} as const;

/** A failure inside an execution: `name` is the ASL error name, `cause` the text AWS shows. */
export class StatesError extends Error {
  override readonly name: string;
  constructor(
    error: string,
    readonly causeText: string,
  ) {
    super(causeText === '' ? error : `${error}: ${causeText}`);
    this.name = error;
  }
}

/** `States.Runtime`: a path, type or expression problem the state machine cannot catch. */
export function runtimeError(cause: string): StatesError {
  return new StatesError(StatesErrors.Runtime, cause);
}

/** The definition is not valid ASL (what `CreateStateMachine` rejects with `InvalidDefinition`). */
export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinition';
}

/** Turns anything thrown by user or integration code into a `StatesError`. */
export function toStatesError(thrown: unknown): StatesError {
  if (thrown instanceof StatesError) return thrown;
  if (thrown instanceof Error) return new StatesError(thrown.name, thrown.message);
  return new StatesError('Error', String(thrown));
}
