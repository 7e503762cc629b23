/**
 * Sandbox benchmark: executions per second and the median orchestration overhead per SQL task
 * (task time minus the statement's own time) for N executions of a three-statement state
 * machine through the Stepshift stack, side by side with the same state machine whose tasks
 * run the SQL directly in a plain local handler (the floor); peak memory; start-up time.
 */
import { DescribeStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { startRedshiftDataEmulator } from '../../emulator/index.js';
import type { HistoryEvent, HistoryListener } from '../asl/history.js';
import type { ExecutionResult } from '../asl/interpreter.js';
import { createSandbox, type StepshiftSandbox } from '../create-sandbox.js';
import { LOCAL_CREDENTIALS } from '../stack/local-dynamodb.js';

export interface BenchOptions {
  /** @default 1000 */
  readonly executions?: number;
  /** Executions in flight at once (and the tasker's reserved concurrency). @default 8 */
  readonly concurrency?: number;
  /** @default 'pglite' */
  readonly engine?: string;
}

export interface BenchSide {
  readonly executions: number;
  readonly failed: number;
  readonly seconds: number;
  readonly executionsPerSecond: number;
  /** Median over SQL tasks of (task time − statement time), milliseconds. */
  readonly medianOverheadMs: number;
  readonly p95OverheadMs: number;
  readonly medianTaskMs: number;
}

export interface BenchReport {
  readonly startupMs: number;
  readonly peakRssMb: number;
  readonly stepshift: BenchSide;
  readonly floor: BenchSide;
}

const STATEMENTS = [
  'insert into bench_rows (id, note) values (:id, :note)',
  "update bench_rows set note = note || '!' where id = :id",
  'select id, note from bench_rows where id = :id',
];

function taskerMachine(): string {
  const states: Record<string, unknown> = {};
  STATEMENTS.forEach((sql, i) => {
    states[`S${i + 1}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: 'stepshift-tasker',
        Payload: {
          'taskToken.$': '$$.Task.Token',
          'executionArn.$': '$$.Execution.Id',
          sqlStatement: sql,
          'sqlParameters.$': '$.params',
        },
      },
      ResultPath: null,
      HeartbeatSeconds: 600,
      Retry: [
        {
          ErrorEquals: ['Lambda.TooManyRequestsException'],
          IntervalSeconds: 1,
          MaxAttempts: 100,
          BackoffRate: 1.2,
          MaxDelaySeconds: 2,
          JitterStrategy: 'FULL',
        },
      ],
      ...(i === STATEMENTS.length - 1 ? { End: true } : { Next: `S${i + 2}` }),
    };
  });
  return JSON.stringify({ StartAt: 'S1', States: states });
}

function floorMachine(): string {
  const states: Record<string, unknown> = {};
  STATEMENTS.forEach((sql, i) => {
    states[`S${i + 1}`] = {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'bench-direct-sql', Payload: { sql, 'params.$': '$.params' } },
      ResultPath: null,
      ...(i === STATEMENTS.length - 1 ? { End: true } : { Next: `S${i + 2}` }),
    };
  });
  return JSON.stringify({ StartAt: 'S1', States: states });
}

function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * When each history event was recorded, in `performance.now()` milliseconds: history timestamps
 * are whole milliseconds (as AWS's), too coarse for overheads of a few.
 */
function eventClock(): { listener: HistoryListener; at: (event: HistoryEvent) => number } {
  const times = new WeakMap<HistoryEvent, number>();
  return {
    listener: (event) => times.set(event, performance.now()),
    at: (event) => times.get(event) ?? event.timestamp.getTime(),
  };
}

/** Task times from the history: last TaskScheduled (after retries) to TaskSucceeded, per state. */
function taskTimes(
  history: readonly HistoryEvent[],
  at: (event: HistoryEvent) => number,
): { ms: number; output: unknown }[] {
  const out: { ms: number; output: unknown }[] = [];
  let scheduled: number | undefined;
  for (const event of history) {
    if (event.type === 'TaskScheduled') scheduled = at(event);
    if (event.type === 'TaskSucceeded' && scheduled !== undefined) {
      const details = event['taskSucceededEventDetails'] as { output: string };
      out.push({
        ms: at(event) - scheduled,
        output: JSON.parse(details.output) as unknown,
      });
      scheduled = undefined;
    }
  }
  return out;
}

async function runMany(
  sandbox: StepshiftSandbox,
  definition: string,
  executions: number,
  concurrency: number,
  offset: number,
): Promise<{ results: ExecutionResult[]; seconds: number }> {
  const results: ExecutionResult[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < executions) {
      const i = offset + next++;
      results.push(await sandbox.execute(definition, { params: { id: i, note: `row-${i}` } }));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return { results, seconds: (performance.now() - started) / 1000 };
}

function side(
  results: ExecutionResult[],
  seconds: number,
  overheads: number[],
  taskMs: number[],
): BenchSide {
  return {
    executions: results.length,
    failed: results.filter((r) => r.status !== 'SUCCEEDED').length,
    seconds,
    executionsPerSecond: results.length / seconds,
    medianOverheadMs: quantile(overheads, 0.5),
    p95OverheadMs: quantile(overheads, 0.95),
    medianTaskMs: quantile(taskMs, 0.5),
  };
}

export async function runSandboxBench(options: BenchOptions = {}): Promise<BenchReport> {
  const executions = options.executions ?? 1000;
  const concurrency = options.concurrency ?? 8;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 50);
  try {
    const t0 = performance.now();
    const clock = eventClock();
    // Started here (not by the sandbox) so the statements' own times can be read afterwards.
    const emulator = await startRedshiftDataEmulator({
      engine: options.engine ?? 'pglite',
      accountId: '123456789012',
    });
    try {
      const sandbox = await createSandbox({
        listeners: [clock.listener],
        stepshift: {
          emulator,
          taskerConcurrency: concurrency,
          completerConcurrency: Math.max(2, Math.ceil(concurrency / 2)),
          recordStatements: false,
        },
      });
      const startupMs = performance.now() - t0;
      try {
        await sandbox.sql('create table bench_rows (id integer, note varchar(64))');
        const sqlTimes: number[] = [];
        sandbox.registerHandler('bench-direct-sql', {
          concurrency,
          handler: async (event) => {
            const { sql, params } = event as { sql: string; params: { id: number; note: string } };
            const text = sql
              .replace(':id', String(params.id))
              .replace(':note', `'${params.note.replace(/'/g, "''")}'`);
            const s = performance.now();
            const rows = await sandbox.sql(text);
            sqlTimes.push(performance.now() - s);
            return rows;
          },
        });

        const stepshiftRun = await runMany(sandbox, taskerMachine(), executions, concurrency, 0);
        const stepshiftTasks = stepshiftRun.results.flatMap((r) => taskTimes(r.history, clock.at));
        const statementMs = await statementTimes(
          emulator.endpoint,
          stepshiftTasks.map((t) => (t.output as { statementId: string }).statementId),
        );
        const stepshiftOverheads = stepshiftTasks.map((t, i) => t.ms - (statementMs[i] ?? 0));

        const floorRun = await runMany(
          sandbox,
          floorMachine(),
          executions,
          concurrency,
          executions,
        );
        const floorTasks = floorRun.results.flatMap((r) => taskTimes(r.history, clock.at));
        const floorOverheads = floorTasks.map((t, i) => t.ms - (sqlTimes[i] ?? 0));
        return {
          startupMs,
          peakRssMb: peakRss / (1024 * 1024),
          stepshift: side(
            stepshiftRun.results,
            stepshiftRun.seconds,
            stepshiftOverheads,
            stepshiftTasks.map((t) => t.ms),
          ),
          floor: side(
            floorRun.results,
            floorRun.seconds,
            floorOverheads,
            floorTasks.map((t) => t.ms),
          ),
        };
      } finally {
        await sandbox.close();
      }
    } finally {
      await emulator.close();
    }
  } finally {
    clearInterval(sampler);
  }
}

