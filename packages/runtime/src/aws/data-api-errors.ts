import { DataApiCapacityError } from '../contract/index.js';
import { DataApiRequestError } from '../ports/data-api-request-error.js';

/** Data API errors that mean "not now": retry with back-off. AWS-FACTS, Redshift Data API errors. */
export const DATA_API_CAPACITY_ERRORS = new Set([
  'ThrottlingException',
  'ActiveStatementsExceededException',
  'ActiveSessionsExceededException',
  'ActiveWaitingRequestsExceededException',
]);

interface ServiceErrorLike {
  readonly name: string;
  readonly message: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

function isServiceError(error: unknown): error is ServiceErrorLike {
  return error instanceof Error && ('$fault' in error || '$metadata' in error);
}

/**
 * Maps an SDK error to the port's errors: capacity (throttling, Active*Exceeded, any 5xx) →
 * `DataApiCapacityError`; other service 4xx → `DataApiRequestError`; anything else (network,
 * timeouts) is returned as it is: the outcome of the call is unknown.
 */
export function mapDataApiError(error: unknown, operation: string): unknown {
  if (!isServiceError(error)) return error;
  const status = error.$metadata?.httpStatusCode;
  const detail = error.message.replace(/\.+$/, '');
  if (
    DATA_API_CAPACITY_ERRORS.has(error.name) ||
    error.$fault === 'server' ||
    (status !== undefined && status >= 500)
  ) {
    return new DataApiCapacityError(
      `Redshift Data API ${operation} refused for capacity (${error.name}): ${detail}. Retry with back-off.`,
      { cause: error },
    );
  }
  if (error.$fault === 'client' || (status !== undefined && status >= 400 && status < 500)) {
    return new DataApiRequestError(
      error.name,
      `Redshift Data API ${operation} refused the request (${error.name}): ${error.message}`,
      { cause: error },
    );
  }
  return error;
}
