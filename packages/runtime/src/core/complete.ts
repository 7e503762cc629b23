import { isRunStatementName, TrackingStatus } from '../contract/index.js';
import { statementHasEnded, type StatementDescription } from '../ports/statement-api.js';
import type { CoreDeps } from './core-deps.js';
import { claimRow, deliverClaimed, releaseClaim, type DeliveryResult } from './deliver-callback.js';
import { callbackFor } from './task-callback.js';

export interface CompleteInput {
  readonly statementId: string;
  /** From the event (or the row); needed to find the row. */
  readonly statementName?: string;
  /** Where the completion came from, for logs and the row's outcome. */
  readonly source: 'event' | 'reconciler' | 'fast-path';
  /** Skip DescribeStatement when the caller already has a fresh description. */
  readonly description?: StatementDescription;
}

export type CompleteResult =
  /** The statement name is not this tasker's. */
  | 'foreign'
  /** Ours, started without a task token (the polling use): no row, nothing waits for it. */
  | 'untracked'
  /** Ours, but no tracking row (an expired or deleted row). */
  | 'unknown'
  /** The row is COMPLETED or ORPHANED already (a duplicate or late event). */
  | 'already-final'
  /** The row belongs to another statement id under the same name. */
  | 'mismatch'
  /**
   * The statement is still running: the reconciler and the fast path see it before claiming;
   * an event that names a running statement gives its claim back.
   */
  | 'not-ended'
  | DeliveryResult;

/**
 * Completes the task of an ended statement: exactly one callback per row, whatever the number
 * of events, pollers and fast paths that report the same end. Throws only for transient
 * failures (after releasing its claim), so an SQS message is worth redelivering.
 *
 * The row is claimed first: the conditional write both checks it (pending, no live lease, this
 * statement) and leases it, so a completion costs one table call before the callback. Only a
 * completion that loses the claim reads the row, to say why. An event reports an ended
 * statement, so its DescribeStatement runs alongside the claim (a duplicate event thus costs
 * one DescribeStatement it does not use); the reconciler and the fast path may see a running
 * statement and describe it before claiming anything.
 */
export async function completeStatement(
  deps: Pick<
    CoreDeps,
    'statements' | 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config' | 'newId'
  >,
  input: CompleteInput,
): Promise<CompleteResult> {
  const { statements, logger, config } = deps;
  const name = input.statementName;
  const fields = { statementId: input.statementId, statementName: name, source: input.source };
  if (name === undefined || !name.startsWith(config.statementPrefix)) {
    logger.debug('statement of another tasker ignored', fields);
    return 'foreign';
  }
  if (isRunStatementName(config.statementPrefix, name)) {
    logger.debug('statement started without a task token; nothing waits for it', fields);
    return 'untracked';
  }
  const described: Promise<Settled<StatementDescription>> =
    input.description !== undefined
      ? Promise.resolve({ ok: true, value: input.description })
      : settle(statements.describe(input.statementId));
  if (input.description !== undefined || input.source !== 'event') {
    // Not an event, or already described: a running statement's row is never claimed.
    const description = unwrap(await described);
    if (!statementHasEnded(description.status)) {
      logger.debug('statement still running', { ...fields, status: description.status });
      return 'not-ended';
    }
  }
  const claim = await claimRow(deps, name, input.statementId);
  if (claim === undefined) return whyNotClaimed(deps, name, input.statementId, fields);
  let description: StatementDescription;
  try {
    description = unwrap(await described);
  } catch (error) {
    await releaseClaim(deps, name, claim.claimId);
    throw error;
  }
  if (!statementHasEnded(description.status)) {
    await releaseClaim(deps, name, claim.claimId);
    logger.debug('statement still running', { ...fields, status: description.status });
    return 'not-ended';
  }
  return deliverClaimed(
    deps,
    claim,
    () => callbackFor(statements, description, name, claim.record.request.resultMode),
    `${description.status} via ${input.source}`,
  );
}

/** Reads the row a claim was refused on, to report (and log) why nothing is sent. */
async function whyNotClaimed(
  deps: Pick<CoreDeps, 'tracking' | 'logger'>,
  name: string,
  statementId: string,
  fields: Readonly<Record<string, unknown>>,
): Promise<CompleteResult> {
  const { logger } = deps;
  const record = await deps.tracking.get(name);
  if (record === undefined) {
    logger.warn('no tracking row for this statement; acknowledged', {
      ...fields,
      metric: 'UnknownStatement',
    });
    return 'unknown';
  }
  if (record.status === TrackingStatus.Completed || record.status === TrackingStatus.Orphaned) {
    logger.info('row final already; duplicate or late completion ignored', {
      ...fields,
      status: record.status,
    });
    return 'already-final';
  }
  if (record.statementId !== undefined && record.statementId !== statementId) {
    logger.warn('row tracks another statement id; ignored', {
      ...fields,
      trackedStatementId: record.statementId,
    });
    return 'mismatch';
  }
  logger.info('row claimed elsewhere; no callback', fields);
  return 'busy';
}

type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** A promise that never rejects, so a description nobody reads cannot become an unhandled rejection. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (settled.ok) return settled.value;
  throw settled.error;
}
