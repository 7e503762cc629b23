/**
 * Error names a state machine can `Catch` or `Retry`. Each value equals the `ErrorEquals`
 * string; the Lambda handlers and the sandbox throw the classes below, whose `name` is that
 * string, so the same definition behaves the same everywhere.
 */
export const ErrorNames = {
  /** The SQL ran and Redshift reported FAILED; the cause holds Redshift's error text. */
  StatementFailed: 'Stepshift.StatementFailed',
  /** The statement was cancelled (CancelStatement, auto-cancel, or by an operator): ABORTED. */
  StatementAborted: 'Stepshift.StatementAborted',
  /** The task payload is invalid; nothing was started. Not worth retrying. */
  InvalidRequest: 'Stepshift.InvalidRequest',
  /** The task output would exceed the 256 KiB Step Functions limit; use UNLOAD instead. */
  ResultTooLarge: 'Stepshift.ResultTooLarge',
  /**
   * The Data API refused for capacity: throttling, too many active statements, sessions or
   * waiting requests, or a 5xx. Retry with back-off.
   */
  DataApiCapacity: 'Stepshift.DataApiCapacity',
} as const;

export type ErrorName = (typeof ErrorNames)[keyof typeof ErrorNames];

/** Base class of every error Stepshift raises on purpose. */
export class StepshiftError extends Error {
  override readonly name: ErrorName | 'StepshiftError' = 'StepshiftError';
}

export class StatementFailedError extends StepshiftError {
  override readonly name = ErrorNames.StatementFailed;
}

export class StatementAbortedError extends StepshiftError {
  override readonly name = ErrorNames.StatementAborted;
}

export class InvalidRequestError extends StepshiftError {
  override readonly name = ErrorNames.InvalidRequest;
}

export class ResultTooLargeError extends StepshiftError {
  override readonly name = ErrorNames.ResultTooLarge;
}

export class DataApiCapacityError extends StepshiftError {
  override readonly name = ErrorNames.DataApiCapacity;
}
