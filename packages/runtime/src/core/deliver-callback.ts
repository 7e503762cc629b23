import { TrackingStatus } from '../contract/index.js';
import { TaskGoneError } from '../ports/task-callbacks.js';
import type { TrackingRecord } from '../ports/tracking-store.js';
import { expiresAtFor } from './core-config.js';
import type { CoreDeps } from './core-deps.js';
import type { TaskCallback } from './task-callback.js';

export type DeliveryResult =
  /** The callback went out and the row is COMPLETED. */
  | 'delivered'
  /** Step Functions no longer waits: the row is ORPHANED. */
  | 'orphaned'
  /** Someone else holds the claim, or the row is final already: nothing sent. */
  | 'busy';

/**
 * Sends the one callback of a row under a claim:
 *
 * 1. claim: a conditional write gives this caller a lease, only if the row is still pending
 *    and nobody holds a live lease. Concurrent or duplicate completions lose here and send
 *    nothing.
 * 2. build the callback (`build` runs under the lease: reading result pages can take time).
 * 3. send it. A `TaskGoneError` (TaskTimedOut, TaskDoesNotExist, InvalidToken) finishes the
 *    row ORPHANED. Any other error releases the lease and is rethrown, so the message is
 *    redelivered (or the reconciler retries once the lease ends, if even the release fails).
 * 4. finish: COMPLETED, conditional on the row still being pending. If a lease ran out and a
 *    second claimer sent the callback too, Step Functions refuses the second one (the token is
 *    used up) and that claimer's ORPHANED write finds the row final already and does nothing.
 */
export async function deliverCallback(
  deps: Pick<CoreDeps, 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config' | 'newId'>,
  record: TrackingRecord,
  build: () => Promise<TaskCallback>,
  options: { readonly statementId?: string; readonly note: string },
): Promise<DeliveryResult> {
  const claim = await claimRow(deps, record.statementName, options.statementId);
  if (claim === undefined) {
    deps.logger.info('row claimed elsewhere or final; no callback', {
      statementName: record.statementName,
    });
    return 'busy';
  }
  return deliverClaimed(deps, claim, build, options.note);
}

/** A row this caller holds the lease of, as the claim left it. */
export interface ClaimedRow {
  readonly record: TrackingRecord;
  readonly claimId: string;
}

/**
 * Step 1 of `deliverCallback`: the lease, or undefined when the row is not pending, someone
 * holds a live lease, or (given `statementId`) the row tracks another statement.
 */
export async function claimRow(
  deps: Pick<CoreDeps, 'tracking' | 'clock' | 'config' | 'newId'>,
  statementName: string,
  statementId: string | undefined,
): Promise<ClaimedRow | undefined> {
  const claimId = deps.newId();
  const now = deps.clock.now();
  const record = await deps.tracking.claim(statementName, {
    claimId,
    now,
    leaseUntil: now + deps.config.claimLeaseSeconds * 1000,
    ...(statementId !== undefined && { statementId }),
  });
  return record === undefined ? undefined : { record, claimId };
}

/** Steps 2-4 of `deliverCallback`, under a lease taken by `claimRow`. */
export async function deliverClaimed(
  deps: Pick<CoreDeps, 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config'>,
  { record, claimId }: ClaimedRow,
  build: () => Promise<TaskCallback>,
  note: string,
): Promise<DeliveryResult> {
  const { tracking, callbacks, clock, logger, config } = deps;
  let callback: TaskCallback;
  try {
    callback = await build();
    if (callback.kind === 'success') {
      await callbacks.sendSuccess(record.taskToken, callback.output);
    } else {
      await callbacks.sendFailure(record.taskToken, callback.error, callback.cause);
    }
  } catch (error) {
    if (error instanceof TaskGoneError) {
      const now = clock.now();
      await tracking.finish(record.statementName, {
        status: TrackingStatus.Orphaned,
        outcome: `${note}; task gone: ${error.reason}`,
        now,
        expiresAt: expiresAtFor(config, now),
      });
      logger.warn('task no longer waits; row orphaned', {
        statementName: record.statementName,
        reason: error.reason,
      });
      return 'orphaned';
    }
    await releaseClaim(deps, record.statementName, claimId);
    throw error;
  }
  const now = clock.now();
  await tracking.finish(record.statementName, {
    status: TrackingStatus.Completed,
    outcome: callback.kind === 'success' ? `${note}; success` : `${note}; ${callback.error}`,
    now,
    expiresAt: expiresAtFor(config, now),
  });
  logger.info('callback sent', {
    statementName: record.statementName,
    callback: callback.kind,
    ...(callback.kind === 'failure' && { error: callback.error }),
  });
  return 'delivered';
}

/** Gives a lease back early; if even that fails, the lease runs out on its own. */
export async function releaseClaim(
  deps: Pick<CoreDeps, 'tracking' | 'clock' | 'logger'>,
  statementName: string,
  claimId: string,
): Promise<void> {
  try {
    await deps.tracking.releaseClaim(statementName, claimId, deps.clock.now());
  } catch (error) {
    // The lease runs out on its own; the reconciler picks the row up then.
    deps.logger.warn('could not release claim; it will expire', { statementName, error });
  }
}
