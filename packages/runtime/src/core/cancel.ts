import { EXECUTION_END_STATUSES, TrackingStatus } from '../contract/index.js';
import { DataApiRequestError } from '../ports/data-api-request-error.js';
import { statementHasEnded } from '../ports/statement-api.js';
import type { TrackingRecord } from '../ports/tracking-store.js';
import { expiresAtFor } from './core-config.js';
import type { CoreDeps } from './core-deps.js';
import { claimRow, releaseClaim } from './deliver-callback.js';

export interface CancelledStatement {
  readonly statementId?: string;
  readonly statementName?: string;
  /** The Data API status (or the row status when never submitted) before the cancel. */
  readonly previousStatus: string;
  /** True when Redshift accepted the cancel, or a never-submitted start was stopped. */
  readonly cancelled: boolean;
}

/** The `cancel` action's result. */
export interface CancelResult {
  readonly statements: readonly CancelledStatement[];
}

type Deps = Pick<CoreDeps, 'statements' | 'tracking' | 'clock' | 'logger' | 'config' | 'newId'>;

/**
 * Cancels one statement if it is still running. Its task (if any) then completes with
 * `Stepshift.StatementAborted` through the normal completion event.
 */
export async function cancelStatement(
  deps: Pick<CoreDeps, 'statements' | 'logger'>,
  statementId: string,
  statementName?: string,
): Promise<CancelledStatement> {
  const description = await deps.statements.describe(statementId);
  const base = {
    statementId,
    ...(statementName !== undefined && { statementName }),
    previousStatus: description.status,
  };
  if (statementHasEnded(description.status)) return { ...base, cancelled: false };
  let cancelled: boolean;
  try {
    cancelled = await deps.statements.cancel(statementId);
  } catch (error) {
    // CancelStatement refuses a statement that ended between the describe and the cancel.
    if (!(error instanceof DataApiRequestError)) throw error;
    const now = await deps.statements.describe(statementId);
    if (!statementHasEnded(now.status)) throw error;
    return { ...base, previousStatus: now.status, cancelled: false };
  }
  deps.logger.info('statement cancelled', { statementId, statementName, cancelled });
  return { ...base, cancelled };
}

/**
 * A REGISTERED row without a statement id: the start never reached the Data API, or the tasker
 * is between ExecuteStatement and recording the id. Under a claim, the row is finished ORPHANED
 * only if it still has no id; if the tasker recorded one meanwhile, that statement is cancelled
 * instead (the row stays pending for its completion) and the claim given back.
 */
async function cancelUnsubmitted(deps: Deps, row: TrackingRecord): Promise<CancelledStatement> {
  const { statementName } = row;
  const notCancelled = { statementName, previousStatus: row.status, cancelled: false };
  const claim = await claimRow(deps, statementName, undefined);
  if (claim === undefined) return notCancelled;
  const now = deps.clock.now();
  const finished =
    claim.record.statementId === undefined &&
    (await deps.tracking.finish(statementName, {
      status: TrackingStatus.Orphaned,
      outcome: 'cancelled before it was submitted',
      now,
      expiresAt: expiresAtFor(deps.config, now),
      onlyIfUnsubmitted: true,
    }));
  if (finished) return { ...notCancelled, cancelled: true };
  await releaseClaim(deps, statementName, claim.claimId);
  const statementId =
    claim.record.statementId ?? (await deps.tracking.get(statementName))?.statementId;
  return statementId === undefined
    ? notCancelled
    : cancelStatement(deps, statementId, statementName);
}

/** Which of an execution's statements a cancel stops. */
export interface CancelScope {
  /** Only the statements this state started. */
  readonly stateName?: string;
  /** Only those of this run of the state (a Map iteration), as its payloads named it. */
  readonly iteration?: string;
}

/**
 * Cancels every pending statement of an execution (auto-cancel when an execution ends), or
 * only those started by the state `stateName` (the seed's `cancelSlowQuery`, the construct's
 * cancel-on-timeout), or only one run of that state (`iteration`: the statement of the Map
 * iteration that timed out, not those of its siblings). Submitted statements are cancelled in
 * Redshift; starts that never reached the Data API are ORPHANED so the reconciler never submits
 * them (a tasker still starting one sees that and cancels what it started).
 */
export async function cancelExecution(
  deps: Deps,
  executionArn: string,
  { stateName, iteration }: CancelScope = {},
): Promise<CancelResult> {
  const rows = await deps.tracking.listByExecution(executionArn, deps.config.statementPrefix);
  const results: CancelledStatement[] = [];
  for (const row of rows) {
    if (row.status !== TrackingStatus.Registered && row.status !== TrackingStatus.Submitted) {
      continue;
    }
    if (stateName !== undefined && row.stateName !== stateName) continue;
    if (iteration !== undefined && row.iteration !== iteration) continue;
    if (row.statementId !== undefined) {
      results.push(await cancelStatement(deps, row.statementId, row.statementName));
      continue;
    }
    results.push(await cancelUnsubmitted(deps, row));
  }
  deps.logger.info('execution statements cancelled', {
    executionArn,
    stateName,
    iteration,
    pending: results.length,
    cancelled: results.filter((result) => result.cancelled).length,
  });
  return { statements: results };
}

const endStatuses = new Set<string>(EXECUTION_END_STATUSES);

export type AutoCancelResult =
  | { readonly action: 'ignored'; readonly reason: string }
  | { readonly action: 'cancelled'; readonly result: CancelResult };

/** Auto-cancel: an execution that ABORTED, TIMED_OUT or FAILED leaves nothing running. */
export async function autoCancel(
  deps: Deps,
  event: { readonly executionArn: string; readonly status: string },
): Promise<AutoCancelResult> {
  if (!endStatuses.has(event.status)) {
    return { action: 'ignored', reason: `execution status ${event.status} needs no cancel` };
  }
  return { action: 'cancelled', result: await cancelExecution(deps, event.executionArn) };
}
