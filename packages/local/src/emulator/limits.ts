/**
 * Emulator limits and defaults that the shared contract does not carry (the SQL size, batch
 * size, parameter names and wait time come from `@stepshift/runtime/contract`).
 */

/** `StatementName`: up to 2,048 characters in the current Data API model. */
export const MAX_STATEMENT_NAME_MODEL_CHARS = 2048;

/** `ListStatements.MaxResults` and the catalog operations' `MaxResults`: at most 100 (Data API reference); 0 or absent means 100. */
export const MAX_LIST_RESULTS = 100;

/** Statements per cluster that may be SUBMITTED or STARTED at once (Data API quotas: about 500 active statements). */
export const DEFAULT_MAX_ACTIVE_STATEMENTS = 500;

/** Query results are kept 24 hours. Data API reference, GetStatementResult. */
export const DEFAULT_RESULT_RETENTION_SECONDS = 24 * 60 * 60;

/**
 * Rows per GetStatementResult page. AWS pages by size (up to 100 MB per response); the emulator
 * pages by rows so pagination is easy to exercise. Configurable with `resultPageRows`.
 */
export const DEFAULT_RESULT_PAGE_ROWS = 1000;

/** Default account, region and principal the completion events carry. */
export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
