import type {
  JsonScalar,
  ResultColumn,
  StatementDescription,
  SubStatementDescription,
} from '../ports/statement-api.js';

/** One statement of a batch in the task output. */
export interface SubStatementOutput {
  readonly id: string;
  readonly status: string;
  readonly durationMs?: number;
  readonly hasResultSet?: boolean;
  readonly resultRows?: number;
  readonly redshiftQueryId?: number;
  readonly error?: string;
}

/**
 * The task output (`SendTaskSuccess.output`) and the `describe` action's result: the
 * statement's description, plus `columns` and `rows` when the payload asked for
 * `result: "rows"`.
 */
export interface StatementOutput {
  readonly statementId: string;
  readonly statementName?: string;
  readonly status: string;
  /** Rounded to milliseconds from the Data API's nanoseconds. */
  readonly durationMs?: number;
  readonly createdAt?: string;
  readonly updatedAt?: string;
  readonly hasResultSet?: boolean;
  /** -1 when the Data API does not know. */
  readonly resultRows?: number;
  readonly resultSize?: number;
  readonly redshiftQueryId?: number;
  readonly error?: string;
  readonly subStatements?: readonly SubStatementOutput[];
  readonly columns?: readonly ResultColumn[];
  readonly rows?: readonly Readonly<Record<string, JsonScalar>>[];
}

const NANOS_PER_MS = 1_000_000;

function durationMs(nanos: number | undefined): number | undefined {
  return nanos === undefined || nanos < 0 ? undefined : Math.round(nanos / NANOS_PER_MS);
}

function subStatementOutput(sub: SubStatementDescription): SubStatementOutput {
  const duration = durationMs(sub.durationNanos);
  return {
    id: sub.id,
    status: sub.status,
    ...(duration !== undefined && { durationMs: duration }),
    ...(sub.hasResultSet !== undefined && { hasResultSet: sub.hasResultSet }),
    ...(sub.resultRows !== undefined && { resultRows: sub.resultRows }),
    ...(sub.redshiftQueryId !== undefined && { redshiftQueryId: sub.redshiftQueryId }),
    ...(sub.error !== undefined && { error: sub.error }),
  };
}

/** The description part of the output: no SQL text, no parameter values. */
export function statementOutput(
  description: StatementDescription,
  statementName?: string,
): StatementOutput {
  const duration = durationMs(description.durationNanos);
  return {
    statementId: description.id,
    ...(statementName !== undefined && { statementName }),
    status: description.status,
    ...(duration !== undefined && { durationMs: duration }),
    ...(description.createdAt !== undefined && {
      createdAt: description.createdAt.toISOString(),
    }),
    ...(description.updatedAt !== undefined && {
      updatedAt: description.updatedAt.toISOString(),
    }),
    ...(description.hasResultSet !== undefined && { hasResultSet: description.hasResultSet }),
    ...(description.resultRows !== undefined && { resultRows: description.resultRows }),
    ...(description.resultSize !== undefined && { resultSize: description.resultSize }),
    ...(description.redshiftQueryId !== undefined && {
      redshiftQueryId: description.redshiftQueryId,
    }),
    ...(description.error !== undefined && { error: description.error }),
    ...(description.subStatements !== undefined && {
      subStatements: description.subStatements.map(subStatementOutput),
    }),
  };
}

/** UTF-8 size of a JSON text, the unit of the Step Functions output limit. */
export function jsonBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
