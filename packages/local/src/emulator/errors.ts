/**
 * The Data API's error types, as the emulator answers them on the wire: the awsJson1_1 body
 * `{"__type": <name>, "message": <text>}` with the HTTP status AWS uses (400 for client faults,
 * 500 for server faults). Each class's `name` is the wire name, so an SDK client raises the
 * exception class of the same name. Data API reference, "Common errors" and each operation's
 * "Errors" section.
 */
export class DataApiError extends Error {
  /** HTTP status of the response carrying this error. */
  readonly httpStatus: number;
  /** Extra members the error shape carries (`ResourceId`, `StatementId`). */
  readonly members: Readonly<Record<string, string>>;

  constructor(
    name: string,
    message: string,
    httpStatus: number,
    members: Record<string, string> = {},
  ) {
    super(message);
    this.name = name;
    this.httpStatus = httpStatus;
    this.members = members;
  }
}

/** Bad input: a missing or malformed field, a limit exceeded, an operation on the wrong state. */
export class ValidationException extends DataApiError {
  constructor(message: string) {
    super('ValidationException', message, 400);
  }
}

/** The statement id (or another resource) does not exist or has expired. */
export class ResourceNotFoundException extends DataApiError {
  constructor(message: string, resourceId: string) {
    super('ResourceNotFoundException', message, 400, { ResourceId: resourceId });
  }
}

/** Too many statements running at once (AWS: about 500 active statements per cluster). */
export class ActiveStatementsExceededException extends DataApiError {
  constructor(message: string) {
    super('ActiveStatementsExceededException', message, 400);
  }
}

/** The emulator could not reach the database behind the target. */
export class DatabaseConnectionException extends DataApiError {
  constructor(message: string) {
    super('DatabaseConnectionException', message, 500);
  }
}

/** An unexpected fault inside the emulator: answered as AWS does, never with a stack. */
export class InternalServerException extends DataApiError {
  constructor(message: string) {
    super('InternalServerException', message, 500);
  }
}

/** The `X-Amz-Target` names an operation the Data API does not have. */
export class UnknownOperationException extends DataApiError {
  constructor(message: string) {
    super('UnknownOperationException', message, 400);
  }
}

/** The request body is not a JSON object. */
export class SerializationException extends DataApiError {
  constructor(message: string) {
    super('SerializationException', message, 400);
  }
}
