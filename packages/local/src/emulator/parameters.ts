import { PARAMETER_NAME_PATTERN } from '@stepshift/runtime/contract';
import { ValidationException } from './errors.js';
import type { SqlToken } from './sql-lexer.js';

/** A Data API `SqlParameter`. */
export interface SqlParameter {
  readonly name: string;
  readonly value: string;
}

/** SQL with `:name` placeholders replaced by `$n`, and the values in `$n` order. */
export interface BoundSql {
  readonly tokens: SqlToken[];
  readonly values: string[];
}

/**
 * Checks `Parameters` as the Data API does: a list of `{name, value}` whose names match
 * `^[0-9a-zA-Z_]+$`, are unique, and whose values are non-empty strings.
 */
export function validateParameters(input: unknown): SqlParameter[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) {
    throw new ValidationException('Parameters must be a list of {name, value} objects.');
  }
  const seen = new Set<string>();
  return input.map((entry: unknown, index) => {
    if (typeof entry !== 'object' || entry === null) {
      throw new ValidationException(`Parameters[${index}] must be an object with name and value.`);
    }
    const { name, value } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !PARAMETER_NAME_PATTERN.test(name)) {
      throw new ValidationException(
        `Parameters[${index}].name ${JSON.stringify(name)} is invalid: it must match ${PARAMETER_NAME_PATTERN.source}.`,
      );
    }
    if (typeof value !== 'string' || value.length === 0) {
      throw new ValidationException(
        `Parameters[${index}].value for ${name} is invalid: it must be a non-empty string (use SQL NULL in the statement for nulls).`,
      );
    }
    if (seen.has(name)) {
      throw new ValidationException(`Parameters contains ${name} more than once.`);
    }
    seen.add(name);
    return { name, value };
  });
}

/**
 * Replaces each `:name` placeholder outside literals, identifiers and comments with a
 * positional `$n` bind parameter: values travel separately from the SQL text, so a value can
 * never become SQL. Each occurrence gets its own position, so PostgreSQL infers each one's type
 * from its own context, as Redshift converts a value to whatever type each use needs. A placeholder without a value is a `ValidationException`, as in AWS.
 */
export function bindParameters(
  tokens: readonly SqlToken[],
  parameters: readonly SqlParameter[],
): BoundSql {
  const byName = new Map(parameters.map((p) => [p.name, p.value] as const));
  const values: string[] = [];
  const out = tokens.map((token): SqlToken => {
    if (token.kind !== 'param') return token;
    const name = token.text.slice(1);
    const value = byName.get(name);
    if (value === undefined) {
      throw new ValidationException(
        `The SQL references the parameter :${name} but Parameters has no value for it.`,
      );
    }
    values.push(value);
    return { kind: 'param', text: `$${values.length}` };
  });
  return { tokens: out, values };
}
