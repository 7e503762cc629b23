import type { SqlParameter, StatementSpec } from '../contract/index.js';

/** Data API statement statuses (`ALL` is only a ListStatements filter, never a status). */
export const StatementStatus = {
  Submitted: 'SUBMITTED',
  Picked: 'PICKED',
  Started: 'STARTED',
  Finished: 'FINISHED',
  Failed: 'FAILED',
  Aborted: 'ABORTED',
} as const;
export type StatementStatusValue = (typeof StatementStatus)[keyof typeof StatementStatus];

const endStatuses = new Set<string>([
  StatementStatus.Finished,
  StatementStatus.Failed,
  StatementStatus.Aborted,
]);

/** True for FINISHED, FAILED and ABORTED: the statement will not change any more. */
export function statementHasEnded(status: string): boolean {
  return endStatuses.has(status);
}

/** What the core asks the Data API to run. The adapter adds the target and credentials. */
export interface ExecuteInput {
  readonly statementName: string;
  /** Idempotency token: a retry within 8 hours returns the first statement. */
  readonly clientToken?: string;
  readonly statement: StatementSpec;
  readonly parameters: readonly SqlParameter[];
  /** 1-30 makes the call wait for the statement (the fast path); 0 or unset: return at once. */
  readonly waitTimeSeconds?: number;
}

export interface ExecuteResult {
  readonly statementId: string;
  /** Present when the Data API returned it (newer API versions, or with WaitTimeSeconds). */
  readonly status?: StatementStatusValue;
}

export interface SubStatementDescription {
  readonly id: string;
  readonly status: StatementStatusValue;
  readonly error?: string;
  readonly durationNanos?: number;
  readonly hasResultSet?: boolean;
  readonly resultRows?: number;
  readonly resultSize?: number;
  readonly redshiftQueryId?: number;
}

export interface StatementDescription {
  readonly id: string;
  readonly status: StatementStatusValue;
  readonly error?: string;
  /** Nanoseconds, as the Data API reports it. */
  readonly durationNanos?: number;
  readonly createdAt?: Date;
  readonly updatedAt?: Date;
  readonly hasResultSet?: boolean;
  /** -1 when unknown. */
  readonly resultRows?: number;
  /** Bytes; -1 when unknown. */
  readonly resultSize?: number;
  readonly redshiftQueryId?: number;
  /** Batches only, in the order of the batch. */
  readonly subStatements?: readonly SubStatementDescription[];
}

/** A JSON value converted from a Data API `Field`. */
export type JsonScalar = string | number | boolean | null;

export interface ResultColumn {
  readonly name: string;
  readonly typeName?: string;
}

export interface ResultPage {
  readonly columns: readonly ResultColumn[];
  readonly records: readonly (readonly JsonScalar[])[];
  readonly totalNumRows?: number;
  readonly nextToken?: string;
}

/**
 * The Redshift Data API as the algorithms use it.
 *
 * Errors: `execute` rejects with `DataApiCapacityError` (throttling, Active*Exceeded, 5xx:
 * retry later), `DataApiRequestError` (any other 4xx: the request was refused) or anything
 * else (the outcome is unknown: the statement may or may not have started).
 */
export interface StatementApi {
  execute(input: ExecuteInput): Promise<ExecuteResult>;
  describe(statementId: string): Promise<StatementDescription>;
  /** Resolves `true` when Redshift accepted the cancellation. */
  cancel(statementId: string): Promise<boolean>;
  getResultPage(statementId: string, nextToken?: string): Promise<ResultPage>;
}
