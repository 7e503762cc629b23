import type { EngineResult } from './engine.js';
import type { SqlParameter } from './parameters.js';
import type { ResolvedTarget } from './target.js';

/** Statement statuses (`StatusString`). `PICKED` is not used: statements go from SUBMITTED to STARTED. */
export const StatementStatus = {
  SUBMITTED: 'SUBMITTED',
  PICKED: 'PICKED',
  STARTED: 'STARTED',
  FINISHED: 'FINISHED',
  FAILED: 'FAILED',
  ABORTED: 'ABORTED',
} as const;
export type StatementStatus = (typeof StatementStatus)[keyof typeof StatementStatus];

export const END_STATUSES: ReadonlySet<StatementStatus> = new Set([
  'FINISHED',
  'FAILED',
  'ABORTED',
]);

export type ExecutionMode = 'TRANSACTION' | 'AUTO_COMMIT';
export type ResultFormat = 'JSON' | 'CSV';

/** One SQL statement the emulator knows: a single statement, a batch, or a batch's sub-statement. */
export interface Statement {
  readonly id: string;
  readonly target: ResolvedTarget;
  /** The SQL as submitted (`QueryString`); for a batch, the statements joined by "; ". */
  readonly queryString: string;
  readonly parameters: readonly SqlParameter[];
  readonly statementName: string | undefined;
  readonly withEvent: boolean;
  readonly resultFormat: ResultFormat;
  readonly createdAt: Date;
  /** Sub-statements of a batch (`<id>:<n>`), empty for a single statement. */
  readonly subStatements: Statement[];
  readonly isBatch: boolean;
  readonly executionMode: ExecutionMode | undefined;
  /** The Data API session the statement ran in, if any. */
  readonly sessionId: string | undefined;
  status: StatementStatus;
  updatedAt: Date;
  startedAt: number | undefined;
  endedAt: number | undefined;
  error: string | undefined;
  redshiftPid: number;
  redshiftQueryId: number;
  result: EngineResult | undefined;
  /** Set by CancelStatement; the runner turns it into ABORTED. */
  cancelRequested: boolean;
  /** Resolves when the statement reaches an end state. */
  readonly done: Promise<void>;
  markDone(): void;
}

export function newStatement(
  fields: Omit<
    Statement,
    | 'status'
    | 'updatedAt'
    | 'startedAt'
    | 'endedAt'
    | 'error'
    | 'redshiftPid'
    | 'redshiftQueryId'
    | 'result'
    | 'cancelRequested'
    | 'done'
    | 'markDone'
  >,
): Statement {
  let markDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => {
    markDone = resolve;
  });
  return {
    ...fields,
    status: StatementStatus.SUBMITTED,
    updatedAt: fields.createdAt,
    startedAt: undefined,
    endedAt: undefined,
    error: undefined,
    redshiftPid: 0,
    redshiftQueryId: -1,
    result: undefined,
    cancelRequested: false,
    done,
    markDone,
  };
}

/** `Duration` in nanoseconds, as the Data API reports it (0 until the statement started). */
export function durationNanos(statement: Statement): number {
  if (statement.startedAt === undefined) return 0;
  const end = statement.endedAt ?? performance.now();
  return Math.round((end - statement.startedAt) * 1e6);
}

/** `ResultRows`: rows returned or affected; -1 while unknown. */
export function resultRows(statement: Statement): number {
  if (statement.isBatch) {
    if (!END_STATUSES.has(statement.status)) return -1;
    return statement.subStatements.reduce((sum, s) => sum + Math.max(0, resultRows(s)), 0);
  }
  return statement.result?.rowCount ?? -1;
}

/** `ResultSize`: bytes of the result's values in text form; -1 while unknown. */
export function resultSize(statement: Statement): number {
  if (statement.isBatch) {
    if (!END_STATUSES.has(statement.status)) return -1;
    return statement.subStatements.reduce((sum, s) => sum + Math.max(0, resultSize(s)), 0);
  }
  const result = statement.result;
  if (result === undefined) return -1;
  let size = 0;
  for (const row of result.rows) for (const v of row) size += v === null ? 0 : Buffer.byteLength(v);
  return size;
}

export function hasResultSet(statement: Statement): boolean {
  if (statement.isBatch) return statement.subStatements.some(hasResultSet);
  return (statement.result?.columns.length ?? 0) > 0;
}