/**
 * Each statement's own time (DescribeStatement `Duration`, nanoseconds), read after the run so
 * it does not load the measured one. The task output's `durationMs` is rounded to whole
 * milliseconds, about the size of a PGlite statement.
 */
async function statementTimes(endpoint: string, ids: readonly string[]): Promise<number[]> {
  const client = new RedshiftDataClient({
    endpoint,
    region: 'us-east-1',
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const out: number[] = [];
    for (const id of ids) {
      const d = await client.send(new DescribeStatementCommand({ Id: id }));
      out.push((d.Duration ?? 0) / 1_000_000);
    }
    return out;
  } finally {
    client.destroy();
  }
}

export function formatBenchReport(report: BenchReport, options: BenchOptions): string {
  const row = (name: string, s: BenchSide): string =>
    `${name.padEnd(22)} ${String(s.executions).padStart(6)} ${String(s.failed).padStart(6)} ${s.seconds.toFixed(1).padStart(8)} ${s.executionsPerSecond.toFixed(1).padStart(8)} ${s.medianTaskMs.toFixed(1).padStart(10)} ${s.medianOverheadMs.toFixed(1).padStart(12)} ${s.p95OverheadMs.toFixed(1).padStart(10)}`;
  return [
    `sandbox bench: ${options.executions ?? 1000} executions x 3 SQL tasks, ${options.concurrency ?? 8} in flight, engine ${options.engine ?? 'pglite'}`,
    `start-up ${report.startupMs.toFixed(0)} ms, peak RSS ${report.peakRssMb.toFixed(0)} MB`,
    '',
    'run                      execs  failed  seconds  execs/s  task ms p50  overhead p50  ovh p95',
    row('stepshift (tasker)', report.stepshift),
    row('floor (direct SQL)', report.floor),
    '',
    // The floor's overhead is about zero (and can round below it), so its ratio means nothing:
    // compare whole task times instead.
    `task time ratio (stepshift / floor, medians): ${(report.stepshift.medianTaskMs / Math.max(report.floor.medianTaskMs, 1)).toFixed(1)}x`,
  ].join('\n');
}
