import {
  ErrorNames,
  MAX_TASK_CAUSE_CHARS,
  MAX_TASK_ERROR_CHARS,
  MAX_TASK_OUTPUT_BYTES,
  ResultModes,
  type ResultMode,
} from '../contract/index.js';
import { DataApiRequestError } from '../ports/data-api-request-error.js';
import {
  StatementStatus,
  type StatementApi,
  type StatementDescription,
} from '../ports/statement-api.js';
import { collectRows, resultStatementId, type CollectedRows } from './result-rows.js';
import { jsonBytes, statementOutput, type StatementOutput } from './task-output.js';
import { trimText } from './trim-text.js';

/** What to tell Step Functions about an ended statement. */
export type TaskCallback =
  | { readonly kind: 'success'; readonly output: string }
  | { readonly kind: 'failure'; readonly error: string; readonly cause: string };

/** The JSON the `cause` of a failure holds (parse it with `States.StringToJson`). */
export interface FailureCause {
  readonly statementId: string;
  readonly statementName?: string;
  readonly status: string;
  readonly error?: string;
  readonly subStatements?: readonly { id: string; status: string; error?: string }[];
  readonly hint?: string;
}

export function failure(error: string, cause: FailureCause): TaskCallback {
  return {
    kind: 'failure',
    error: trimText(error, MAX_TASK_ERROR_CHARS),
    cause: causeText(cause),
  };
}

/**
 * Serializes a cause within MAX_TASK_CAUSE_CHARS by trimming the error texts (the only
 * unbounded parts) evenly, so the cause stays valid JSON.
 */
export function causeText(cause: FailureCause): string {
  const full = JSON.stringify(cause);
  if (full.length <= MAX_TASK_CAUSE_CHARS) return full;
  const texts = [cause.error, ...(cause.subStatements ?? []).map((sub) => sub.error)];
  const count = texts.filter((text) => text !== undefined).length;
  const skeleton = JSON.stringify({
    ...cause,
    ...(cause.error !== undefined && { error: '' }),
    ...(cause.subStatements !== undefined && {
      subStatements: cause.subStatements.map((sub) => ({
        ...sub,
        ...(sub.error !== undefined && { error: '' }),
      })),
    }),
  });
  // JSON escaping can grow a character up to 6 times; leave room for it.
  const each = Math.max(0, Math.floor((MAX_TASK_CAUSE_CHARS - skeleton.length) / count / 6));
  const trimmed = JSON.stringify({
    ...cause,
    ...(cause.error !== undefined && { error: trimText(cause.error, each) }),
    ...(cause.subStatements !== undefined && {
      subStatements: cause.subStatements.map((sub) => ({
        ...sub,
        ...(sub.error !== undefined && { error: trimText(sub.error, each) }),
      })),
    }),
  });
  return trimmed.length <= MAX_TASK_CAUSE_CHARS ? trimmed : trimText(trimmed, MAX_TASK_CAUSE_CHARS);
}

function baseCause(description: StatementDescription, statementName: string): FailureCause {
  return {
    statementId: description.id,
    statementName,
    status: description.status,
    ...(description.error !== undefined && { error: description.error }),
    ...(description.subStatements !== undefined && {
      subStatements: description.subStatements.map((sub) => ({
        id: sub.id,
        status: sub.status,
        ...(sub.error !== undefined && { error: sub.error }),
      })),
    }),
  };
}

const UNLOAD_HINT =
  'Step Functions accepts at most 262,144 bytes of task output. Use result "none" and write the rows to Amazon S3 with UNLOAD (https://docs.aws.amazon.com/redshift/latest/dg/r_UNLOAD.html), or select fewer rows or columns.';

/**
 * The callback for an ended statement: success with the description (and rows when asked),
 * or a failure named after the Data API status with Redshift's error text in the cause.
 */
export async function callbackFor(
  statements: StatementApi,
  description: StatementDescription,
  statementName: string,
  resultMode: ResultMode,
): Promise<TaskCallback> {
  if (description.status === StatementStatus.Failed) {
    return failure(ErrorNames.StatementFailed, baseCause(description, statementName));
  }
  if (description.status === StatementStatus.Aborted) {
    return failure(ErrorNames.StatementAborted, baseCause(description, statementName));
  }
  const base = statementOutput(description, statementName);
  if (resultMode !== ResultModes.Rows) {
    return { kind: 'success', output: JSON.stringify(base) };
  }
  const rowsId = resultStatementId(description);
  if (rowsId === undefined) {
    return success({ ...base, columns: [], rows: [] }, description, statementName);
  }
  const budget = MAX_TASK_OUTPUT_BYTES - jsonBytes(JSON.stringify(base));
  let collected: CollectedRows;
  try {
    collected = await collectRows(statements, rowsId, budget);
  } catch (error) {
    // A refusal (results expired after 24 hours, access denied...) will be refused again:
    // fail the task with it rather than retry until the task times out. Capacity and
    // network errors are rethrown for a retry.
    if (!(error instanceof DataApiRequestError)) throw error;
    return failure(error.name, { ...baseCause(description, statementName), error: error.message });
  }
  if (!collected.ok) {
    const total = collected.totalNumRows !== undefined ? ` of ${collected.totalNumRows}` : '';
    return failure(ErrorNames.ResultTooLarge, {
      ...baseCause(description, statementName),
      error: `The first ${collected.rowsRead}${total} rows already take ${collected.bytesRead} bytes of JSON, over the ${MAX_TASK_OUTPUT_BYTES}-byte task output limit.`,
      hint: UNLOAD_HINT,
    });
  }
  return success(
    { ...base, columns: collected.columns, rows: collected.rows },
    description,
    statementName,
  );
}

function success(
  output: StatementOutput,
  description: StatementDescription,
  statementName: string,
): TaskCallback {
  const text = JSON.stringify(output);
  const bytes = jsonBytes(text);
  if (bytes > MAX_TASK_OUTPUT_BYTES) {
    return failure(ErrorNames.ResultTooLarge, {
      ...baseCause(description, statementName),
      error: `The task output would be ${bytes} bytes, over the ${MAX_TASK_OUTPUT_BYTES}-byte limit.`,
      hint: UNLOAD_HINT,
    });
  }
  return { kind: 'success', output: text };
}
