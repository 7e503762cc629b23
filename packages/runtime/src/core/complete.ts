import { TrackingStatus } from '../contract/index.js';
import { statementHasEnded, type StatementDescription } from '../ports/statement-api.js';
import type { CoreDeps } from './core-deps.js';
import { deliverCallback, type DeliveryResult } from './deliver-callback.js';
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
  /** Ours, but no tracking row (a start without a task token, or an expired row). */
  | 'unknown'
  /** The row is COMPLETED or ORPHANED already (a duplicate or late event). */
  | 'already-final'
  /** The row belongs to another statement id under the same name. */
  | 'mismatch'
  /** The statement is still running (only the reconciler and the fast path can see this). */
  | 'not-ended'
  | DeliveryResult;

/**
 * Completes the task of an ended statement: exactly one callback per row, whatever the number
 * of events, pollers and fast paths that report the same end. Throws only for transient
 * failures (after releasing its claim), so an SQS message is worth redelivering.
 */
export async function completeStatement(
  deps: Pick<
    CoreDeps,
    'statements' | 'tracking' | 'callbacks' | 'clock' | 'logger' | 'config' | 'newId'
  >,
  input: CompleteInput,
): Promise<CompleteResult> {
  const { tracking, statements, logger, config } = deps;
  const name = input.statementName;
  const fields = { statementId: input.statementId, statementName: name, source: input.source };
  if (name === undefined || !name.startsWith(config.statementPrefix)) {
    logger.debug('statement of another tasker ignored', fields);
    return 'foreign';
  }
  const record = await tracking.get(name);
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
  if (record.statementId !== undefined && record.statementId !== input.statementId) {
    logger.warn('row tracks another statement id; ignored', {
      ...fields,
      trackedStatementId: record.statementId,
    });
    return 'mismatch';
  }
  const description = input.description ?? (await statements.describe(input.statementId));
  if (!statementHasEnded(description.status)) {
    logger.debug('statement still running', { ...fields, status: description.status });
    return 'not-ended';
  }
  return deliverCallback(
    deps,
    record,
    () => callbackFor(statements, description, name, record.request.resultMode),
    { statementId: input.statementId, note: `${description.status} via ${input.source}` },
  );
}
