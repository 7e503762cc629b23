/**
 * The demo: runs the example state machines (`examples/asl`) end to end in one sandbox on
 * embedded PGlite, prints each execution's progress and outcome, and writes an HTML report per
 * execution. Each scenario states the outcome it should have; the demo fails if one differs.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSandbox } from '../create-sandbox.js';
import { writeExecutionReport } from '../write-report.js';
import { loadHandler, parseHandlerSpec } from '../lambda/handler-module.js';
import { progressPrinter } from '../progress/progress-printer.js';
import { statementPrinter } from '../progress/statement-printer.js';

export interface DemoScenario {
  readonly name: string;
  readonly what: string;
  readonly file: string;
  readonly input: unknown;
  /** The status the scenario is built to end in. */
  readonly expect: 'SUCCEEDED' | 'FAILED';
  /** A check of the output beyond the status. */
  readonly check?: (output: unknown) => boolean;
}

/** Waits, heartbeats and retry intervals run 60 times faster: a minute takes a second. */
export const DEMO_TIME_SCALE = 60;

export const DEMO_SCENARIOS: readonly DemoScenario[] = [
  {
    name: 'success-chain',
    what: 'create, load and query tables with Redshift DDL and parameters; rows to the next state',
    file: 'sql-success-chain.asl.json',
    input: { amounts: { a: 120.5, b: 80, c: 42.25 } },
    expect: 'SUCCEEDED',
    check: (o) => (o as { summary?: string }).summary === '2 regions loaded',
  },
  {
    name: 'failure-caught',
    what: 'a failing statement caught by its error name, Stepshift.StatementFailed',
    file: 'sql-failure-caught.asl.json',
    input: {},
    expect: 'SUCCEEDED',
    check: (o) => (o as { error?: string }).error === 'Stepshift.StatementFailed',
  },
  {
    name: 'parallel-throttled',
    what: 'parallel statements through a tasker with reserved concurrency 1: throttling retried',
    file: 'sql-parallel-throttled.asl.json',
    input: { regions: ['north', 'south', 'east', 'west', 'central', 'islands'] },
    expect: 'SUCCEEDED',
    check: (o) => Array.isArray(o) && o.length === 6,
  },
  {
    name: 'batch-rollback',
    what: 'a batch in one transaction whose second statement fails: the first is rolled back',
    file: 'sql-batch-rollback.asl.json',
    input: {},
    expect: 'SUCCEEDED',
    check: (o) => (o as { rolledBack?: boolean }).rolledBack === true,
  },
  {
    name: 'redshift-data-polling',
    what: 'a polling state machine written without Stepshift (aws-sdk:redshiftdata)',
    file: 'redshift-data-polling.asl.json',
    input: {},
    expect: 'SUCCEEDED',
    check: (o) => (o as { answer?: number }).answer === 42,
  },
  {
    // Cancelling a PGlite statement restarts its worker (a few seconds): run it last.
    name: 'heartbeat-timeout',
    what: 'a slow statement whose heartbeat times out; the catcher cancels it',
    file: 'sql-heartbeat-timeout.asl.json',
    input: { heartbeatSeconds: 60 },
    expect: 'SUCCEEDED',
    check: (o) => (o as { timedOut?: string }).timedOut === 'States.HeartbeatTimeout',
  },
  {
    name: 'plain-lambda',
    what: 'a plain Lambda task with a local handler; bad input fails with the handler error',
    file: 'hello-handlers.asl.json',
    input: { name: '' },
    expect: 'FAILED',
  },
];

export interface DemoOptions {
  /** The repository's `examples/asl` directory. */
  readonly examplesDir: string;
  /** Where the HTML reports go. */
  readonly reportDir: string;
  readonly write: (line: string) => void;
  readonly color?: boolean;
}

export interface DemoOutcome {
  readonly name: string;
  readonly status: string;
  readonly asExpected: boolean;
  readonly seconds: number;
  readonly report: string;
}

export async function runDemo(options: DemoOptions): Promise<DemoOutcome[]> {
  const { write } = options;
  const started = Date.now();
  write(
    'starting the sandbox: Data API emulator on PGlite, dynalite, tasker/completer/reconciler/canceller…',
  );
  const sandbox = await createSandbox({
    timeScale: DEMO_TIME_SCALE,
    stepshift: { statementListeners: [statementPrinter(write)] },
  });
  write(`sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  await mkdir(options.reportDir, { recursive: true });
  const outcomes: DemoOutcome[] = [];
  try {
    const greeter = parseHandlerSpec(
      `Greeter=${join(options.examplesDir, 'handlers/greeter.mjs')}#handler`,
    );
    sandbox.registerHandler(greeter.functionName, await loadHandler(greeter));
    for (const scenario of DEMO_SCENARIOS) {
      write(`━━ ${scenario.name}: ${scenario.what}`);
      const definition = JSON.parse(
        await readFile(join(options.examplesDir, scenario.file), 'utf8'),
      ) as object;
      const t0 = Date.now();
      const result = await sandbox.execute(JSON.stringify(definition), scenario.input, {
        stateMachineName: scenario.name,
        listeners: [progressPrinter({ write, color: options.color ?? false })],
      });
      const seconds = (Date.now() - t0) / 1000;
      const asExpected =
        result.status === scenario.expect && (scenario.check?.(result.output) ?? true);
      await sandbox.stepshift?.statementLog.drain();
      const report = join(options.reportDir, `${scenario.name}.html`);
      await writeExecutionReport(
        report,
        scenario.name,
        definition,
        result,
        sandbox.stepshift?.statementLog.forExecution(result.executionArn) ?? [],
      );
      const detail = result.error === undefined ? '' : ` ${result.error}`;
      write(
        `   ${asExpected ? 'as expected' : 'UNEXPECTED'}: ${result.status}${detail} in ${seconds.toFixed(2)}s, report ${report}\n`,
      );
      outcomes.push({ name: scenario.name, status: result.status, asExpected, seconds, report });
    }
  } finally {
    await sandbox.close();
  }
  write('scenario                 status     expected  seconds');
  for (const o of outcomes) {
    write(
      `${o.name.padEnd(24)} ${o.status.padEnd(10)} ${(o.asExpected ? 'yes' : 'NO').padEnd(9)} ${o.seconds.toFixed(2)}`,
    );
  }
  write(
    `\ndemo finished in ${((Date.now() - started) / 1000).toFixed(1)}s; reports in ${options.reportDir}`,
  );
  return outcomes;
}
