/**
 * Input of the HTML execution report: the state machine definition, the execution's outcome and
 * its event history in Step Functions' `GetExecutionHistory` shape, plus the SQL statements the
 * execution ran.
 *
 * History event shape: https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */

/** A point in time: a `Date`, an ISO-8601 string, or epoch milliseconds. */
export type Instant = Date | string | number;

/** The final statuses of an execution, as `DescribeExecution` reports them. */
export type ExecutionStatus = 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

/** `stateEnteredEventDetails`. */
export interface StateEnteredEventDetails {
  readonly name: string;
  readonly input?: string | undefined;
}

/** `stateExitedEventDetails`. */
export interface StateExitedEventDetails {
  readonly name: string;
  readonly output?: string | undefined;
}

/** The `error`/`cause` pair carried by the failure details of many event types. */
export interface FailureEventDetails {
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
  readonly resource?: string | undefined;
  readonly resourceType?: string | undefined;
}

/**
 * One event of an execution's history. Only `id`, `timestamp` and `type` are required. The
 * details sit under the property AWS uses for the type (`stateEnteredEventDetails` of
 * {@link StateEnteredEventDetails}, `stateExitedEventDetails` of {@link StateExitedEventDetails},
 * `taskFailedEventDetails` / `executionFailedEventDetails` / ... of {@link FailureEventDetails});
 * the report reads those it knows and shows every `...EventDetails` field in the history table.
 * Typed loosely so that any `GetExecutionHistory`-shaped event (the SDK's, the sandbox's) fits.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId?: number | undefined;
  readonly timestamp: Instant;
  /** `ExecutionStarted`, `TaskStateEntered`, `TaskScheduled`, `TaskFailed`, ... */
  readonly type: string;
  readonly [details: string]: unknown;
}

/** A SQL statement the execution ran (one Data API statement or batch sub-statement). */
export interface ReportStatement {
  readonly id: string;
  /** The Data API `StatementName`. */
  readonly name?: string | undefined;
  /** The state whose task ran it, when known: its bar is drawn under that state. */
  readonly stateName?: string | undefined;
  readonly sql: string;
  /** Data API status: `SUBMITTED`, `PICKED`, `STARTED`, `FINISHED`, `FAILED`, `ABORTED`. */
  readonly status: string;
  readonly startedAt: Instant;
  /** Absent while the statement still runs. */
  readonly endedAt?: Instant | undefined;
  readonly rows?: number | undefined;
  readonly error?: string | undefined;
}

/** The execution's final result, as `DescribeExecution` would show it. */
export interface ReportResult {
  readonly status: ExecutionStatus;
  readonly output?: unknown;
  readonly error?: string | undefined;
  readonly cause?: string | undefined;
}

/** Everything `renderReport` needs. */
export interface ReportInput {
  /** Page title, e.g. the state machine's name. */
  readonly title: string;
  /** The ASL definition (parsed JSON object). */
  readonly definition: object;
  readonly result: ReportResult;
  readonly history: readonly HistoryEvent[];
  readonly statements?: readonly ReportStatement[] | undefined;
}
