import { Duration, Lazy, Token } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { ErrorNames } from './private/contract/errors.js';
import {
  MAX_BATCH_STATEMENTS,
  MAX_ITERATION_CHARS,
  MAX_SQL_BYTES,
  MAX_WAIT_TIME_SECONDS,
  PARAMETER_NAME_PATTERN,
} from './private/contract/limits.js';
import { Actions, ExecutionModes, PayloadFields, ResultModes } from './private/contract/payload.js';
import { StepshiftValidationError } from './private/errors.js';
import type { SfnRedshiftTasker } from './sfn-redshift-tasker.js';

/** How the statements of a batch commit (Data API `BatchExecuteStatement` `ExecutionMode`). */
export enum BatchExecutionMode {
  /** All statements commit together or not at all. */
  TRANSACTION = 'TRANSACTION',
  /** Each statement commits on its own. */
  AUTO_COMMIT = 'AUTO_COMMIT',
}

/** Properties of a `RedshiftSqlTask`. */
export interface RedshiftSqlTaskProps extends sfn.TaskStateBaseProps {
  /** The tasker that runs the SQL. */
  readonly tasker: SfnRedshiftTasker;
  /**
   * One SQL statement (at most 100 KB), literal or `JsonPath.stringAt(...)`. Give exactly
   * one of `sql` or `sqlStatements`.
   * @default - none: give `sqlStatements`
   */
  readonly sql?: string;
  /**
   * Several statements run as one batch (1-40), in one transaction unless `executionMode`
   * says otherwise.
   * @default - none: give `sql`
   */
  readonly sqlStatements?: string[];
  /**
   * Values of `:name` placeholders, literal or `JsonPath.stringAt(...)`. Names: letters,
   * digits and `_`.
   * @default - no parameters
   */
  readonly sqlParameters?: Record<string, string>;
  /**
   * Batches only.
   * @default BatchExecutionMode.TRANSACTION
   */
  readonly executionMode?: BatchExecutionMode;
  /**
   * Put the result rows (JSON objects keyed by column name) in the task output, for the next
   * state. The output is limited to 256 KiB (`Stepshift.ResultTooLarge`): UNLOAD big results.
   * @default false - the output is the statement's description
   */
  readonly returnRows?: boolean;
  /**
   * Overrides the tasker's fast-path wait for this statement (0-30 s).
   * @default - the tasker's `fastPath`
   */
  readonly fastPath?: Duration;
  /**
   * Catch `States.Timeout` (which also matches `States.HeartbeatTimeout`), cancel the
   * statement, then go to `afterCancel` or fail with `States.Timeout`. The cancel stops this
   * state's running statements in the execution: inside a `Map`, give `iteration` so that it
   * stops only the timed-out iteration's statement, not its siblings'.
   * @default false
   */
  readonly cancelOnTimeout?: boolean;
  /**
   * Which run of this state a statement belongs to, when the state runs several times at once
   * inside a `Map`. Step Functions gives `$$.Map.Item.Index` to the Map's `itemSelector` only,
   * so pass it in there (`itemSelector: { index: JsonPath.stringAt('$$.Map.Item.Index'), ... }`)
   * and give `JsonPath.stringAt('$.index')` here (or a key of the item, e.g. `$.table`).
   * Recorded with the statement; `cancelOnTimeout` sends the same path, read from the same
   * iteration's input, so only that run's statement is cancelled (keep `timeoutErrorPath`
   * away from it). At most 256 characters, or a whole number.
   * @default - none: a cancel covers every run of this state in the execution
   */
  readonly iteration?: string;
  /**
   * Where to go after a timed-out statement was cancelled (with `cancelOnTimeout`).
   * @default - a Fail state with error `States.Timeout`
   */
  readonly afterCancel?: sfn.IChainable;
  /**
   * Where the timeout error goes in the state's input before the cancel (with
   * `cancelOnTimeout`); the cancel state discards its own result.
   * @default '$.timeoutError'
   */
  readonly timeoutErrorPath?: string;
}

/**
 * With neither timeout given: the Data API stops a query after 24 hours (Redshift Data API
 * considerations); one more hour covers queueing and the reconciler's grace. Without any
 * timeout a lost callback would hold the execution for up to a year.
 */
const DEFAULT_TASK_TIMEOUT = Duration.hours(25);

/**
 * The seed's retry figures. The tasker has little concurrency (1 by default), so throttled
 * invocations are retried aggressively...
 */
