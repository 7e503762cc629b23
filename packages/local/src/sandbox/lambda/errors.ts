/**
 * Lambda failures as Step Functions reports them: the error is the Lambda error name prefixed
 * with `Lambda.` for service errors, or the function's own `errorType` for function errors.
 * Source: Step Functions developer guide, "Invoke Lambda" and "Handling errors".
 */
import { randomUUID } from 'node:crypto';
import { StatesError } from '../asl/errors.js';

export const LambdaErrors = {
  TooManyRequests: 'Lambda.TooManyRequestsException',
  ResourceNotFound: 'Lambda.ResourceNotFoundException',
  Unknown: 'Lambda.Unknown',
} as const;

/** The cause AWS shows for a throttled invocation (HTTP 429 from Lambda). */
export function tooManyRequests(functionName: string, limit: number): StatesError {
  return new StatesError(
    LambdaErrors.TooManyRequests,
    `Rate Exceeded. (Service: AWSLambda; Status Code: 429; Error Code: TooManyRequestsException; Request ID: ${randomUUID()}; Proxy: null) [sandbox: function '${functionName}' already runs ${limit} concurrent invocation(s), its concurrency limit]`,
  );
}

export function functionNotFound(functionName: string): StatesError {
  return new StatesError(
    LambdaErrors.ResourceNotFound,
    `Function not found: ${functionName} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException). ` +
      `The sandbox has no handler for '${functionName}': register one with --handler ${functionName}=./path/to/module.js#handler ` +
      `(or the handlers option of createSandbox).`,
  );
}

/** A function error: `errorType` from the thrown error's name, cause as the Lambda runtime's JSON. */
export function functionError(thrown: unknown): StatesError {
  const error = thrown instanceof Error ? thrown : undefined;
  const errorType = error?.name ?? 'Error';
  const errorMessage = error?.message ?? String(thrown);
  const trace = (error?.stack ?? '').split('\n').filter((line) => line !== '');
  return new StatesError(errorType, JSON.stringify({ errorMessage, errorType, trace }));
}
