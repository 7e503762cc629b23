/**
 * One attempt of a Task state: schedules the integration, waits for its result (or for the task
 * token's callback), enforces `TimeoutSeconds` and `HeartbeatSeconds`, and records the task
 * events of the history as Step Functions does.
 */
import { MAX_TASK_OUTPUT_BYTES } from '@stepshift/runtime/contract';
import { setLongTimeout, type Clock, type LongTimer } from '../time/clock.js';
import type { IssuedToken } from '../tokens/task-token-registry.js';
import { StatesError, StatesErrors, toStatesError } from './errors.js';
import type { HistoryCursor } from './history.js';
import type { TaskResource } from './task-resource.js';

/** What the sandbox's integrations receive for one task attempt. */
export interface TaskRequest {
  readonly resource: TaskResource;
  /** The effective parameters (after `Parameters`/`Arguments`). */
  readonly input: unknown;
  /** Set for `.waitForTaskToken` tasks: the token the callback must use. */
  readonly taskToken?: string;
  readonly stateName: string;
  readonly executionArn: string;
  /** Aborted when the task times out or the execution stops. */
  readonly signal: AbortSignal;
}

/** Runs the work behind a Task state's resource; throws to fail the task. */
export type TaskExecutor = (request: TaskRequest) => Promise<unknown>;

export interface TaskAttempt {
  readonly resource: TaskResource;
  readonly parameters: unknown;
  readonly timeoutSeconds: number | undefined;
  readonly heartbeatSeconds: number | undefined;
  readonly token: IssuedToken | undefined;
  readonly stateName: string;
  readonly executionArn: string;
  readonly region: string;
}

export interface TaskAttemptDeps {
  readonly executor: TaskExecutor;
  readonly clock: Clock;
  readonly cursor: HistoryCursor;
  readonly signal: AbortSignal;
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null';
}

export async function runTaskAttempt(
  attempt: TaskAttempt,
  deps: TaskAttemptDeps,
): Promise<unknown> {
  const { resource, token } = attempt;
  const { cursor, clock } = deps;
  const names = resource.bareLambda
    ? {
        scheduled: 'LambdaFunctionScheduled',
        started: 'LambdaFunctionStarted',
        succeeded: 'LambdaFunctionSucceeded',
        failed: 'LambdaFunctionFailed',
        timedOut: 'LambdaFunctionTimedOut',
      }
    : {
        scheduled: 'TaskScheduled',
        started: 'TaskStarted',
        succeeded: 'TaskSucceeded',
        failed: 'TaskFailed',
        timedOut: 'TaskTimedOut',
      };
  const ids = resource.bareLambda
    ? {}
    : { resourceType: resource.resourceType, resource: resource.resource };
  const timeouts = {
    ...(attempt.timeoutSeconds === undefined ? {} : { timeoutInSeconds: attempt.timeoutSeconds }),
    ...(attempt.heartbeatSeconds === undefined
      ? {}
      : { heartbeatInSeconds: attempt.heartbeatSeconds }),
  };
  cursor.add(
    names.scheduled,
    resource.bareLambda
      ? { resource: resource.arn, input: json(attempt.parameters), ...timeouts }
      : { ...ids, region: attempt.region, parameters: json(attempt.parameters), ...timeouts },
  );
  cursor.add(names.started, resource.bareLambda ? undefined : ids);

  const controller = new AbortController();
  const timers: LongTimer[] = [];
  let heartbeatTimer: LongTimer | undefined;
  let onParentAbort: (() => void) | undefined;
  const limits = new Promise<never>((_, reject) => {
    if (attempt.timeoutSeconds !== undefined) {
      timers.push(
        setLongTimeout(
          () => reject(new StatesError(StatesErrors.Timeout, '')),
          clock.toRealMs(attempt.timeoutSeconds),
        ),
      );
    }
    if (token !== undefined && attempt.heartbeatSeconds !== undefined) {
      const seconds = attempt.heartbeatSeconds;
      const arm = (): void => {
        heartbeatTimer?.clear();
        heartbeatTimer = setLongTimeout(
          () => reject(new StatesError(StatesErrors.HeartbeatTimeout, '')),
          clock.toRealMs(seconds),
        );
      };
      arm();
      token.onHeartbeat(arm);
    }
    onParentAbort = () => reject(deps.signal.reason as Error);
    if (deps.signal.aborted) onParentAbort();
    else deps.signal.addEventListener('abort', onParentAbort, { once: true });
  });

  const work = async (): Promise<unknown> => {
    const invocation = deps.executor({
      resource,
      input: attempt.parameters,
      ...(token === undefined ? {} : { taskToken: token.token }),
      stateName: attempt.stateName,
      executionArn: attempt.executionArn,
      signal: controller.signal,
    });
    if (token === undefined) return invocation;
    invocation.catch(() => undefined);
    // The callback may arrive before the invocation returns (a fast path in the handler).
    const first = await Promise.race([
      invocation.then((output) => ({ kind: 'invoked' as const, output })),
      token.outcome.then((output) => ({ kind: 'callback' as const, output })),
    ]);
    if (first.kind === 'callback') return first.output;
    cursor.add('TaskSubmitted', { ...ids, output: json(first.output) });
    return token.outcome;
  };

  try {
    const output = await Promise.race([work(), limits]);
    const size = Buffer.byteLength(json(output), 'utf8');
    if (size > MAX_TASK_OUTPUT_BYTES) {
      throw new StatesError(
        StatesErrors.DataLimitExceeded,
        `The state/task '${attempt.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`,
      );
    }
    cursor.add(names.succeeded, { ...ids, output: json(output) });
    return output;
  } catch (thrown) {
    if (deps.signal.aborted) throw thrown;
    const error = toStatesError(thrown);
    const timedOut =
      error.name === StatesErrors.Timeout || error.name === StatesErrors.HeartbeatTimeout;
    cursor.add(timedOut ? names.timedOut : names.failed, {
      ...ids,
      error: error.name,
      cause: error.causeText,
    });
    throw error;
  } finally {
    for (const timer of timers) timer.clear();
    heartbeatTimer?.clear();
    if (onParentAbort !== undefined) deps.signal.removeEventListener('abort', onParentAbort);
    controller.abort(new StatesError(StatesErrors.Timeout, 'The task ended'));
    token?.close();
  }
}