const THROTTLE_RETRY: sfn.RetryProps = {
  errors: ['Lambda.TooManyRequestsException'],
  interval: Duration.seconds(1),
  maxAttempts: 10,
  backoffRate: 1.5,
};
/** ...and Lambda service faults with back-off. */
const SERVICE_RETRY: sfn.RetryProps = {
  errors: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException'],
  interval: Duration.seconds(2),
  maxAttempts: 6,
  backoffRate: 2,
};
/**
 * The Data API refused for capacity (throttling, too many active statements): back off with
 * jitter, since every waiting execution retries against the same account-wide limit.
 */
const CAPACITY_RETRY: sfn.RetryProps = {
  errors: [ErrorNames.DataApiCapacity],
  interval: Duration.seconds(5),
  maxAttempts: 8,
  backoffRate: 2,
  maxDelay: Duration.seconds(60),
  jitterStrategy: sfn.JitterType.FULL,
};

const DEFAULT_TIMEOUT_ERROR_PATH = '$.timeoutError';

function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function validate(props: RedshiftSqlTaskProps): void {
  const { sql, sqlStatements, sqlParameters, executionMode, fastPath } = props;
  if ((sql === undefined) === (sqlStatements === undefined)) {
    throw new StepshiftValidationError(
      `a Redshift SQL task needs exactly one of sql (one statement) or sqlStatements (a batch); received ${
        sql === undefined ? 'neither' : 'both'
      }`,
    );
  }
  if (sql !== undefined && !Token.isUnresolved(sql) && utf8Bytes(sql) > MAX_SQL_BYTES) {
    throw new StepshiftValidationError(
      `sql is ${utf8Bytes(sql)} bytes, over the Data API's ${MAX_SQL_BYTES}: move the logic into a stored procedure or view and CALL it`,
    );
  }
  if (sqlStatements !== undefined && !Token.isUnresolved(sqlStatements)) {
    if (sqlStatements.length < 1 || sqlStatements.length > MAX_BATCH_STATEMENTS) {
      throw new StepshiftValidationError(
        `sqlStatements holds ${sqlStatements.length} statements; a batch takes 1 to ${MAX_BATCH_STATEMENTS}: split it into several tasks`,
      );
    }
    sqlStatements.forEach((s, i) => {
      if (!Token.isUnresolved(s) && utf8Bytes(s) > MAX_SQL_BYTES) {
        throw new StepshiftValidationError(
          `sqlStatements[${i}] is ${utf8Bytes(s)} bytes, over the Data API's ${MAX_SQL_BYTES}: move the logic into a stored procedure`,
        );
      }
    });
  }
  if (executionMode !== undefined && sqlStatements === undefined) {
    throw new StepshiftValidationError(
      'executionMode applies to batches only: give sqlStatements, or remove executionMode',
    );
  }
  for (const name of Object.keys(sqlParameters ?? {})) {
    if (!PARAMETER_NAME_PATTERN.test(name)) {
      throw new StepshiftValidationError(
        `invalid SQL parameter name '${name}': use letters, digits and _ (referenced as :name in the SQL)`,
      );
    }
  }
  if (fastPath !== undefined) {
    const s = fastPath.toSeconds();
    if (!Token.isUnresolved(s) && (!Number.isInteger(s) || s < 0 || s > MAX_WAIT_TIME_SECONDS)) {
      throw new StepshiftValidationError(
        `fastPath must be whole seconds from 0 to ${MAX_WAIT_TIME_SECONDS} (received ${s} s): the Data API waits at most ${MAX_WAIT_TIME_SECONDS} s`,
      );
    }
  }
  const { iteration } = props;
  if (iteration !== undefined && !Token.isUnresolved(iteration)) {
    if (iteration.trim() === '') {
      throw new StepshiftValidationError(
        "iteration must not be blank: use JsonPath.stringAt('$.index') with the Map's itemSelector passing $$.Map.Item.Index, or a short key of the item",
      );
    }
    if (iteration.length > MAX_ITERATION_CHARS) {
      throw new StepshiftValidationError(
        `iteration must be at most ${MAX_ITERATION_CHARS} characters (received ${iteration.length}): use JsonPath.stringAt('$.index') with the Map's itemSelector passing $$.Map.Item.Index, or a short key of the item`,
      );
    }
  }
  if (iteration !== undefined && props.cancelOnTimeout === true && props.timeoutErrorPath === '$') {
    throw new StepshiftValidationError(
      "timeoutErrorPath '$' replaces the input the cancel state reads iteration from: keep the default '$.timeoutError' or use another path",
    );
  }
  if (
    props.integrationPattern !== undefined &&
    props.integrationPattern !== sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN
  ) {
    throw new StepshiftValidationError(
      `integrationPattern ${props.integrationPattern} is not supported: a Redshift SQL task always waits for its task token; remove integrationPattern`,
    );
  }
  if (props.afterCancel !== undefined && props.cancelOnTimeout !== true) {
    throw new StepshiftValidationError(
      'afterCancel is only used with cancelOnTimeout: set cancelOnTimeout: true, or remove afterCancel',
    );
  }
}

