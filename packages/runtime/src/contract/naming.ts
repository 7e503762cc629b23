import { createHash, randomUUID } from 'node:crypto';
import { MAX_CLIENT_TOKEN_CHARS, MAX_STATEMENT_NAME_CHARS } from './limits.js';

/**
 * A tasker's statement-name prefix: letters, digits and `_ . : -`, 1 to 100 characters. The
 * completion rule matches it, so one account can hold many taskers and each ignores the
 * others' statements.
 */
export const STATEMENT_PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

export function statementPrefixIsValid(prefix: string): boolean {
  return STATEMENT_PREFIX_PATTERN.test(prefix);
}

/** The prefix a tasker with the given id uses: `stepshift.<id>.`. */
export function taskerStatementPrefix(taskerId: string): string {
  const prefix = `stepshift.${taskerId}.`;
  if (!statementPrefixIsValid(prefix)) {
    throw new RangeError(
      `tasker id '${taskerId}' makes an invalid statement prefix: use letters, digits and _ . : - (at most 89 characters)`,
    );
  }
  return prefix;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The statement name of a task: the tasker prefix plus a digest of the task token. The same
 * token always gives the same name, so a re-invocation finds its earlier registration.
 */
export function statementNameForToken(prefix: string, taskToken: string): string {
  const name = `${prefix}${sha256Hex(taskToken)}`;
  if (name.length > MAX_STATEMENT_NAME_CHARS) {
    throw new RangeError(`statement name over ${MAX_STATEMENT_NAME_CHARS} characters`);
  }
  return name;
}

/** What follows the prefix in the name of a start without a task token (never in a digest). */
const RUN_MARK = 'run-';

/** A statement name for a start without a task token (the polling use): unique per call. */
export function statementNameForRun(prefix: string): string {
  return `${prefix}${RUN_MARK}${randomUUID()}`;
}

/** Whether a name of this tasker's is that of a start without a task token (no row, no task). */
export function isRunStatementName(prefix: string, statementName: string): boolean {
  return statementName.startsWith(`${prefix}${RUN_MARK}`);
}

/**
 * The Data API `ClientToken` of a task: derived from the token too (with its own salt), so a
 * retried ExecuteStatement within 8 hours returns the first statement instead of a second.
 */
export function clientTokenForToken(taskToken: string): string {
  return sha256Hex(`stepshift-client-token:${taskToken}`).slice(0, MAX_CLIENT_TOKEN_CHARS);
}
