/**
 * Raised at synth time when the construct's props are wrong. The message says what was
 * received and how to fix it. Not exported from the package entry point: jsii libraries
 * surface errors as plain `Error`s in other languages, so callers match on the message.
 */
export class StepshiftValidationError extends Error {
  override readonly name = 'StepshiftValidationError';
}
