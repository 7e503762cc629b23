import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../src/sandbox/asl/errors.js';
import { progressPrinter } from '../../../src/sandbox/progress/progress-printer.js';
import { statementPrinter } from '../../../src/sandbox/progress/statement-printer.js';
import { runAsl } from '../asl/run-asl.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:work';

describe('progress display', () => {
  it('prints states, failures, retries, catches and the outcome, plain without colour', async () => {
    let calls = 0;
    const result = await runAsl(
      {
        StartAt: 'Load',
        States: {
          Load: {
            Type: 'Task',
            Resource: LAMBDA,
            Retry: [{ ErrorEquals: ['Lambda.TooManyRequestsException'], MaxAttempts: 1 }],
            Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Done' }],
            Next: 'Done',
          },
          Done: { Type: 'Succeed' },
        },
      },
      {},
      async () => {
        calls++;
        throw new StatesError(
          calls === 1 ? 'Lambda.TooManyRequestsException' : 'Load.Failed',
          'why',
        );
      },
    );
    const lines: string[] = [];
    const print = progressPrinter({
      write: (line) => lines.push(line.replace(/^\[\s*[\d.]+s\] /, '')),
    });
    result.history.forEach(print);
    expect(lines.map((l) => l.replace(/ in [\d.]+s/, ''))).toEqual([
      'execution started with input {}',
      '→ Load (Task)',
      '! Load LambdaFunctionFailed: Lambda.TooManyRequestsException why',
      '↻ Load retry 1 after Lambda.TooManyRequestsException',
      '! Load LambdaFunctionFailed: Load.Failed why',
      '⤷ Load caught Load.Failed',
      '✓ Load {"error":{"Error":"Load.Failed","Cause":"why"}}',
      '→ Done (Succeed)',
      '✓ Done {"error":{"Error":"Load.Failed","Cause":"why"}}',
      'execution SUCCEEDED: {"error":{"Error":"Load.Failed","Cause":"why"}}',
    ]);
  });

  it('prints finished statements with their state, duration and rows or error', () => {
    const lines: string[] = [];
    const print = statementPrinter((line) => lines.push(line));
    const startedAt = new Date(0);
    print({
      id: '1',
      sql: 'select\n  1',
      status: 'FINISHED',
      startedAt,
      durationMs: 1234,
      rows: 1,
      stateName: 'Count',
    });
    print({
      id: '2',
      sql: 'select x',
      status: 'FAILED',
      startedAt,
      error: 'ERROR: column "x" does not exist',
    });
    expect(lines).toEqual([
      '  ▪ SQL FINISHED in 1.234s, 1 row(s) [Count] select 1',
      '  ▪ SQL FAILED: ERROR: column "x" does not exist select x',
    ]);
  });
});
