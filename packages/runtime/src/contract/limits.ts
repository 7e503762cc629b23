/**
 * Service limits the contract enforces, named once next to the AWS source that states them.
 */

/**
 * Largest SQL text the Data API accepts in one statement ("Cannot process query string larger
 * than 100kB"). Redshift Data API reference, ExecuteStatement `Sql`.
 */
export const MAX_SQL_BYTES = 100 * 1024;

/** BatchExecuteStatement accepts 1 to 40 SQL statements. Data API reference, `Sqls`. */
export const MAX_BATCH_STATEMENTS = 40;

/**
 * `StatementName` is up to 2,048 characters in the current model but 500 in older
 * documentation: we stay under the smaller figure.
 */
export const MAX_STATEMENT_NAME_CHARS = 500;

/** `ClientToken`: 1 to 64 characters, remembered for 8 hours. Data API reference. */
export const MAX_CLIENT_TOKEN_CHARS = 64;

/** Parameter names accepted by the Data API (`SqlParameter.name`). */
export const PARAMETER_NAME_PATTERN = /^[0-9a-zA-Z_]+$/;

/** `SendTaskSuccess.output`: at most 262,144 bytes of UTF-8 JSON. Step Functions API reference. */
export const MAX_TASK_OUTPUT_BYTES = 262_144;

/** `SendTaskFailure.error`: at most 256 characters. Step Functions API reference. */
export const MAX_TASK_ERROR_CHARS = 256;

/** `SendTaskFailure.cause`: at most 32,768 characters. Step Functions API reference. */
export const MAX_TASK_CAUSE_CHARS = 32_768;

/** Task tokens are 1 to 2,048 characters. Step Functions API reference, `taskToken`. */
export const MAX_TASK_TOKEN_CHARS = 2048;

/** `WaitTimeSeconds` on the Data API calls: 0 (do not wait) to 30. */
export const MAX_WAIT_TIME_SECONDS = 30;

/**
 * Longest `iteration` the tasker takes: a Map index or a short key naming one run of a state.
 * Ours, not AWS's: it is stored on every tracking row of that run.
 */
export const MAX_ITERATION_CHARS = 256;
