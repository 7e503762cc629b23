import { clientTokenForToken, DataApiCapacityError, TrackingStatus } from '../contract/index.js';
import { DataApiRequestError } from '../ports/data-api-request-error.js';
import { statementHasEnded, type StatementDescription } from '../ports/statement-api.js';
import { TaskGoneError } from '../ports/task-callbacks.js';
import type { TrackingRecord } from '../ports/tracking-store.js';
import { completeStatement } from './complete.js';
import { expiresAtFor, pendingExpiresAtFor } from './core-config.js';
import type { CoreDeps } from './core-deps.js';
import { claimRow, deliverCallback } from './deliver-callback.js';
import { failure } from './task-callback.js';

/** What the reconciler did with each row it looked at. */
export type ReconcileAction =
  /** Ended statement: its task was completed (or the row was final/claimed meanwhile). */
  | 'completed'
  | 'orphaned'
  /** A REGISTERED row whose task still waits: the statement was submitted now. */
  | 'submitted'
  /**
   * The Data API refused the row's statement (a crashed start it will not run, or a statement
   * it can no longer describe): the task was failed with that error.
   */
  | 'failed'
  /** Still running: moved to the back of the pending queue. */
  | 'running'
  /** Someone else holds the row's claim. */
  | 'busy'
  /** A transient error; the next run tries again. */
  | 'deferred';

export interface ReconcileSummary {
  readonly examined: number;
  readonly actions: Readonly<Partial<Record<ReconcileAction, number>>>;
}

type Deps = Pick<
  CoreDeps,
  'statements' | 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config' | 'newId'
>;

/**
 * One reconciler run: looks at the rows pending longer than the grace period (oldest first)
 * and makes each progress, so no task waits forever on a lost event or a crashed start.
 *
 * - Statement id known: DescribeStatement. Ended → complete through the same code as the
 *   completer. Still running → back of the queue (no heartbeat: see `checkSubmitted`).
 * - REGISTERED without id (the tasker stopped between register and execute): under a claim,
 *   SendTaskHeartbeat; a task that no longer waits → ORPHANED, never submitted. A waiting task
 *   → ExecuteStatement with the stored request and the same ClientToken (if the first call did
 *   reach the Data API, it returns that statement), then SUBMITTED. A Data API refusal fails
 *   the task with that error.
 */
export async function reconcile(deps: Deps): Promise<ReconcileSummary> {
  const { tracking, clock, config, logger } = deps;
  const cutoff = clock.now() - config.reconcileGraceSeconds * 1000;
  const rows = await tracking.listPending(
    config.statementPrefix,
    cutoff,
    config.reconcileBatchSize,
  );
  const actions: Partial<Record<ReconcileAction, number>> = {};
  for (const row of rows) {
    if (row.status !== TrackingStatus.Registered && row.status !== TrackingStatus.Submitted) {
      continue; // final since the index was read
    }
    let action: ReconcileAction;
    try {
      action =
        row.statementId === undefined
          ? await resubmit(deps, row)
          : await checkSubmitted(deps, row, row.statementId);
    } catch (error) {
      logger.warn('reconcile of a row failed; next run retries', {
        statementName: row.statementName,
        error,
      });
      action = 'deferred';
    }
    actions[action] = (actions[action] ?? 0) + 1;
  }
  const examined = Object.values(actions).reduce((sum, count) => sum + count, 0);
  const summary = { examined, actions };
  logger.info('reconcile run done', summary);
  return summary;
}

async function checkSubmitted(
  deps: Deps,
  row: TrackingRecord,
  statementId: string,
): Promise<ReconcileAction> {
  let description: StatementDescription;
  try {
    description = await deps.statements.describe(statementId);
  } catch (error) {
    if (!(error instanceof DataApiRequestError)) throw error;
    // The Data API no longer knows the statement (results expire after 24 hours) or refuses
    // to describe it: nothing will ever complete this task, so fail it with that error.
    const refused = failure(error.name, {
      statementId,
      statementName: row.statementName,
      status: 'UNKNOWN',
      error: error.message,
    });
    const outcome = await deliverCallback(deps, row, () => Promise.resolve(refused), {
      statementId,
      note: 'describe refused',
    });
    return outcome === 'delivered' ? 'failed' : outcome;
  }
  if (statementHasEnded(description.status)) {
    const result = await completeStatement(deps, {
      statementId,
      statementName: row.statementName,
      source: 'reconciler',
      description,
    });
    if (result === 'orphaned') return 'orphaned';
    return result === 'busy' ? 'busy' : 'completed';
  }
  // Still running: no heartbeat on the task's behalf. A heartbeat would reset the task's
  // HeartbeatSeconds clock, and state machines use that clock as the statement's time budget
  // (the seed's `cancelSlowQuery` after `States.Timeout`). A task that stopped waiting is
  // found when the statement ends (the callback answers TaskTimedOut: ORPHANED), and
  // auto-cancel stops the statements of executions that ended.
  await deps.tracking.touchPending(row.statementName, deps.clock.now());
  return 'running';
}

async function resubmit(deps: Deps, row: TrackingRecord): Promise<ReconcileAction> {
  const { tracking, statements, callbacks, clock, config, logger } = deps;
  const claim = await claimRow(deps, row.statementName, undefined);
  if (claim === undefined) return 'busy';
  const { claimId } = claim;
  try {
    await callbacks.sendHeartbeat(row.taskToken);
  } catch (error) {
    if (!(error instanceof TaskGoneError)) {
      await tracking.releaseClaim(row.statementName, claimId, clock.now());
      throw error;
    }
    const at = clock.now();
    await tracking.finish(row.statementName, {
      status: TrackingStatus.Orphaned,
      outcome: `never submitted; task gone: ${error.reason}`,
      now: at,
      expiresAt: expiresAtFor(config, at),
    });
    logger.warn('crashed start of a task that no longer waits; orphaned, not submitted', {
      statementName: row.statementName,
      reason: error.reason,
    });
    return 'orphaned';
  }
  let statementId: string;
  try {
    const started = await statements.execute({
      statementName: row.statementName,
      clientToken: clientTokenForToken(row.taskToken),
      statement: row.request.statement,
      parameters: row.request.parameters,
    });
    statementId = started.statementId;
  } catch (error) {
    if (error instanceof DataApiRequestError) {
      await tracking.releaseClaim(row.statementName, claimId, clock.now());
      const refused = failure(error.name, {
        statementId: '',
        statementName: row.statementName,
        status: 'REFUSED',
        error: error.message,
      });
      const outcome = await deliverCallback(deps, row, () => Promise.resolve(refused), {
        note: 'refused on resubmit',
      });
      return outcome === 'delivered' ? 'failed' : outcome;
    }
    await tracking.releaseClaim(row.statementName, claimId, clock.now());
    if (error instanceof DataApiCapacityError) return 'deferred';
    throw error;
  }
  const at = clock.now();
  await tracking.markSubmitted(row.statementName, statementId, at, pendingExpiresAtFor(config, at));
  await tracking.releaseClaim(row.statementName, claimId, clock.now());
  logger.info('crashed start submitted by the reconciler', {
    statementName: row.statementName,
    statementId,
  });
  return 'submitted';
}
