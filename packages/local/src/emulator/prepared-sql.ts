import { bindParameters, type SqlParameter } from './parameters.js';
import { translateRedshift } from './redshift-dialect.js';
import { tokenize, untokenize } from './sql-lexer.js';
import { UnsupportedConstructError } from './unsupported-construct-error.js';

/** SQL ready for the engine: translated to PostgreSQL with `$n` placeholders, or the reason it cannot run. */
export interface PreparedSql {
  readonly sql: string;
  readonly values: readonly string[];
  /** Set when the dialect translation refused the SQL: the statement ends FAILED with it. */
  readonly error: string | undefined;
}

/**
 * Binds parameters (throwing `ValidationException` at submit time, as AWS validates them) and
 * translates the Redshift dialect (an unsupported construct fails the statement when it runs).
 */
export function prepareSql(sql: string, parameters: readonly SqlParameter[]): PreparedSql {
  const bound = bindParameters(tokenize(sql), parameters);
  try {
    return {
      sql: untokenize(translateRedshift(bound.tokens)),
      values: bound.values,
      error: undefined,
    };
  } catch (error) {
    if (error instanceof UnsupportedConstructError)
      return { sql, values: bound.values, error: error.message };
    throw error;
  }
}
