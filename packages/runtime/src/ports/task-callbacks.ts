/** Why Step Functions refused a callback for good: nobody waits for this token any more. */
export const TaskGoneReasons = ['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'] as const;
export type TaskGoneReason = (typeof TaskGoneReasons)[number];

/**
 * The task no longer waits (timed out, closed, or the token is invalid). Not retryable: the
 * statement is orphaned. Any other error from a callback is treated as transient.
 */
export class TaskGoneError extends Error {
  override readonly name = 'TaskGoneError';
  constructor(
    readonly reason: TaskGoneReason,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Step Functions task callbacks (SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat). */
export interface TaskCallbacks {
  /** `output` is JSON text, at most MAX_TASK_OUTPUT_BYTES. */
  sendSuccess(taskToken: string, output: string): Promise<void>;
  sendFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /** Also tells whether the task still waits: rejects with `TaskGoneError` if not. */
  sendHeartbeat(taskToken: string): Promise<void>;
}
