import { writeFile } from 'node:fs/promises';
import { renderReport } from '../report/index.js';
import type { ExecutionResult } from './asl/interpreter.js';
import type { StatementRecord } from './stack/statement-log.js';

/** Writes the HTML report of one execution (`stepshift run --report`, the demo). */
export async function writeExecutionReport(
  file: string,
  title: string,
  definition: object,
  result: ExecutionResult,
  statements: readonly StatementRecord[],
): Promise<void> {
  const html = renderReport({
    title,
    definition,
    result: {
      status: result.status,
      output: result.output,
      error: result.error,
      cause: result.cause,
    },
    history: result.history,
    statements,
  });
  await writeFile(file, html, 'utf8');
}
