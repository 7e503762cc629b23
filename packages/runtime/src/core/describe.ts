import type { CoreDeps } from './core-deps.js';
import { statementOutput, type StatementOutput } from './task-output.js';

/** The `describe` action: the statement's description in the task output shape. */
export async function describeStatement(
  deps: Pick<CoreDeps, 'statements'>,
  statementId: string,
): Promise<StatementOutput> {
  return statementOutput(await deps.statements.describe(statementId));
}
