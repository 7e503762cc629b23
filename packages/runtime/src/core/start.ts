import {
  ErrorNames,
  InvalidRequestError,
  TrackingStatus,
  clientTokenForToken,
  statementNameForRun,
  statementNameForToken,
  type ExecuteRequest,
} from '../contract/index.js';
import { statementHasEnded } from '../ports/statement-api.js';
import { TaskGoneError } from '../ports/task-callbacks.js';
import type { StoredRequest } from '../ports/tracking-store.js';
import { completeStatement, type CompleteResult } from './complete.js';
import { pendingExpiresAtFor } from './core-config.js';
import type { CoreDeps } from './core-deps.js';
import { failure, type FailureCause } from './task-callback.js';

/** What the tasker returns (the task's result comes through the callback). */
export interface StartResult {
  readonly statementName: string;
  /** Unset only when a crashed start was orphaned before it reached the Data API. */
  readonly statementId?: string;
  /** The row's status (or the Data API status for a start without a task token). */
  readonly status: string;
  /** True when this invocation found an earlier start of the same task and reused it. */
  readonly resumed: boolean;
  /**
   * Set when the fast path saw the statement end: how its completion went (`deferred`: a
   * transient error; the completion event or the reconciler finishes the task).
   */
  readonly completion?: CompleteResult | 'deferred';
}

/**
 * Largest request (JSON) a tracking row holds. The row keeps the SQL so the reconciler can
 * submit a start that crashed; a DynamoDB item holds at most 400 KB (DynamoDB developer guide,
 * "Service, account, and table quotas"), and the token and other attributes need room too.
 */
export const MAX_TRACKED_REQUEST_BYTES = 300 * 1024;

/** The request as stored in the tracking row: without the task token. */
export function storedRequest(request: ExecuteRequest): StoredRequest {
  const { taskToken: _taskToken, ...rest } = request;
  return rest;
}

/**
 * Starts a statement.
 *
 * Without a task token: runs it under a fresh `run-<uuid>` name and returns its id at once;
 * nobody waits, so nothing is tracked (the polling use).
 *
 * With a task token: register (conditional put) → execute with the token-derived name and
 * ClientToken → record the statement id. A re-invocation with the same token finds the row:
 * if it holds a statement id, nothing more is started; if it is still REGISTERED (a crash
 * before or after the Data API call, we cannot tell), the same ClientToken is sent again and
 * the Data API returns the first statement if there was one. If the Data API call fails, the
 * row stays REGISTERED for a same-token retry or for the reconciler.
 */
