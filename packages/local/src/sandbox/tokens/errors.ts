/**
 * Errors of the Step Functions callback API (`SendTaskSuccess`, `SendTaskFailure`,
 * `SendTaskHeartbeat`). Each `name` is the AWS `__type` the SDK turns into its exception class.
 * Source: Step Functions API reference, "SendTaskSuccess" / "Errors".
 */

export class CallbackError extends Error {
  /** HTTP status the endpoint answers with. */
  readonly statusCode: number = 400;
}

/** The token is well formed but no task was issued with it. */
export class TaskDoesNotExistError extends CallbackError {
  override readonly name = 'TaskDoesNotExist';
}

/** The token is not a token this service issues. */
export class InvalidTokenError extends CallbackError {
  override readonly name = 'InvalidToken';
}

/** The task already ended: timed out, completed by an earlier callback, or its execution stopped. */
export class TaskTimedOutError extends CallbackError {
  override readonly name = 'TaskTimedOut';
}

/** `output` is not valid JSON. */
export class InvalidOutputError extends CallbackError {
  override readonly name = 'InvalidOutput';
}

/** A field breaks a length constraint. */
export class ValidationError extends CallbackError {
  override readonly name = 'ValidationException';
}
