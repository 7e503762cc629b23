/**
 * Which `Retry` or `Catch` entry handles an error, and how long a retry waits.
 * Source: developer guide, "Handling errors in Step Functions workflows".
 */
import type { Retrier } from './definition.js';
import { StatesErrors } from './errors.js';

/** `IntervalSeconds` default (developer guide, "Retrying after an error"). */
export const DEFAULT_RETRY_INTERVAL_SECONDS = 1;
/** `MaxAttempts` default. */
export const DEFAULT_RETRY_MAX_ATTEMPTS = 3;
/** `BackoffRate` default. */
export const DEFAULT_RETRY_BACKOFF_RATE = 2;

/** True when `error` is matched by an `ErrorEquals` list. */
export function errorMatches(errorEquals: readonly string[], error: string): boolean {
  // States.Runtime can never be retried or caught.
  if (error === StatesErrors.Runtime) return false;
  return errorEquals.some((name) => {
    if (name === error) return true;
    // "A retrier or catcher for States.Timeout also matches States.HeartbeatTimeout."
    if (name === StatesErrors.Timeout && error === StatesErrors.HeartbeatTimeout) return true;
    // States.ALL matches every error name except States.DataLimitExceeded (and Runtime above).
    if (name === StatesErrors.All) return error !== StatesErrors.DataLimitExceeded;
    // States.TaskFailed matches any known error except States.Timeout (and its heartbeat form).
    if (name === StatesErrors.TaskFailed) {
      return (
        error !== StatesErrors.Timeout &&
        error !== StatesErrors.HeartbeatTimeout &&
        error !== StatesErrors.DataLimitExceeded
      );
    }
    return false;
  });
}

/** Seconds before retry number `attempt` (0 for the first retry) of a retrier. */
export function retryDelaySeconds(
  retrier: Retrier,
  attempt: number,
  random: () => number = Math.random,
): number {
  const interval = retrier.IntervalSeconds ?? DEFAULT_RETRY_INTERVAL_SECONDS;
  const backoff = retrier.BackoffRate ?? DEFAULT_RETRY_BACKOFF_RATE;
  let delay = interval * backoff ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) delay = Math.min(delay, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') delay = random() * delay;
  return delay;
}