export async function startStatement(
  deps: Pick<
    CoreDeps,
    'statements' | 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config' | 'newId'
  >,
  request: ExecuteRequest,
): Promise<StartResult> {
  const { statements, tracking, clock, logger, config } = deps;
  const taskToken = request.taskToken;
  if (taskToken === undefined) {
    const statementName = statementNameForRun(config.statementPrefix);
    const started = await statements.execute({
      statementName,
      statement: request.statement,
      parameters: request.parameters,
    });
    logger.info('statement started without a task token', {
      statementName,
      statementId: started.statementId,
      kind: request.statement.kind,
    });
    return {
      statementName,
      statementId: started.statementId,
      status: started.status ?? 'SUBMITTED',
      resumed: false,
    };
  }

  const stored = storedRequest(request);
  const storedBytes = Buffer.byteLength(JSON.stringify(stored), 'utf8');
  if (storedBytes > MAX_TRACKED_REQUEST_BYTES) {
    throw new InvalidRequestError(
      `Invalid Stepshift payload: sqlStatements: the statements and parameters total ${storedBytes} bytes, over the ${MAX_TRACKED_REQUEST_BYTES} bytes a tracked task can hold: move the SQL into a stored procedure or split the batch into several tasks`,
    );
  }
  const statementName = statementNameForToken(config.statementPrefix, taskToken);
  const clientToken = clientTokenForToken(taskToken);
  const registeredAt = clock.now();
  const registered = await tracking.register({
    statementName,
    taskToken,
    request: stored,
    now: registeredAt,
    expiresAt: pendingExpiresAtFor(config, registeredAt),
    ...(request.executionArn !== undefined && { executionArn: request.executionArn }),
    ...(request.stateName !== undefined && { stateName: request.stateName }),
    ...(request.iteration !== undefined && { iteration: request.iteration }),
  });
  const fields = {
    statementName,
    executionArn: request.executionArn,
    stateName: request.stateName,
  };
  if (!registered.created) {
    const existing = registered.existing;
    if (existing.statementId !== undefined || existing.status !== TrackingStatus.Registered) {
      logger.info('same task started before; nothing new started', {
        ...fields,
        statementId: existing.statementId,
        status: existing.status,
      });
      if (existing.status === TrackingStatus.Orphaned && existing.statementId === undefined) {
        // Cancelled (by execution) before anything was submitted, and this is a Retry of the
        // task with the same token: nothing will ever run or call back, so tell the task now
        // instead of letting it wait for its timeout. A task that is gone ignores it.
        await failAborted(deps, taskToken, {
          statementId: '',
          statementName,
          status: 'ABORTED',
          error: 'The execution was cancelled before the statement was started.',
        });
      }
      return {
        statementName,
        ...(existing.statementId !== undefined && { statementId: existing.statementId }),
        status: existing.status,
        resumed: true,
      };
    }
    logger.warn('resuming a start that stopped between register and record', fields);
  }

  const fastPath = request.fastPathSeconds ?? config.fastPathSeconds;
  const started = await statements.execute({
    statementName,
    clientToken,
    statement: request.statement,
    parameters: request.parameters,
    ...(fastPath > 0 && { waitTimeSeconds: fastPath }),
  });
  const submittedAt = clock.now();
  const marked = await tracking.markSubmitted(
    statementName,
    started.statementId,
    submittedAt,
    pendingExpiresAtFor(config, submittedAt),
  );
  logger.info('statement started', {
    ...fields,
    statementId: started.statementId,
    kind: request.statement.kind,
    status: started.status,
  });
  if (!marked) {
    const current = await tracking.get(statementName);
    if (current?.status === TrackingStatus.Orphaned && current.statementId === undefined) {
      // Cancelled (by execution) while we were starting: undo the start and tell the task.
      await abandonStart(deps, taskToken, statementName, started.statementId);
      return {
        statementName,
        statementId: started.statementId,
        status: TrackingStatus.Orphaned,
        resumed: !registered.created,
      };
    }
  }
  let completion: CompleteResult | 'deferred' | undefined;
  if (started.status !== undefined && statementHasEnded(started.status)) {
    try {
      completion = await completeStatement(deps, {
        statementId: started.statementId,
        statementName,
        source: 'fast-path',
      });
    } catch (error) {
      // The statement ran; failing the tasker now would fail the task. The completion event
      // (WithEvent) or the reconciler completes it instead.
      logger.warn('fast-path completion failed; the completion event will finish the task', {
        statementName,
        statementId: started.statementId,
        error,
      });
      completion = 'deferred';
    }
  }
  return {
    statementName,
    statementId: started.statementId,
    status: completion === 'delivered' ? TrackingStatus.Completed : TrackingStatus.Submitted,
    resumed: !registered.created,
    ...(completion !== undefined && { completion }),
  };
}

async function abandonStart(
  deps: Pick<CoreDeps, 'statements' | 'callbacks' | 'logger'>,
  taskToken: string,
  statementName: string,
  statementId: string,
): Promise<void> {
  deps.logger.warn('row orphaned while starting; cancelling the statement', {
    statementName,
    statementId,
  });
  try {
    await deps.statements.cancel(statementId);
  } catch (error) {
    deps.logger.warn('cancel failed', { statementName, statementId, error });
  }
  await failAborted(deps, taskToken, {
    statementId,
    statementName,
    status: 'ABORTED',
    error: 'The execution was cancelled while the statement was being started.',
  });
}

/** Fails the task with `Stepshift.StatementAborted`; a task that no longer waits is fine. */
async function failAborted(
  deps: Pick<CoreDeps, 'callbacks'>,
  taskToken: string,
  cause: FailureCause,
): Promise<void> {
  const callback = failure(ErrorNames.StatementAborted, cause);
  if (callback.kind !== 'failure') return;
  try {
    await deps.callbacks.sendFailure(taskToken, callback.error, callback.cause);
  } catch (error) {
    if (!(error instanceof TaskGoneError)) throw error;
  }
}
