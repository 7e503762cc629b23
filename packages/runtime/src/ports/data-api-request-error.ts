/**
 * The Data API refused the request with a client error other than capacity (for example
 * `ValidationException`, `ResourceNotFoundException`): the statement did not start and a retry
 * would be refused too. The name follows Step Functions' own naming for the Data API's errors
 * (`RedshiftData.<Exception>`), so a state machine can catch it the same way.
 */
export class DataApiRequestError extends Error {
  override readonly name: string;
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = `RedshiftData.${code}`;
  }
}