function payload(props: RedshiftSqlTaskProps): Record<string, unknown> {
  const body: Record<string, unknown> = {
    [PayloadFields.taskToken]: sfn.JsonPath.taskToken,
    [PayloadFields.executionArn]: sfn.JsonPath.stringAt('$$.Execution.Id'),
    [PayloadFields.stateName]: sfn.JsonPath.stringAt('$$.State.Name'),
    ...iterationField(props),
  };
  if (props.sql !== undefined) body[PayloadFields.sqlStatement] = props.sql;
  if (props.sqlStatements !== undefined) {
    body[PayloadFields.sqlStatements] = props.sqlStatements;
    body[PayloadFields.executionMode] = props.executionMode ?? ExecutionModes.Transaction;
  }
  if (props.sqlParameters !== undefined && Object.keys(props.sqlParameters).length > 0) {
    body[PayloadFields.sqlParameters] = props.sqlParameters;
  }
  if (props.returnRows === true) body[PayloadFields.result] = ResultModes.Rows;
  if (props.fastPath !== undefined)
    body[PayloadFields.fastPathSeconds] = props.fastPath.toSeconds();
  return body;
}

function iterationField(props: RedshiftSqlTaskProps): Record<string, string> {
  return props.iteration === undefined ? {} : { [PayloadFields.iteration]: props.iteration };
}

/**
 * A Task state that runs SQL through a `SfnRedshiftTasker` and completes when Redshift has
 * finished it: `lambda:invoke.waitForTaskToken` with the task token, execution and state
 * wired from the context object, the seed's retries, a task timeout, and optionally a
 * cancel-on-timeout path. Failed SQL raises `Stepshift.StatementFailed`, cancelled SQL
 * `Stepshift.StatementAborted`: catch them by name like any CDK task.
 */
export class RedshiftSqlTask extends tasks.LambdaInvoke {
  /** The state that cancels a timed-out statement (with `cancelOnTimeout`). */
  public readonly cancelState?: tasks.LambdaInvoke;

  public constructor(scope: Construct, id: string, props: RedshiftSqlTaskProps) {
    validate(props);
    const anyTimeout =
      props.taskTimeout ?? props.heartbeatTimeout ?? props.timeout ?? props.heartbeat;
    super(scope, id, {
      ...props,
      lambdaFunction: props.tasker.lambdaFunction,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject(payload(props)),
      retryOnServiceExceptions: false,
      ...(anyTimeout === undefined && { taskTimeout: sfn.Timeout.duration(DEFAULT_TASK_TIMEOUT) }),
    });
    this.addRetry(THROTTLE_RETRY);
    this.addRetry(SERVICE_RETRY);
    this.addRetry(CAPACITY_RETRY);

    if (props.cancelOnTimeout === true) {
      const cancelState = new tasks.LambdaInvoke(scope, `${id}CancelOnTimeout`, {
        stateName: `${props.stateName ?? id} cancel`,
        comment: 'Cancels the statement of the timed-out task',
        lambdaFunction: props.tasker.lambdaFunction,
        payload: sfn.TaskInput.fromObject({
          [PayloadFields.action]: Actions.Cancel,
          [PayloadFields.executionArn]: sfn.JsonPath.stringAt('$$.Execution.Id'),
          // The timed-out state's name: the tasker cancels that state's pending statements
          // (of this iteration only, when the task names its iteration).
          [PayloadFields.stateName]: Lazy.string({ produce: () => this.stateId }),
          ...iterationField(props),
        }),
        // The Catch hands over the task's raw input (the error merged in): the same InputPath
        // makes `iteration` read what the task read.
        ...(props.inputPath !== undefined && { inputPath: props.inputPath }),
        resultPath: sfn.JsonPath.DISCARD,
        retryOnServiceExceptions: false,
      });
      cancelState.addRetry(THROTTLE_RETRY);
      cancelState.addRetry(SERVICE_RETRY);
      cancelState.addRetry(CAPACITY_RETRY);
      cancelState.next(
        props.afterCancel ??
          new sfn.Fail(scope, `${id}TimedOut`, {
            stateName: `${props.stateName ?? id} timed out`,
            error: 'States.Timeout',
            cause: 'The SQL did not finish in time; its statement was cancelled',
          }),
      );
      this.addCatch(cancelState, {
        errors: [sfn.Errors.TIMEOUT],
        resultPath: props.timeoutErrorPath ?? DEFAULT_TIMEOUT_ERROR_PATH,
      });
      this.cancelState = cancelState;
    }
  }
}
