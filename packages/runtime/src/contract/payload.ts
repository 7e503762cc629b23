/**
 * The tasker's payload: what a Task state sends to the tasker Lambda. Backward compatible
 * with the seed (`{taskToken, executionArn, sqlStatement}`), extended with batches,
 * parameters, result rows, cancel and describe.
 */

export const Actions = {
  Execute: 'execute',
  Cancel: 'cancel',
  Describe: 'describe',
} as const;
export type Action = (typeof Actions)[keyof typeof Actions];

export const ResultModes = {
  /** The task output is the statement's description. */
  None: 'none',
  /** The description plus every row, as JSON objects keyed by column name. */
  Rows: 'rows',
} as const;
export type ResultMode = (typeof ResultModes)[keyof typeof ResultModes];

export const ExecutionModes = {
  /** All statements of the batch commit together or not at all. */
  Transaction: 'TRANSACTION',
  /** Each statement of the batch commits on its own. */
  AutoCommit: 'AUTO_COMMIT',
} as const;
export type ExecutionMode = (typeof ExecutionModes)[keyof typeof ExecutionModes];

/** A parameter value as the payload may carry it; sent to the Data API as a string. */
export type SqlParameterValue = string | number | boolean;

/** The payload fields, named once: the task construct renders them, the tasker reads them. */
export const PayloadFields = {
  action: 'action',
  taskToken: 'taskToken',
  executionArn: 'executionArn',
  stateName: 'stateName',
  iteration: 'iteration',
  sqlStatement: 'sqlStatement',
  sqlStatements: 'sqlStatements',
  sqlParameters: 'sqlParameters',
  executionMode: 'executionMode',
  result: 'result',
  fastPathSeconds: 'fastPathSeconds',
  statementId: 'statementId',
} as const;

/** The raw payload, as a state machine sends it. Every field is optional at this level. */
export interface TaskerPayload {
  /** @default 'execute' */
  action?: Action;
  /** `$$.Task.Token`: with it, the task completes when the statement ends. */
  taskToken?: string;
  /** `$$.Execution.Id`: lets cancel and auto-cancel find the execution's statements. */
  executionArn?: string;
  /** `$$.State.Name`: for logs and the tracking table. */
  stateName?: string;
  /**
   * Which run of the state this is, when the state runs several times at once: inside a Map,
   * the item's index (`$$.Map.Item.Index`, which Step Functions gives to the Map's
   * ItemSelector, passed on in the item) or a key of the item. A cancel by execution and state
   * that gives it stops only that run's statement, not those of sibling iterations. A string or
   * a whole number (kept as a string).
   */
  iteration?: string | number;
  /** One SQL statement (ExecuteStatement). */
  sqlStatement?: string;
  /** Several SQL statements (BatchExecuteStatement). */
  sqlStatements?: string[];
  /** `:name` placeholders and their values (Data API `Parameters`). */
  sqlParameters?: Record<string, SqlParameterValue>;
  /** Batches only. @default 'TRANSACTION' */
  executionMode?: ExecutionMode;
  /** @default 'none' */
  result?: ResultMode;
  /** Overrides the tasker's fast-path wait for this statement (0 to 30). */
  fastPathSeconds?: number;
  /** cancel / describe: the Data API statement id. */
  statementId?: string;
}

export interface SqlParameter {
  readonly name: string;
  readonly value: string;
}

/** One statement or a batch. */
export type StatementSpec =
  | { readonly kind: 'single'; readonly sql: string }
  | {
      readonly kind: 'batch';
      readonly sqls: readonly string[];
      readonly executionMode: ExecutionMode;
    };

export interface ExecuteRequest {
  readonly action: 'execute';
  readonly statement: StatementSpec;
  readonly parameters: readonly SqlParameter[];
  readonly resultMode: ResultMode;
  readonly taskToken?: string;
  readonly executionArn?: string;
  readonly stateName?: string;
  readonly iteration?: string;
  /** Unset: the tasker's configured default applies. */
  readonly fastPathSeconds?: number;
}

/**
 * Cancel one statement, or every pending statement of an execution (only those of `stateName`
 * when given, and of that state's run `iteration` when given). With `taskToken`
 * (`waitForTaskToken`) the tasker also sends the result as the task's output.
 */
export type CancelRequest =
  | { readonly action: 'cancel'; readonly statementId: string; readonly taskToken?: string }
  | {
      readonly action: 'cancel';
      readonly executionArn: string;
      readonly stateName?: string;
      readonly iteration?: string;
      readonly taskToken?: string;
    };

export interface DescribeRequest {
  readonly action: 'describe';
  readonly statementId: string;
  /** With `waitForTaskToken`: the description is also sent as the task's output. */
  readonly taskToken?: string;
}

/** A validated payload. */
export type TaskerRequest = ExecuteRequest | CancelRequest | DescribeRequest;
