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
  const { tracking, callbacks, clock, logger, config } = deps;
  const claimId = deps.newId();
  const claimedAt = clock.now();
  const claimed = await tracking.claim(record.statementName, {
    claimId,
    now: claimedAt,
    leaseUntil: claimedAt + config.claimLeaseSeconds * 1000,
    ...(options.statementId !== undefined && { statementId: options.statementId }),
  });
  if (!claimed) {
    logger.info('row claimed elsewhere or final; no callback', {
      statementName: record.statementName,
    });
    return 'busy';
  }
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
        outcome: `${options.note}; task gone: ${error.reason}`,
        now,
        expiresAt: expiresAtFor(config, now),
      });
      logger.warn('task no longer waits; row orphaned', {
        statementName: record.statementName,
        reason: error.reason,
      });
      return 'orphaned';
    }
    await releaseQuietly(deps, record.statementName, claimId);
    throw error;
  }
  const now = clock.now();
  await tracking.finish(record.statementName, {
    status: TrackingStatus.Completed,
    outcome:
      callback.kind === 'success'
        ? `${options.note}; success`
        : `${options.note}; ${callback.error}`,
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

async function releaseQuietly(
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
